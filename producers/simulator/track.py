"""The main track after visitation (domain.md §3.3 T5-T15, §3.5 P1-P3, P9).

Order of draws: decisions first (company placement? preparatory offer? exit?), then the
timeline. Nothing is emitted at or after the exit or past the observation horizon, so a
pathway never shows activity after `pathway.exited`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from producers.simulator.context import PathwayContext
from producers.simulator.conversations import run_conversations
from schemas.enums import ActorRole, ProviderType, Sensitivity, SourceSystem

EXIT_BENEFIT = {
    "SELF_SUFFICIENT_JOB": "NONE",
    "SELF_SUFFICIENT_EDUCATION": "STUDENT_GRANT",
    "OTHER_BENEFIT": "SICKNESS_BENEFIT",
    "EARLY_RETIREMENT_PENSION": "EARLY_PENSION",
}
HEALTH_EFFORTS = ("PHYSICAL_REHAB", "HEALTH_PROGRAMME", "PSYCHIATRIC_TREATMENT")
SOCIAL_EFFORTS = ("SUBSTANCE_ABUSE_TREATMENT", "SUPPORT_CONTACT_PERSON", "FINANCIAL_COUNSELLING")
INTERRUPTIONS = ("INTERRUPTED_ABSENCE", "INTERRUPTED_ILLNESS", "INTERRUPTED_MISMATCH")


@dataclass
class Plan:
    """What this pathway will do, decided before the timeline is drawn."""

    company_week: int | None
    prep_week: int | None
    exit_week: int | None
    outcome: str | None
    end_at: datetime  # exit time, or the end of observation


def run_track(p: PathwayContext) -> None:
    """Plans, offers, placements, conversations and the exit of one pathway."""
    plan = _decide(p)
    _plans(p, plan)
    placements: list[tuple[datetime, datetime]] = []
    if plan.prep_week is not None:
        _preparatory(p, plan)
    if plan.company_week is not None:
        placements = _placements(p, plan)
    run_conversations(p, plan.end_at, placements)
    _parallel_effort(p, plan.end_at)
    # Follow-ups drawn relative to a start (extension, mentor, agreement) may fall after the
    # exit or the horizon; the pathway shows nothing there.
    p.steps = [s for s in p.steps if s.at < plan.end_at]
    if plan.outcome is not None:
        _exit(p, plan)


def _decide(p: PathwayContext) -> Plan:
    d, tr, rng, horizon = p.d, p.c.track, p.rng, p.scenario.horizon_weeks
    company = rng.random() < tr.company_share
    prep = tr.brondby_model or rng.random() < tr.preparatory_share
    if tr.brondby_model:
        # P1 / RD-04: measures in weeks 1-4, course weeks 5-8, internship Monday of week 9.
        prep_week: int | None = tr.measures_weeks + 1
        company_week: int | None = tr.measures_weeks + tr.course_weeks + 1 if company else None
    else:
        company_week = (
            rng.randint(tr.company_start_week_min, tr.company_start_week_max) if company else None
        )
        prep_week = tr.preparatory_start_week if prep else None
        if prep_week is not None and company_week is not None and company_week <= prep_week:
            prep_week = None  # ready at once: straight to the company (T6, principle 2)
    # Exits come after the first company weeks, so the company share is not cut by early exits.
    floor = (company_week or 0) + 2
    u = rng.random()
    outcome: str | None = None
    if u < tr.job_share:
        outcome = "SELF_SUFFICIENT_JOB"
    elif u < tr.job_share + tr.education_share:
        outcome = "SELF_SUFFICIENT_EDUCATION"
    elif u < tr.job_share + tr.education_share + tr.other_exit_share:
        mix = d.other_exit_mix
        outcome = rng.choices([m["outcome"] for m in mix], [m["weight"] for m in mix])[0]
    exit_week: int | None = None
    if outcome is not None:
        if outcome.startswith("SELF_SUFFICIENT") or tr.brondby_model:
            low = max(d.exit_week_min, floor)
        else:
            low = max(2, floor)
        if low <= horizon:
            exit_week = rng.randint(low, horizon)
        else:
            outcome = None
    end_day = 7 * (exit_week - 1) if exit_week is not None else 7 * horizon
    return Plan(company_week, prep_week, exit_week, outcome, p.at_day(end_day, 8))


def _plans(p: PathwayContext, plan: Plan) -> None:
    """T5 plan.created (and T13 resource pathway, P9)."""
    tr, rng = p.c.track, p.rng
    if tr.brondby_model:
        # P1: effort plan and job plan are two of the four measures of weeks 1-4.
        p.add(p.at_day(p.week_day(3)), "plan.created", "PLANNED", **_plan(p, "EFFORT_PLAN"))
        p.add(p.at_day(p.week_day(4)), "plan.created", **_plan(p, "JOB_PLAN"))
        return
    p.add(p.at_day(rng.randint(1, 5)), "plan.created", "PLANNED", **_plan(p, "JOB_PLAN"))
    if tr.resource_pathway:
        company = plan.company_week is not None
        p.add(
            p.at_day(p.week_day(3)),
            "rehab_team.recommendation",
            recommendation="RESOURCE_PATHWAY",
            company_element_in_plan=company,
            planned_duration_months=24,  # [proposal] resource pathways run 1-5 years (§1.6)
            actor_role=ActorRole.REHAB_TEAM,
            sensitivity=Sensitivity.HEALTH,
        )
        p.add(
            p.at_day(p.week_day(4)),
            "resource_pathway.started",
            "RESOURCE_PATHWAY",
            company_element_in_plan=company,
            planned_duration_months=24,
            actor_role=ActorRole.REHAB_TEAM,
        )


def _plan(p: PathwayContext, plan_type: str) -> dict[str, Any]:
    return {
        "plan_id": p.new_id("pl"),
        "plan_type": plan_type,
        "cv_completed": p.rng.choice([True, False]),
        "parties": ["CITIZEN", "JOB_CENTRE"],
    }


def _preparatory(p: PathwayContext, plan: Plan) -> None:
    """T7 preparatory offer; ends on the Friday before the placement's Monday (T8, RD-04)."""
    tr, rng = p.c.track, p.rng
    assert plan.prep_week is not None
    start = p.at_day(p.week_day(plan.prep_week, 0), 8)
    if start >= plan.end_at:
        return
    if plan.company_week is not None:
        weeks = plan.company_week - plan.prep_week
    else:
        weeks = tr.course_weeks if tr.brondby_model else rng.randint(4, 8)
    offer_id = p.new_id("of")
    p.add(
        start,
        "offer.started",
        "PREPARATORY",
        offer_id=offer_id,
        offer_type=rng.choice(tr.preparatory_types),
        provider_type=rng.choice([ProviderType.INTERNAL, ProviderType.EXTERNAL_PROVIDER]),
        planned_weeks=weeks,
        hours_per_week=float(rng.choice([10, 15, 20])),
        correlation_id=offer_id,
    )
    end = p.at_day(p.week_day(plan.prep_week + weeks - 1, 4), 15)
    nxt = plan.company_week is not None
    end_offer(p, plan, offer_id, start, end, "COMPLETED_AS_PLANNED", None if nxt else "PLANNED")


