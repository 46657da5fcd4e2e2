"""Per-pathway facts as a pure function of the pathway's sorted record (domain.md §6.1).

The streaming worker and the batch reference (streams/batch.py) both call `fact_of`; docs/metrics.md
defines each field. Every duration is on event time and counted on Copenhagen calendar dates.
"""

from __future__ import annotations

from datetime import date, datetime

from schemas.facts import FUNNEL_STAGES, PathwayFact
from schemas.reference import region_of
from streams.record import PathwayRecord
from streams.timeline import (
    INTERNSHIP_TYPES,
    Offer,
    Timeline,
    build,
    calendar_days,
    local_date,
    week_monday,
)

SUCCESS_OUTCOMES = frozenset({"SELF_SUFFICIENT_JOB", "SELF_SUFFICIENT_EDUCATION"})
# M15: exits where the pathway was lost (§3.6 drop-off, moves and transfers).
LOSS_OUTCOMES = frozenset(
    {"DROPOUT_MOTIVATION", "DROPOUT_ATTENDANCE", "MOVED_MUNICIPALITY", "OTHER_BENEFIT", "PRISON"}
)
# End reasons after which no next step is owed (A04, A12, M14): the citizen left for work/school.
LEFT_FOR_JOB = frozenset(
    {"HIRED_ORDINARY", "HIRED_WAGE_SUBSIDY", "STARTED_EDUCATION", "PATHWAY_EXIT"}
)
PRE_COURSE_DONE = frozenset({"COMPLETED_AS_PLANNED", "TRANSITION_TO_NEXT_OFFER"})


def region_code_for(municipality_code: str, at: datetime | None) -> str:
    """Employment region of the municipality on the Danish local date of `at` (§2.3, §4.1)."""
    if not municipality_code or at is None:
        return ""
    return region_of(municipality_code, local_date(at)).region_code


def _days(start: datetime | None, end: datetime | None) -> int | None:
    return calendar_days(start, end) if start is not None and end is not None else None


def _stages(tl: Timeline, until: datetime | None) -> list[str]:
    """M15: every funnel stage reached (at or before `until`, if given)."""

    def seen(times: list[datetime]) -> bool:
        return any(until is None or t <= until for t in times)

    reached = {
        "CONTACTED": seen(tl.contacts),
        "ASSESSED": seen(tl.visitations),
        "PLANNED": seen([t for t, kind, _ in tl.plans]),
        "PREPARATORY": seen([o.start for o in tl.offers if not o.company]),
        "IN_COMPANY_PLACEMENT": seen([o.start for o in tl.offers if o.company]),
        "JOB_HUNT": seen(tl.job_ready_at),
        "EXITED_JOB_OR_EDUCATION": tl.outcome in SUCCESS_OUTCOMES,
    }
    return [s for s in FUNNEL_STAGES if reached[s]]


def current_state(tl: Timeline) -> str:
    """Main-track state after the latest state-changing event (§3.2, transitions T1-T15).

    The reference fold over the whole timeline; facts read `Timeline.main_state`, the same
    fold kept item by item (tests/streams/test_incremental.py holds them equal)."""
    state = "CONTACTED"
    open_offers: dict[str, bool] = {}  # offer_id -> company-oriented
    by_id = {o.offer_id: o for o in tl.offers}
    for it in tl.items:
        kind = it["k"]
        if kind == "screening.completed":
            state = "SCREENED"
        elif kind == "visitation.completed":
            state = "ASSESSED"
        elif kind == "plan.created" or (kind == "plan.updated" and not open_offers):
            state = "PLANNED"
        elif kind == "resource_pathway.started":
            state = "RESOURCE_PATHWAY"
        elif kind == "offer.started" and it.get("offer_id") in by_id:
            company = by_id[it["offer_id"]].company
            open_offers[it["offer_id"]] = company
            state = "IN_COMPANY_PLACEMENT" if company else "PREPARATORY"
        elif kind == "offer.ended" and it.get("offer_id") in open_offers:
            was_company = open_offers.pop(it["offer_id"])
            interrupted = str(it.get("end_reason", "")).startswith("INTERRUPTED")
            if any(open_offers.values()):
                state = "IN_COMPANY_PLACEMENT"
            elif open_offers:
                state = "PREPARATORY"
            elif interrupted or not was_company:
                # T12 a placement broke down; T8 a course ended with no placement yet. A
                # placement completed as planned stays until the next step (T10, T11).
                state = "PLANNED"
        elif kind in ("readiness.changed", "match.changed") and it.get("to") in (
            "JOB_READY",
            "MATCH_1_LABOUR_MARKET_READY",
        ):
            state = "JOB_HUNT"
        elif kind == "pathway.exited":
            return "EXITED"
    return state


def _internship_days(tl: Timeline) -> int:
    """M09: days in internship offers; an open one counts up to the latest event."""
    total = 0
    for o in tl.offers:
        if o.offer_type in INTERNSHIP_TYPES:
            end = o.end or tl.last_event_at or o.start
            total += max(0, calendar_days(o.start, end))
    return total


