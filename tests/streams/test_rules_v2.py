"""Rules of version 2 (A02, A11, A14, A16, A17, A22) on hand-worked timelines (§5.2)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from schemas.alerts import AlertState
from schemas.envelope import Envelope
from streams.alerts import AlertView, evaluate
from streams.ruleset import load
from tests.streams.builders import ev, record

RULES = load()
MON = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)  # Monday; Copenhagen is UTC+1 in March
DAY = timedelta(days=1)


def at(events: list[Envelope], clock: datetime, rule: str) -> AlertView | None:
    views, _next = evaluate(record(*events), clock, RULES)
    return views.get(rule)


def state(events: list[Envelope], clock: datetime, rule: str) -> AlertState | None:
    view = at(events, clock, rule)
    return None if view is None else view.state


def test_a02_activity_ready_over_30_without_any_offer() -> None:
    base = [
        ev("contact.initiated", MON, age_band="40_49"),
        ev("visitation.completed", MON + DAY),
    ]
    # Visitation day 1 + 28 days: due day 29, warned from day 22, overdue from day 43.
    assert state(base, MON + 21 * DAY, "A02") is None
    assert state(base, MON + 23 * DAY, "A02") is AlertState.WARNING
    due = at(base, MON + 30 * DAY, "A02")
    assert due == AlertView("A02", AlertState.DUE, MON + DAY, MON + 29 * DAY, MON + 29 * DAY)
    assert state(base, MON + 44 * DAY, "A02") is AlertState.OVERDUE
    # Any offer type clears it; in time no alert at all, late a RESOLVED one.
    pre = ev("offer.started", MON + 20 * DAY, offer_type="PRE_COURSE", provider_type="INTERNAL")
    assert at([*base, pre], MON + 60 * DAY, "A02") is None
    late = ev("offer.started", MON + 35 * DAY)
    resolved = at([*base, late], MON + 60 * DAY, "A02")
    assert resolved is not None
    assert (resolved.state, resolved.state_since) == (AlertState.RESOLVED, MON + 35 * DAY)
    # Under 30 (RD-02 scope), or job-ready: no alert.
    young = [ev("contact.initiated", MON, age_band="25_29"), ev("visitation.completed", MON + DAY)]
    assert at(young, MON + 60 * DAY, "A02") is None
    ready = [base[0], ev("visitation.completed", MON + DAY, readiness="JOB_READY")]
    assert at(ready, MON + 60 * DAY, "A02") is None
    # A 10-day activation exemption (days 10-20) moves the deadline to day 39.
    paused = [
        *base,
        ev("exemption.started", MON + 10 * DAY, exemption_id="e1"),
        ev("exemption.ended", MON + 20 * DAY, exemption_id="e1"),
    ]
    view = at(paused, MON + 40 * DAY, "A02")
    assert view is not None
    assert (view.state, view.deadline) == (AlertState.DUE, MON + 39 * DAY)


def test_a11_company_centre_review_every_91_days() -> None:
    centre = ev("offer.started", MON, offer_id="cc", offer_type="COMPANY_CENTRE_INTERNSHIP")
    review = ev("placement.review", MON + 70 * DAY, offer_id="cc")
    # The review on day 70 restarts the clock: due day 161, warned (14 days) from day 147.
    assert at([centre, review], MON + 146 * DAY, "A11") is None
    assert state([centre, review], MON + 148 * DAY, "A11") is AlertState.WARNING
    due = at([centre, review], MON + 162 * DAY, "A11")
    assert due == AlertView("A11", AlertState.DUE, MON + 70 * DAY, MON + 161 * DAY, MON + 161 * DAY)
    # The pilot programme warns 30 days ahead (override): from day 131.
    vc = {"programme_id": "VC_RESSOURCEFORLOEB_2013"}
    pilot = [
        ev("offer.started", MON, offer_id="cc", offer_type="COMPANY_CENTRE_INTERNSHIP", **vc),
        ev("placement.review", MON + 70 * DAY, offer_id="cc", **vc),
    ]
    assert state(pilot, MON + 132 * DAY, "A11") is AlertState.WARNING
    # An ordinary internship owes no review; a centre placement that ended stops the clock.
    other = ev("offer.started", MON, offer_id="o", offer_type="COMPANY_INTERNSHIP_PRIVATE")
    assert at([other], MON + 200 * DAY, "A11") is None
    ended = ev("offer.ended", MON + 60 * DAY, offer_id="cc")
    assert at([centre, ended], MON + 200 * DAY, "A11") is None


def test_a14_handover_pending_ten_working_days_over_easter() -> None:
    # Friday 22 March 2024. Working days: 25, 26, 27 March; 28 and 29 March and 1 April are
    # Easter holidays; then 2, 3, 4, 5, 8, 9, 10 April = the 10th. Due at Thursday 11 April
    # 00:00 Copenhagen (summer time since 31 March) = 10 April 22:00 UTC.
    made_at = MON + 18 * DAY
    made = ev("referral.made", made_at, referral_id="r1", to_unit="COMPANY_CONSULTANT")
    deadline = datetime(2024, 4, 10, 22, 0, tzinfo=UTC)
    assert state([made], deadline - 3 * DAY, "A14") is None
    assert state([made], deadline - DAY, "A14") is AlertState.WARNING
    assert at([made], deadline + DAY, "A14") == AlertView(
        "A14", AlertState.DUE, made_at, deadline, deadline
    )
    # Accepted (same referral id) on 3 April: no alert; another referral's acceptance: still due.
    ok = ev("referral.accepted", datetime(2024, 4, 3, 9, 0, tzinfo=UTC), referral_id="r1")
    assert at([made, ok], deadline + DAY, "A14") is None
    other = ev("referral.accepted", datetime(2024, 4, 3, 9, 0, tzinfo=UTC), referral_id="r2")
    assert state([made, other], deadline + DAY, "A14") is AlertState.DUE
    # A course referral is taken up by a preparatory start, not by a company placement.
    course = ev("referral.made", made_at, referral_id="r3", to_unit="COURSE")
    pre = ev("offer.started", made_at + 2 * DAY, offer_type="PRE_COURSE", provider_type="INTERNAL")
    assert at([course, pre], deadline + DAY, "A14") is None
    placement = ev("offer.started", made_at + 2 * DAY)
    assert state([course, placement], deadline + DAY, "A14") is AlertState.DUE
    # A referral to a caseworker is not a handover into the employment track.
    back = ev("referral.made", made_at, referral_id="r4", to_unit="CASEWORKER")
    assert at([back], deadline + 30 * DAY, "A14") is None


def test_a16_parallel_effort_alone_for_12_weeks() -> None:
    effort = ev("parallel_effort.started", MON, effort_id="p1")
    # Alone from day 0: due day 84.
    assert at([effort], MON + 85 * DAY, "A16") == AlertView(
        "A16", AlertState.DUE, MON, MON + 84 * DAY, MON + 84 * DAY
    )
    # An offer from day 30 to day 60 beside it: the first run stops at day 30 before its
    # warning (day 70); the second starts at day 60 and is due at day 144.
    offer = ev("offer.started", MON + 30 * DAY, offer_id="o1")
    end = ev("offer.ended", MON + 60 * DAY, offer_id="o1")
    view = at([effort, offer, end], MON + 150 * DAY, "A16")
    assert view == AlertView(
        "A16", AlertState.DUE, MON + 60 * DAY, MON + 144 * DAY, MON + 144 * DAY
    )
    # The effort ending on day 50 with no offer: no alert.
    done = ev("parallel_effort.ended", MON + 50 * DAY, effort_id="p1")
    assert at([effort, done], MON + 150 * DAY, "A16") is None


def test_a17_resource_pathway_without_company_element() -> None:
    started = ev("resource_pathway.started", MON, company_element_in_plan=False)
    # Raised at the start (threshold 0), overdue after 28 days.
    assert at([started], MON + DAY, "A17") == AlertView("A17", AlertState.DUE, MON, MON, MON)
    assert state([started], MON + 29 * DAY, "A17") is AlertState.OVERDUE
    plan = ev("plan.updated", MON + 10 * DAY, plan_type="REHAB_PLAN", company_element_included=True)
    fixed = at([started, plan], MON + 40 * DAY, "A17")
    assert fixed is not None
    assert (fixed.state, fixed.state_since) == (AlertState.RESOLVED, MON + 10 * DAY)
    with_element = ev("resource_pathway.started", MON, company_element_in_plan=True)
    assert at([with_element], MON + 40 * DAY, "A17") is None


def test_a22_staff_handover_in_the_intensive_regime() -> None:
    arm = ev("trial.randomised", MON)  # TREATMENT arm: intensive weekly regime (rules file)
    handover = ev("case.handed_over", MON + 5 * DAY, handover_reason="STAFF_SICKNESS")
    assert at([arm, handover], MON + 6 * DAY, "A22") == AlertView(
        "A22", AlertState.DUE, MON + 5 * DAY, MON + 5 * DAY, MON + 5 * DAY
    )
    assert state([arm, handover], MON + 13 * DAY, "A22") is AlertState.OVERDUE
    held = ev("conversation.held", MON + 8 * DAY)
    resumed = at([arm, handover, held], MON + 20 * DAY, "A22")
    assert resumed is not None
    assert (resumed.state, resumed.state_since) == (AlertState.RESOLVED, MON + 8 * DAY)
    # Not for a reorganisation, and not outside the intensive regime.
    reorg = ev("case.handed_over", MON + 5 * DAY, handover_reason="REORGANISATION")
    assert at([arm, reorg], MON + 6 * DAY, "A22") is None
    assert at([handover], MON + 6 * DAY, "A22") is None
