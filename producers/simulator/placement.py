"""Company placements (domain.md §3.3 T6/T8/T10/T11/T12, §4.2 E12-E17, RD-06/07/08/20/26)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from producers.simulator.context import PathwayContext
from schemas.enums import ActorRole, OfferType, ProviderType, PublicOrPrivate, SourceSystem

if TYPE_CHECKING:
    from producers.simulator.track import Plan

INTERRUPTIONS = ("INTERRUPTED_ABSENCE", "INTERRUPTED_ILLNESS", "INTERRUPTED_MISMATCH")


def run_placements(p: PathwayContext, plan: Plan) -> list[tuple[datetime, datetime]]:
    """First placement, optional wage-subsidy successor; returns the (start, end) intervals."""
    from producers.simulator.track import end_offer

    d, tr, rng = p.d, p.c.track, p.rng
    assert plan.company_week is not None
    intervals: list[tuple[datetime, datetime]] = []
    start = p.at_day(p.week_day(plan.company_week, 0), 8)
    offer_type = rng.choice(tr.company_types)
    weeks = tr.placement_weeks
    interrupted = rng.random() < tr.interrupted_share
    extended = not interrupted and rng.random() < tr.extension_share
    successor = not interrupted and rng.random() < tr.wage_subsidy_share
    while start < plan.end_at:
        offer_id = p.new_id("of")
        public = "PUBLIC" in offer_type or ("PRIVATE" not in offer_type and rng.random() < 0.5)
        sector = PublicOrPrivate.PUBLIC if public else PublicOrPrivate.PRIVATE
        goals = rng.random() < d.goals_agreed_share
        hours = d.hours_start
        p.add(
            start,
            "offer.started",
            "IN_COMPANY_PLACEMENT",
            offer_id=offer_id,
            offer_type=offer_type,
            provider_type=ProviderType.COMPANY,
            company_id=p.new_id("co"),
            public_or_private=sector,
            planned_weeks=weeks,
            hours_per_week=hours,
            goals_agreed=goals,
            actor_role=ActorRole.COMPANY_CONSULTANT,
            correlation_id=offer_id,
        )
        if goals:
            # RD-26: the work agreement is signed when the placement starts.
            p.add(
                start + timedelta(hours=2),
                "plan.created",
                plan_id=p.new_id("pl"),
                plan_type="WORK_AGREEMENT",
                cv_completed=True,
                parties=["CITIZEN", "JOB_CENTRE", "COMPANY"],
                actor_role=ActorRole.COMPANY_CONSULTANT,
            )
        if rng.random() < d.mentor_share_in_placement:
            p.add(
                start + timedelta(days=rng.randint(0, 10)),
                "mentor.assigned",
                mentor_assignment_id=p.new_id("me"),
                mentor_type=rng.choice(["COMPANY_MENTOR", "SOCIAL_MENTOR"]),
                mentor_org=rng.choice(["COMPANY", "JOB_CENTRE"]),
                linked_offer_id=offer_id,
            )
        actual = rng.randint(1, max(1, weeks - 1)) if interrupted else weeks
        if extended:
            new_end = start + timedelta(weeks=weeks + tr.extension_weeks)
            p.add(
                start + timedelta(weeks=weeks - 1, days=rng.randint(0, 4)),
                "offer.extended",
                offer_id=offer_id,
                new_planned_end=new_end.date().isoformat(),
                reason="NOT_READY_FOR_JOB_HUNT",
                correlation_id=offer_id,
            )
            actual = weeks + tr.extension_weeks
        end = start + timedelta(weeks=actual) - timedelta(days=3) + timedelta(hours=7)
        hours = _hours_ramp(p, offer_id, start, min(end, plan.end_at), hours)
        if offer_type is OfferType.COMPANY_CENTRE_INTERNSHIP:
            _reviews(p, offer_id, start, min(end, plan.end_at))
        if interrupted:
            reason, state = rng.choice(INTERRUPTIONS), "PLANNED"  # T12
        elif successor:
            reason, state = "TRANSITION_TO_NEXT_OFFER", None  # T10
        else:
            reason, state = "COMPLETED_AS_PLANNED", None
        ended = end_offer(p, plan, offer_id, start, end, reason, state, hours)
        intervals.append((start, ended or plan.end_at))
        if ended is None or ended >= plan.end_at - timedelta(minutes=5):
            return intervals
        if successor:
            # RD-07: wage subsidy for 6 months after the internship (cases D, E).
            start = ended + timedelta(days=3) - timedelta(hours=7)
            offer_type = rng.choice([OfferType.WAGE_SUBSIDY_PUBLIC, OfferType.WAGE_SUBSIDY_PRIVATE])
            weeks, interrupted, extended, successor = d.wage_subsidy_weeks, False, False, False
            continue
        if not interrupted:
            _after_placement(p, plan, ended)
        return intervals
    return intervals


def _hours_ramp(
    p: PathwayContext, offer_id: str, start: datetime, end: datetime, hours: float
) -> float:
    """E15 every few weeks, 12 -> 32 h/week over about half a year (RD-08, case E)."""
    d = p.d
    at = start + timedelta(weeks=d.hours_step_weeks)
    while at < end and hours < d.hours_max:
        new = round(min(d.hours_max, hours + d.hours_step), 1)
        p.add(
            at,
            "placement.hours_changed",
            offer_id=offer_id,
            previous_hours=hours,
            new_hours=new,
            initiated_by=p.rng.choice(["CITIZEN_REQUEST", "COMPANY", "JOB_CENTRE"]),
            effective_date=at.date().isoformat(),
            actor_role=ActorRole.COMPANY_CONSULTANT,
            correlation_id=offer_id,
        )
        hours = new
        at += timedelta(weeks=d.hours_step_weeks)
    return hours


def _reviews(p: PathwayContext, offer_id: str, start: datetime, end: datetime) -> None:
    """E16 placement review every 3 months in a company centre (RD-20)."""
    at = start + timedelta(weeks=p.d.placement_review_weeks)
    while at < end:
        p.add(
            at,
            "placement.review",
            offer_id=offer_id,
            new_tasks_or_responsibilities=p.rng.choice([True, False]),
            support_current=["COMPANY_MENTOR", "JOB_CENTRE_FOLLOW_UP"],
            new_parallel_effort_started=False,
            review_due_date=(at + timedelta(weeks=p.d.placement_review_weeks)).date().isoformat(),
            source_system=SourceSystem.PROJECT_REGISTRATION_SYSTEM,
        )
        at += timedelta(weeks=p.d.placement_review_weeks)


def _after_placement(p: PathwayContext, plan: Plan, ended: datetime) -> None:
    """T11 ready for a real job hunt when a job or education exit follows; else T12 to PLANNED."""
    at = ended + timedelta(days=1)
    if plan.outcome in ("SELF_SUFFICIENT_JOB", "SELF_SUFFICIENT_EDUCATION") and at < plan.end_at:
        event_type, fields = _readiness_change(p)
        p.add(at, event_type, "JOB_HUNT", **fields)
    elif at < plan.end_at:
        p.add(at, "plan.updated", "PLANNED", plan_id=p.new_id("pl"), plan_type="JOB_PLAN")


def _readiness_change(p: PathwayContext) -> tuple[str, dict[str, str]]:
    """E3 variant in the scenario's scheme: match.changed (2010) or readiness.changed (2014)."""
    if p.scenario.classification == "MATCH_2010":
        event_type, old, new = (
            "match.changed",
            "MATCH_2_EFFORT_READY",
            "MATCH_1_LABOUR_MARKET_READY",
        )
    else:
        event_type, old, new = "readiness.changed", "ACTIVITY_READY", "JOB_READY"
    return event_type, {"from": old, "to": new, "reason": "PLACEMENT_COMPLETED"}
