"""Plans: E11 plan.created / plan.updated (§3.3 T5; goals, sub-goals and milestones [000, 002])."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from schemas.enums import danish
from schemas.envelope import Code, Envelope
from schemas.events.base import Part, WeeklyHours
from schemas.events.registry import register


@danish(
    {
        "JOB_PLAN": "jobplan",
        "EFFORT_PLAN": "indsatsplan",
        "COMPANY_ORIENTED_EFFORT_PLAN": "virksomhedsrettet indsatsplan",
        "COORDINATED_PLAN": "koordineret plan",
        "REHAB_PLAN": "rehabiliteringsplan",
        "WORK_AGREEMENT": "arbejdsaftale",
        "RESOURCE_PROFILE": "ressourceprofil",
    }
)
class PlanType(StrEnum):
    """Kind of plan (E11)."""

    JOB_PLAN = "JOB_PLAN"
    EFFORT_PLAN = "EFFORT_PLAN"
    COMPANY_ORIENTED_EFFORT_PLAN = "COMPANY_ORIENTED_EFFORT_PLAN"
    COORDINATED_PLAN = "COORDINATED_PLAN"
    REHAB_PLAN = "REHAB_PLAN"
    WORK_AGREEMENT = "WORK_AGREEMENT"
    RESOURCE_PROFILE = "RESOURCE_PROFILE"


@danish(
    {
        "LONG_TERM_GOAL": "langsigtet mål",
        "GOAL": "mål",
        "SUB_GOAL": "delmål",
        "MILESTONE": "milepæl",
    }
)
class GoalLevel(StrEnum):
    """Level of a goal in the three-step model (E11)."""

    LONG_TERM_GOAL = "LONG_TERM_GOAL"
    GOAL = "GOAL"
    SUB_GOAL = "SUB_GOAL"
    MILESTONE = "MILESTONE"


@danish({"OPEN": "igangværende", "ACHIEVED": "nået", "REVISED": "revideret", "MISSED": "ikke nået"})
class GoalStatus(StrEnum):
    """Status of a goal (E11; the values of the related goal.status_changed)."""

    OPEN = "OPEN"
    ACHIEVED = "ACHIEVED"
    REVISED = "REVISED"
    MISSED = "MISSED"


@danish({"CITIZEN": "borger", "JOB_CENTRE": "jobcenter", "COMPANY": "virksomhed"})
class PlanParty(StrEnum):
    """Who signed up to the plan (E11; the citizen as pen-holder of own sub-goals [002])."""

    CITIZEN = "CITIZEN"
    JOB_CENTRE = "JOB_CENTRE"
    COMPANY = "COMPANY"


@danish(
    {
        "INTENSIVE_WEEKLY": "intensive ugentlige samtaler",
        "STANDARD": "almindelig kontaktforløb (ca. hver 3. måned)",
        "INDIVIDUAL": "individuelt tilrettelagt",
    }
)
class ConversationRegime(StrEnum):
    """Conversation regime of the pathway (§3.4), set by programme enrolment or plan.updated."""

    INTENSIVE_WEEKLY = "INTENSIVE_WEEKLY"
    STANDARD = "STANDARD"
    INDIVIDUAL = "INDIVIDUAL"


class Goal(Part):
    """One goal, sub-goal or milestone of a plan; coded, never the goal's wording (§8.7)."""

    goal_id: Code
    level: GoalLevel
    target_date: date | None = None
    status: GoalStatus = GoalStatus.OPEN


class _Plan(Envelope):
    plan_id: Code
    plan_type: PlanType
    job_goal_code: Code | None = None  # occupation code, e.g. DISCO-08
    education_goal_code: Code | None = None
    goals: tuple[Goal, ...] = ()
    cv_completed: bool | None = None
    citizen_authored_subgoals: bool | None = None
    parties: tuple[PlanParty, ...] = ()
    ordinary_hours_target: WeeklyHours | None = None
    next_review_date: date | None = None
    company_element_included: bool | None = None  # rehab plans must have one [001]
    conversation_regime: ConversationRegime | None = None


@register
class PlanCreated(_Plan):
    """E11: a plan was made (T5: ASSESSED -> PLANNED); WORK_AGREEMENT at placement start."""

    event_type: Literal["plan.created"] = "plan.created"


@register
class PlanUpdated(_Plan):
    """E11: a plan was revised; fields present are the plan's new values."""

    event_type: Literal["plan.updated"] = "plan.updated"