def end_offer(
    p: PathwayContext,
    plan: Plan,
    offer_id: str,
    start: datetime,
    end: datetime,
    reason: str,
    state: str | None,
    hours: float | None = None,
) -> datetime | None:
    """offer.ended at `end`, or at the exit when that comes first; None if past the horizon."""
    if end >= plan.end_at:
        if plan.outcome is None:
            return None  # still running when observation ends (censored)
        end = plan.end_at - timedelta(minutes=2)
        reason = {
            "SELF_SUFFICIENT_JOB": "HIRED_ORDINARY",
            "SELF_SUFFICIENT_EDUCATION": "STARTED_EDUCATION",
        }.get(plan.outcome, "PATHWAY_EXIT")
        state = None
    fields: dict[str, object] = {
        "offer_id": offer_id,
        "end_reason": reason,
        "actual_weeks": max(0, round((end - start).days / 7)),
        "next_step_agreed": state is None,
    }
    if hours is not None:
        fields["final_hours_per_week"] = hours
    p.add(end, "offer.ended", state, correlation_id=offer_id, **fields)
    return end


def _placements(p: PathwayContext, plan: Plan) -> list[tuple[datetime, datetime]]:
    """T6/T8 placement, T10 hours ramp, extension and wage subsidy, T11/T12 after it."""
    from producers.simulator.placement import run_placements

    return run_placements(p, plan)


def _parallel_effort(p: PathwayContext, end_at: datetime) -> None:
    """E19 parallel social/health track (§3.4); sensitive, never changes the main state."""
    d, rng = p.d, p.rng
    if rng.random() >= d.parallel_effort_share:
        return
    start = p.at_day(p.week_day(rng.randint(1, 8)))
    if start >= end_at:
        return
    kind = rng.choice(HEALTH_EFFORTS + SOCIAL_EFFORTS)
    health = kind in HEALTH_EFFORTS
    effort_id = p.new_id("pe")
    common = {
        "effort_type": kind,
        "legal_basis": "HEALTH_LEGISLATION" if health else "SERVICELOVEN",
        "sensitivity": Sensitivity.HEALTH if health else Sensitivity.SOCIAL,
        "actor_role": ActorRole.HEALTH_SERVICES if health else ActorRole.SOCIAL_SERVICES,
        "correlation_id": effort_id,
    }
    p.add(start, "parallel_effort.started", coordinated_with_plan=True, **common)
    end = start + timedelta(weeks=d.parallel_effort_weeks)
    if end < end_at:
        p.add(end, "parallel_effort.ended", **common)


def _exit(p: PathwayContext, plan: Plan) -> None:
    """T15 pathway.exited with the §3.6 outcome, and the benefit change it implies (E22)."""
    assert plan.outcome is not None
    at = plan.end_at
    to_benefit = EXIT_BENEFIT.get(plan.outcome)
    if to_benefit is not None:
        p.add(
            at - timedelta(minutes=1),
            "benefit.changed",
            from_benefit="CASH_BENEFIT",
            to_benefit=to_benefit,
            effective_date=at.date().isoformat(),
            partial_top_up=False,
            source_system=SourceSystem.BENEFIT_SYSTEM,
            actor_role=ActorRole.SYSTEM,
        )
    internships = sum(
        1 for s in p.steps if s.event_type == "offer.started" and s.state == "IN_COMPANY_PLACEMENT"
    )
    parallel = sum(1 for s in p.steps if s.event_type == "parallel_effort.started" and s.at < at)
    mentor = any(s.event_type == "mentor.assigned" for s in p.steps)
    p.add(
        at,
        "pathway.exited",
        "EXITED",
        outcome=plan.outcome,
        exit_date=at.date().isoformat(),
        prior_efforts_summary={
            "internships_count": internships,
            "parallel_efforts_count": parallel,
            "mentor_support": mentor,
            "municipal_follow_up": True,
        },
        planned_next_efforts=False,
        sensitivity=Sensitivity.CRIMINAL if plan.outcome == "PRISON" else Sensitivity.NORMAL,
    )
