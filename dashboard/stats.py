"""Small-cell suppression (§8.9), Kaplan-Meier with censoring (M03/M04) and a difference CI (M24).

Every figure the API returns goes through `figure()` or `rate()`: computed from 1 to
`min_cell - 1` citizens, it is returned as suppressed, with neither value nor count.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

Figure = dict[str, Any]

SUPPRESSED: Figure = {"value": None, "n": None, "suppressed": True}


def figure(value: float | int | None, citizens: int, min_cell: int) -> Figure:
    """A figure computed from `citizens` citizens: the value, or suppressed below min_cell.

    Zero citizens reveal nobody: a zero count stays 0 (a rate over nobody has no value).
    """
    if 0 < citizens < min_cell:
        return dict(SUPPRESSED)
    return {"value": value, "n": citizens, "suppressed": False}


def count(citizens: int, min_cell: int) -> Figure:
    """A head count is a figure of its own citizens."""
    return figure(citizens, citizens, min_cell)


def rate(numerator: int, denominator: int, citizens: int, min_cell: int) -> Figure:
    """numerator / denominator, suppressed if the denominator's citizens are too few."""
    if denominator <= 0:
        return figure(None, citizens, min_cell)
    return figure(numerator / denominator, citizens, min_cell)


@dataclass(frozen=True)
class KmPoint:
    """S(t) just after time t; `at_risk` is the number still at risk just before t."""

    t: int
    survival: float
    at_risk: int
    events: int
    censored: int


def kaplan_meier(rows: Iterable[tuple[int, int, int]]) -> list[KmPoint]:
    """Product-limit estimate from (time, events, censored) rows (any order, times may repeat).

    At a tie, events come before censorings (the usual convention): a pathway censored on day t
    was still at risk of a placement on day t.
    """
    by_t: dict[int, list[int]] = {}
    for t, events, censored in rows:
        cell = by_t.setdefault(int(t), [0, 0])
        cell[0] += int(events)
        cell[1] += int(censored)
    at_risk = sum(e + c for e, c in by_t.values())
    survival = 1.0
    out: list[KmPoint] = []
    for t in sorted(by_t):
        events, censored = by_t[t]
        if at_risk > 0 and events:
            survival *= 1.0 - events / at_risk
        out.append(KmPoint(t, survival, at_risk, events, censored))
        at_risk -= events + censored
    return out


def survival_at(points: list[KmPoint], t: int) -> tuple[float, int] | None:
    """(S(t), number at risk at t) from a KM curve; None past the last observation."""
    if not points or t > points[-1].t:
        return None
    survival, at_risk = 1.0, points[0].at_risk
    for p in points:
        if p.t > t:
            at_risk = p.at_risk
            break
        survival = p.survival
        at_risk = p.at_risk - p.events - p.censored
    return survival, at_risk


def km_curve(points: list[KmPoint], min_cell: int) -> dict[str, Any]:
    """The curve as JSON; points where fewer than min_cell were at risk are cut off."""
    shown = [p for p in points if p.at_risk >= min_cell]
    cut = len(shown) < len(points)
    return {
        "points": [{"t": p.t, "s": round(p.survival, 6), "at_risk": p.at_risk} for p in shown],
        "suppressed_tail": cut,
    }


def diff_ci(p1: float, n1: int, p0: float, n0: int, z: float = 1.96) -> tuple[float, float, float]:
    """Difference p1 - p0 of two proportions with a normal-approximation 95 % interval."""
    diff = p1 - p0
    se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0) if n1 and n0 else float("nan")
    return diff, diff - z * se, diff + z * se
