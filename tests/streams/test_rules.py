"""Alert rules on hand-worked timelines: thresholds, states, pauses, working days, overrides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from schemas.alerts import AlertState
from streams.alerts import AlertView, evaluate
from streams.ruleset import load, parse
from tests.streams.builders import ev, record

RULES = load()
MON = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)  # Monday; Copenhagen is UTC+1 in March
DAY = timedelta(days=1)


def at(rec: object, clock: datetime, rule: str) -> AlertView | None:
    views, _next = evaluate(rec, clock, RULES)  # type: ignore[arg-type]
    return views.get(rule)


def test_a01_goes_warning_due_overdue_on_the_clock() -> None:
    rec = record(ev("contact.initiated", MON))
    assert at(rec, MON + 4 * DAY, "A01") is None
    warn = at(rec, MON + 5 * DAY, "A01")
    assert warn is not None
    assert warn.state is AlertState.WARNING
    assert warn.state_since == MON + 5 * DAY
    due = at(rec, MON + 8 * DAY, "A01")
    assert due == AlertView("A01", AlertState.DUE, MON, MON + 7 * DAY, MON + 7 * DAY)
    over = at(rec, MON + 14 * DAY, "A01")
    assert over is not None
    assert over.state is AlertState.OVERDUE
    assert over.state_since == MON + 14 * DAY
    _views, upcoming = evaluate(rec, MON + 6 * DAY, RULES)
    assert upcoming is not None
    assert upcoming <= MON + 7 * DAY


def test_a01_visitation_resolves_only_an_alert_that_was_raised() -> None:
    late = record(ev("contact.initiated", MON), ev("visitation.completed", MON + 6 * DAY))
    view = at(late, MON + 30 * DAY, "A01")
    assert view is not None
    assert view.state is AlertState.RESOLVED
    assert view.state_since == MON + 6 * DAY
    early = record(ev("contact.initiated", MON), ev("visitation.completed", MON + 2 * DAY))
    assert at(early, MON + 30 * DAY, "A01") is None


def test_exemption_pauses_the_week_9_clock_and_holds_it_while_open() -> None:
    visit = ev("visitation.completed", MON)
    closed = record(
        visit,
        ev("exemption.started", MON + 10 * DAY, exempt_from="ACTIVATION"),
        ev("exemption.ended", MON + 20 * DAY),
    )
    view = at(closed, MON + 100 * DAY, "A03")
    assert view is not None
    assert view.deadline == MON + 73 * DAY  # 63 days + the 10 exempt days
    still = record(visit, ev("exemption.started", MON + 60 * DAY, exempt_from="BOTH"))
    held = at(still, MON + 200 * DAY, "A03")
    assert held is not None
    assert held.state is AlertState.WARNING  # reached day 56 before the exemption; paused since
    assert held.deadline is None
    # A job-ready citizen is not in A03's scope.
    ready = record(ev("visitation.completed", MON, readiness="JOB_READY"))
    assert at(ready, MON + 100 * DAY, "A03") is None


def test_a04_counts_working_days_after_a_friday_course_end() -> None:
    friday = MON + 4 * DAY + timedelta(hours=5)  # Friday 15:30 local
    course = ev("offer.started", MON - 28 * DAY, offer_type="PRE_COURSE", offer_id="c1")
    end = ev("offer.ended", friday, offer_id="c1")
    rec = record(course, end)
    view = at(rec, friday + 30 * DAY, "A04")
    assert view is not None
    # Mon, Tue, Wed are the 3 working days: due at Thursday 00:00 Copenhagen (23:00 UTC Wed).
    assert view.deadline == datetime(2024, 3, 13, 23, 0, tzinfo=UTC)
    monday = ev("offer.started", MON + 7 * DAY - timedelta(hours=1), offer_id="p1")
    assert at(record(course, end, monday), friday + 30 * DAY, "A04") is None
    # Brøndby (153) overrides the threshold to 1 working day: due at Tuesday 00:00.
    b = {"municipality_code": "153", "job_centre_id": "jc_153"}
    rec153 = record(
        ev("offer.started", MON - 28 * DAY, offer_type="PRE_COURSE", offer_id="c1", **b),
        ev("offer.ended", friday, offer_id="c1", **b),
    )
    v153 = at(rec153, friday + 30 * DAY, "A04")
    assert v153 is not None
    assert v153.deadline == datetime(2024, 3, 11, 23, 0, tzinfo=UTC)


def test_a08_is_due_at_the_second_consecutive_no_show() -> None:
    rec = record(
        ev("conversation.no_show", MON, conversation_id="n1"),
        ev("conversation.held", MON + 7 * DAY),
        ev("conversation.no_show", MON + 14 * DAY, conversation_id="n2"),
        ev("conversation.no_show", MON + 21 * DAY, conversation_id="n3"),
    )
    view = at(rec, MON + 22 * DAY, "A08")
    assert view == AlertView("A08", AlertState.DUE, MON + 14 * DAY, MON + 21 * DAY, MON + 21 * DAY)


def test_a06_weekly_conversation_in_the_treatment_arm() -> None:
    rec = record(
        ev("trial.randomised", MON, arm="TREATMENT"),
        ev("conversation.held", MON + 2 * DAY),
    )
    view = at(rec, MON + 14 * DAY, "A06")
    assert view is not None
    assert view.state is AlertState.DUE
    # The week after the conversation's week had none: due at Monday 18 March 00:00 local.
    assert view.deadline == datetime(2024, 3, 17, 23, 0, tzinfo=UTC)
    control = record(ev("trial.randomised", MON, arm="CONTROL"))
    assert at(control, MON + 30 * DAY, "A06") is None


def test_a18_exemption_review_date_and_exit_clears_everything() -> None:
    start = ev("exemption.started", MON, review_date="2024-03-20")
    view = at(record(start), MON + 20 * DAY, "A18")
    assert view is not None
    assert view.deadline == datetime(2024, 3, 19, 23, 0, tzinfo=UTC)
    # Exit on day 5, before the warning (7 days ahead of the review on day 15.6): no alert.
    exited = record(start, ev("pathway.exited", MON + 5 * DAY))
    assert at(exited, MON + 200 * DAY, "A18") is None
    late = at(record(start, ev("pathway.exited", MON + 10 * DAY)), MON + 200 * DAY, "A18")
    assert late is not None
    assert late.state is AlertState.RESOLVED
    views, upcoming = evaluate(exited, MON + 200 * DAY, RULES)
    assert all(v.state is AlertState.RESOLVED for v in views.values())
    assert upcoming is None


def test_municipality_override_wins_over_programme_override() -> None:
    data = {
        "version": 9,
        "allowed_lateness_hours": 1,
        "rules": {"A01": {"name": "VISITATION_OVERDUE", "severity": "high", "threshold_days": 7}},
        "overrides": {
            "programme": {"STV_2016": {"A01": {"threshold_days": 5}}},
            "municipality": {"751": {"A01": {"threshold_days": 3, "severity": "low"}}},
        },
    }
    rules = parse(data)
    assert rules.for_pathway("751", "STV_2016")["A01"].days("threshold_days") == 3 * DAY
    assert rules.for_pathway("153", "STV_2016")["A01"].days("threshold_days") == 5 * DAY
    assert rules.for_pathway("153", "NONE")["A01"].days("threshold_days") == 7 * DAY
    bad = {**data, "overrides": {"municipality": {"751": {"A99": {}}}}}
    with pytest.raises(ValueError, match="A99"):
        parse(bad)
