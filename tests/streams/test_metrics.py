"""Facts on hand-worked timelines (domain.md §6.1)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from streams.metrics import fact_of
from tests.streams.builders import ev, record

MON = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)
DAY = timedelta(days=1)


def test_placement_metrics_m09_m17_m18_m19_m26_m29() -> None:
    rec = record(
        ev("contact.initiated", MON),
        ev("visitation.completed", MON + 3 * DAY),
        ev("offer.started", MON + 10 * DAY, offer_id="a", hours_per_week=12),
        ev("plan.created", MON + 12 * DAY, plan_type="WORK_AGREEMENT", ordinary_hours_target=30),
        ev("mentor.assigned", MON + 40 * DAY, mentor_assignment_id="m1"),
        ev("mentor.ended", MON + 100 * DAY, mentor_assignment_id="m1"),
        ev("placement.hours_changed", MON + 38 * DAY, offer_id="a", new_hours=20),
        ev("offer.extended", MON + 60 * DAY, offer_id="a"),
        ev("offer.ended", MON + 108 * DAY, offer_id="a", actual_weeks=14),
        ev("offer.started", MON + 110 * DAY, offer_id="b", offer_type="WAGE_SUBSIDY_PUBLIC"),
        ev("offer.ended", MON + 120 * DAY, offer_id="b", end_reason="INTERRUPTED_ILLNESS"),
    )
    f = fact_of(rec)
    assert f.days_to_first_company_placement == 10
    assert f.days_visitation_to_first_company_placement == 7
    assert f.internship_days == 98  # only the internship; wage subsidy is not one (M09)
    assert f.company_offers_started == 2
    assert f.company_offers_ended == 2
    assert f.company_offers_over_13_weeks == 1
    assert f.offer_extensions == 1
    assert f.interrupted_placements == 1
    assert f.hours_weeks == [0, 4]
    assert f.hours_values == [12.0, 20.0]
    assert f.hours_target == 30.0
    # The mentor (days 40-100) overlaps offer a (10-108), not offer b (110-120).
    assert f.company_placements_with_mentor == 1
    assert f.company_placements_goals_agreed_7d == 1  # work agreement 2 days after a's start
    assert f.current_state == "PLANNED"  # T12: the last placement broke down
    assert f.stage_reached == "IN_COMPANY_PLACEMENT"


def test_conversations_funnel_and_outcome_m10_m12_m14_m15_m25() -> None:
    rec = record(
        ev("contact.initiated", MON),  # ISO week of Mon 4 March = week 0
        ev("visitation.completed", MON + 9 * DAY),
        ev("conversation.scheduled", MON + 1 * DAY),
        ev("conversation.held", MON + 1 * DAY),
        ev("conversation.scheduled", MON + 15 * DAY),
        ev("conversation.no_show", MON + 15 * DAY),
        ev("conversation.held", MON + 16 * DAY),
        ev("offer.started", MON + 20 * DAY, offer_id="c", offer_type="PRE_COURSE"),
        ev("offer.ended", MON + 50 * DAY, offer_id="c"),
        ev("benefit.changed", MON + 59 * DAY, to_benefit="SICKNESS_BENEFIT"),
        ev("pathway.exited", MON + 60 * DAY, outcome="DROPOUT_ATTENDANCE"),
    )
    f = fact_of(rec)
    assert f.visited_within_7_days is False
    assert f.days_to_visitation == 9
    assert f.entry_week == date(2024, 3, 4)
    assert f.entry_month == date(2024, 3, 1)
    assert f.conversation_weeks == [0, 2]
    assert (f.conversations_held, f.conversations_scheduled, f.no_shows) == (2, 2, 1)
    assert f.pre_course_ended_at == MON + 50 * DAY
    assert f.pre_course_to_placement_7d is False
    assert f.stages_reached == ["CONTACTED", "ASSESSED", "PREPARATORY"]
    assert f.lost_at_stage == "PREPARATORY"
    assert f.outcome == "DROPOUT_ATTENDANCE"
    assert f.current_state == "EXITED"
    assert f.benefit_ended_at == MON + 59 * DAY
    assert f.ever_company_oriented is False
