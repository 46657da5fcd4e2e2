"""Small-cell suppression and the Kaplan-Meier estimator on hand-worked numbers."""

from __future__ import annotations

import math

import pytest

from dashboard.stats import diff_ci, figure, kaplan_meier, km_curve, rate, survival_at


def test_figures_from_one_to_four_citizens_are_suppressed() -> None:
    for n in (1, 2, 3, 4):
        assert figure(12.5, n, 5) == {"value": None, "n": None, "suppressed": True}
        assert rate(1, n, n, 5)["suppressed"]
    assert figure(12.5, 5, 5) == {"value": 12.5, "n": 5, "suppressed": False}
    assert figure(0, 0, 5) == {"value": 0, "n": 0, "suppressed": False}
    assert rate(0, 0, 0, 5)["value"] is None
    assert rate(3, 12, 12, 5)["value"] == 0.25


def test_kaplan_meier_with_censoring_and_ties() -> None:
    # 10 pathways: events at 5 (x2), 8; censored at 6, 8 (tie: event first), 12 (x5).
    rows = [(5, 2, 0), (6, 0, 1), (8, 1, 1), (12, 0, 5)]
    pts = kaplan_meier(rows)
    assert [(p.t, p.at_risk) for p in pts] == [(5, 10), (6, 8), (8, 7), (12, 5)]
    assert pts[0].survival == pytest.approx(0.8)  # 1 - 2/10
    assert pts[1].survival == pytest.approx(0.8)  # censoring does not drop S
    assert pts[2].survival == pytest.approx(0.8 * 6 / 7)
    at7 = survival_at(pts, 7)
    assert at7 is not None
    assert at7[0] == pytest.approx(0.8)
    assert at7[1] == 7
    assert survival_at(pts, 13) is None
    curve = km_curve(pts, 6)
    assert [p["t"] for p in curve["points"]] == [5, 6, 8]
    assert curve["suppressed_tail"]


def test_difference_interval() -> None:
    diff, lo, hi = diff_ci(0.46, 1000, 0.21, 1000)
    assert diff == pytest.approx(0.25)
    half = 1.96 * math.sqrt(0.46 * 0.54 / 1000 + 0.21 * 0.79 / 1000)
    assert lo == pytest.approx(0.25 - half)
    assert hi == pytest.approx(0.25 + half)
