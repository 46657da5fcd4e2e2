"""Intake (domain.md §3.3 T1-T3, §4.2 E1-E3, E26): contact, screening, visitation, randomisation."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from producers.simulator.context import PathwayContext, iso
from schemas.enums import (
    ActorRole,
    AgeBand,
    Benefit,
    Channel,
    ClassificationScheme,
    EntryReason,
    MatchGroup,
    NextStep,
    Readiness,
    ReceptionUnit,
    Sensitivity,
    SourceSystem,
)

BARRIERS = ["HEALTH_PHYSICAL", "HEALTH_MENTAL", "SOCIAL_FAMILY", "DEBT_ECONOMY", "NONE"]


def run_intake(p: PathwayContext) -> None:
    """Contact (T1), optional screening (T2), visitation within a week (T3, RD-01), E26."""
    d, c, rng, tr = p.d, p.c, p.rng, p.c.track
    contact = c.entry
    trial = c.arm is not None
    over_30 = trial or tr.brondby_model or tr.readiness == "ACTIVITY_READY"
    bands = list(AgeBand)[2:] if over_30 else list(AgeBand)[:4]
    benefit = (
        Benefit.START_BENEFIT if rng.random() < d.start_benefit_share else Benefit.CASH_BENEFIT
    )
    # Trial entry was newly matched or re-matched citizens (§1.1 NEWLY_MATCHED / REMATCHED).
    new, rematch = EntryReason.NEW_APPLICATION, EntryReason.REMATCH_INTO_TARGET_GROUP
    reason = rng.choice([rematch, new]) if trial else new
    p.add(
        contact,
        "contact.initiated",
        "CONTACTED",
        channel=rng.choice(list(Channel)),
        entry_reason=reason,
        benefit_applied_for=benefit,
        age_band=rng.choice(bands),
        reception_unit=rng.choice([ReceptionUnit.MODTAGELSEN, ReceptionUnit.JOBBUTIKKEN]),
        actor_role=ActorRole.RECEPTION_WORKER,
    )
    if tr.brondby_model:
        # P1: the cohort starts together; week 1 is the contact week (RD-04).
        visit_days = rng.randint(1, 4)
        p.origin = contact.date()
    else:
        if rng.random() < d.visitation_overdue_share:
            visit_days = rng.randint(d.visitation_days_max + 1, d.visitation_overdue_days_max)
        else:
            visit_days = rng.randint(1, d.visitation_days_max)
        p.origin = (contact + timedelta(days=visit_days)).date()
    if tr.brondby_model or rng.random() < d.screening_share:
        _screening(p, contact + timedelta(hours=rng.randint(1, 3)))
    visit_at = contact + timedelta(days=visit_days)
    visit_at = visit_at.replace(hour=9 + rng.randint(0, 5), minute=rng.randint(0, 59))
    fields: dict[str, Any] = {"classification_scheme": p.scenario.classification}
    if p.scenario.classification is ClassificationScheme.MATCH_2010:
        fields["match_group"] = MatchGroup.MATCH_2_EFFORT_READY
    else:
        fields["readiness"] = tr.readiness or Readiness.ACTIVITY_READY
    fields |= {
        "job_goal_stated": rng.choice([True, False]),
        "company_placement_announced": tr.company_share >= tr.preparatory_share,
        "next_step": NextStep.REHAB_TEAM if tr.resource_pathway else NextStep.PLAN,
    }
    p.add(visit_at, "visitation.completed", "ASSESSED", **fields)
    if trial:
        # E26: randomised at the first follow-up conversation after matching (RD-17).
        at = visit_at + timedelta(minutes=30)
        p.add(
            at,
            "trial.randomised",
            trial_id="PRVIJ_2010",
            arm=c.arm,
            randomised_at=iso(at),
            entry_point="FIRST_FOLLOW_UP_AFTER_MATCH",
            source_system=SourceSystem.PROJECT_REGISTRATION_SYSTEM,
        )


def _screening(p: PathwayContext, at: datetime) -> None:
    """E2 with coarse barrier codes; health barriers make the event HEALTH-sensitive (§8.2)."""
    rng = p.rng
    barriers = rng.sample(BARRIERS, 2)
    if "NONE" in barriers:
        barriers = ["NONE"]
    if any(b.startswith("HEALTH") for b in barriers):
        sensitivity = Sensitivity.HEALTH
    elif barriers != ["NONE"]:
        sensitivity = Sensitivity.SOCIAL
    else:
        sensitivity = Sensitivity.NORMAL
    p.add(
        at,
        "screening.completed",
        "SCREENED",
        tool_id="screening_v1",
        barrier_categories=barriers,
        resource_flags=rng.sample(["WORK_EXPERIENCE", "MOTIVATED", "JOB_GOAL_STATED"], 1),
        direct_course_referral=False,
        actor_role=ActorRole.RECEPTION_WORKER,
        sensitivity=sensitivity,
    )