def _conversation_weeks(tl: Timeline, entry: datetime | None) -> list[int]:
    """M10: week indices k (0 = ISO week of entry) with at least one held conversation."""
    if entry is None:
        return []
    week0 = week_monday(entry)
    weeks = {(week_monday(t) - week0).days // 7 for t, _ in tl.held}
    return sorted(k for k in weeks if k >= 0)


def _pre_course(tl: Timeline) -> tuple[datetime | None, bool | None]:
    """M14: first completed preparatory offer, and a company start within 7 days of its end."""
    done = [o for o in tl.offers if not o.company and o.end and o.end_reason in PRE_COURSE_DONE]
    if not done:
        return None, None
    first = min(done, key=lambda o: (o.end or o.start, o.offer_id))
    assert first.end is not None
    placed = any(
        o.company and o.start >= first.start and calendar_days(first.end, o.start) <= 7
        for o in tl.offers
    )
    return first.end, placed


def _hours(company: list[Offer], tl: Timeline) -> tuple[list[int], list[float]]:
    """M19: (week since first company start, weekly hours from then) steps."""
    if not company:
        return [], []
    origin = company[0].start
    steps = [(o.start, o.hours) for o in company if o.hours is not None]
    steps += [(t, h) for t, _, h in tl.hours_changes if t >= origin]
    steps.sort(key=lambda s: s[0])
    return [(t - origin).days // 7 for t, _ in steps], [float(h) for _, h in steps]


def _goals_within_7d(o: Offer, tl: Timeline) -> bool:
    """M29 / RD-26: goals agreed at start, or a work agreement within 7 days of it."""
    if o.goals_agreed:
        return True
    return any(
        kind == "WORK_AGREEMENT" and 0 <= calendar_days(o.start, t) <= 7 and t >= o.start
        for t, kind, _ in tl.plans
    )


def _mentored(o: Offer, tl: Timeline) -> bool:
    """M26: a mentor linked to the placement, or active at any time during it."""
    return any(m.link == o.offer_id or m.overlaps(o.start, o.end) for m in tl.mentors)


def fact_of(record: PathwayRecord, tl: Timeline | None = None) -> PathwayFact:
    """The pathway's facts from its complete (so far) deduplicated record (`tl`: its timeline)."""
    tl = tl or build(record.sorted_items())
    entry = min(tl.contacts, default=None)
    visit = min(tl.visitations, default=None)
    first_offer = min((o.start for o in tl.offers), default=None)
    company = [o for o in tl.offers if o.company]
    placed = company[0].start if company else None
    ended = [o for o in company if o.end is not None]
    weeks = [
        o.actual_weeks if o.actual_weeks is not None else (o.end - o.start).days / 7
        for o in ended
        if o.end is not None
    ]
    hours_weeks, hours_values = _hours(company, tl)
    targets = [h for _, _, h in tl.plans if h is not None]
    pre_end, pre_placed = _pre_course(tl)
    stages = _stages(tl, None)
    lost = ""
    if tl.outcome in LOSS_OUTCOMES:
        lost = _stages(tl, tl.exit_at)[-1] if _stages(tl, tl.exit_at) else "CONTACTED"
    t, _eid, citizen, muni, job_centre, programme = record.dims
    latest = datetime.fromisoformat(t) if t else None
    entry_day: date | None = local_date(entry) if entry else None
    n = len(record.items)
    return PathwayFact(
        pathway_id=record.pathway_id,
        citizen_id=citizen,
        municipality_code=muni,
        region_code=region_code_for(muni, latest),
        job_centre_id=job_centre,
        programme_id=programme or "NONE",
        trial_arm=tl.trial_arm,
        readiness=tl.readiness,
        match_group=tl.match_group,
        age_band=tl.age_band,
        entry_at=entry,
        entry_week=week_monday(entry) if entry else None,
        entry_month=entry_day.replace(day=1) if entry_day else None,
        trial_entry_at=tl.trial_entry_at,
        visitation_at=visit,
        days_to_visitation=_days(entry, visit),
        visited_within_7_days=(
            None if visit is None or entry is None else calendar_days(entry, visit) <= 7
        ),
        first_offer_at=first_offer,
        days_visitation_to_first_offer=_days(visit, first_offer),
        first_company_placement_at=placed,
        days_to_first_company_placement=_days(entry, placed),
        days_visitation_to_first_company_placement=_days(visit, placed),
        ever_company_oriented=placed is not None,
        internship_days=_internship_days(tl),
        conversation_weeks=_conversation_weeks(tl, entry),
        conversations_held=len(tl.held),
        conversations_scheduled=tl.scheduled,
        no_shows=len(tl.no_shows),
        benefit_ended_at=tl.benefit_ended_at,
        pre_course_ended_at=pre_end,
        pre_course_to_placement_7d=pre_placed,
        stage_reached=stages[-1] if stages else "CONTACTED",
        stages_reached=stages,
        lost_at_stage=lost,
        current_state=tl.main_state,
        company_offers_started=len(company),
        company_offers_ended=len(ended),
        company_placement_weeks=round(float(sum(weeks)), 3),
        company_offers_over_13_weeks=sum(1 for w in weeks if w > 13),
        offer_extensions=sum(o.extensions for o in company),
        interrupted_placements=sum(1 for o in ended if o.end_reason.startswith("INTERRUPTED")),
        hours_initial=company[0].hours if company else None,
        hours_latest=hours_values[-1] if hours_values else None,
        hours_max=max(hours_values) if hours_values else None,
        hours_target=targets[-1] if targets else None,
        hours_weeks=hours_weeks,
        hours_values=hours_values,
        company_placements_with_mentor=sum(1 for o in company if _mentored(o, tl)),
        company_placements_goals_agreed_7d=sum(1 for o in company if _goals_within_7d(o, tl)),
        parallel_efforts=len(tl.parallel),
        parallel_overlaps_offer=any(
            p.overlaps(o.start, o.end) for p in tl.parallel for o in tl.offers
        ),
        outcome=tl.outcome,
        exit_at=tl.exit_at,
        last_event_at=tl.last_event_at,
        events_applied=n,
        version=n,
    )
