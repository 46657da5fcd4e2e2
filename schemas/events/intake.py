"""Intake and assessment: E1 contact.initiated, E2 screening.completed, E3 visitation.completed
and its variants readiness.changed / match.changed (§3.3 T1-T3, T11, T17)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from schemas.enums import (
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
    danish,
)
from schemas.envelope import Code, Envelope
from schemas.events.base import require_sensitivity
from schemas.events.registry import register


@danish(
    {
        "HEALTH_PHYSICAL": "fysiske helbredsproblemer",
        "HEALTH_MENTAL": "psykiske helbredsproblemer",
        "SUBSTANCE_USE": "misbrug",
        "SOCIAL_FAMILY": "sociale / familiemæssige forhold",
        "HOUSING": "boligforhold",
        "DEBT_ECONOMY": "gæld / økonomi",
        "LANGUAGE_LITERACY": "sprog / læsefærdigheder",
        "NO_WORK_EXPERIENCE": "ingen erhvervserfaring",
        "NONE": "ingen barrierer",
    }
)
class Barrier(StrEnum):
    """Coarse barrier category from reception screening (E2); sensitive (§8.2, §8.3)."""

    HEALTH_PHYSICAL = "HEALTH_PHYSICAL"
    HEALTH_MENTAL = "HEALTH_MENTAL"
    SUBSTANCE_USE = "SUBSTANCE_USE"
    SOCIAL_FAMILY = "SOCIAL_FAMILY"
    HOUSING = "HOUSING"
    DEBT_ECONOMY = "DEBT_ECONOMY"
    LANGUAGE_LITERACY = "LANGUAGE_LITERACY"
    NO_WORK_EXPERIENCE = "NO_WORK_EXPERIENCE"
    NONE = "NONE"


HEALTH_BARRIERS = frozenset({Barrier.HEALTH_PHYSICAL, Barrier.HEALTH_MENTAL})
SOCIAL_BARRIERS = frozenset(
    {Barrier.SUBSTANCE_USE, Barrier.SOCIAL_FAMILY, Barrier.HOUSING, Barrier.DEBT_ECONOMY}
)


@danish(
    {
        "WORK_EXPERIENCE": "erhvervserfaring",
        "EDUCATION": "uddannelse",
        "MOTIVATED": "motiveret",
        "JOB_GOAL_STATED": "jobmål formuleret",
    }
)
class ResourceFlag(StrEnum):
    """Resource noted at screening (E2)."""

    WORK_EXPERIENCE = "WORK_EXPERIENCE"
    EDUCATION = "EDUCATION"
    MOTIVATED = "MOTIVATED"
    JOB_GOAL_STATED = "JOB_GOAL_STATED"


@danish(
    {
        "PLACEMENT_COMPLETED": "afsluttet virksomhedsforløb",
        "PROGRESSION": "progression",
        "SETBACK": "tilbagefald",
        "NEW_INFORMATION": "nye oplysninger",
        "REASSESSMENT": "revisitation",
        "OTHER": "andet",
    }
)
class ChangeReason(StrEnum):
    """Why readiness or match group changed (E3 variants) [proposal: §4.2 names no values]."""

    PLACEMENT_COMPLETED = "PLACEMENT_COMPLETED"
    PROGRESSION = "PROGRESSION"
    SETBACK = "SETBACK"
    NEW_INFORMATION = "NEW_INFORMATION"
    REASSESSMENT = "REASSESSMENT"
    OTHER = "OTHER"


@register
class ContactInitiated(Envelope):
    """E1: first contact / intake; starts the 7-day visitation clock (RD-01)."""

    event_type: Literal["contact.initiated"] = "contact.initiated"
    channel: Channel
    entry_reason: EntryReason
    benefit_applied_for: Benefit = Benefit.CASH_BENEFIT
    age_band: AgeBand | None = None
    reception_unit: ReceptionUnit | None = None


@register
class ScreeningCompleted(Envelope):
    """E2: reception screening with coarse barrier codes (T2); may refer straight to a course."""

    event_type: Literal["screening.completed"] = "screening.completed"
    tool_id: Code | None = None
    barrier_categories: tuple[Barrier, ...] = Field(min_length=1)
    resource_flags: tuple[ResourceFlag, ...] = ()
    direct_course_referral: bool = False

    @model_validator(mode="after")
    def _barriers_are_tagged(self) -> ScreeningCompleted:
        found = set(self.barrier_categories)
        if Barrier.NONE in found and len(found) > 1:
            raise ValueError("barrier_categories: NONE cannot be combined with a barrier")
        if found & HEALTH_BARRIERS:
            require_sensitivity(self, Sensitivity.HEALTH, "a health barrier")
        elif found & SOCIAL_BARRIERS:
            require_sensitivity(self, Sensitivity.SOCIAL, "a social barrier")
        return self


@register
class VisitationCompleted(Envelope):
    """E3: assessment interview with readiness and/or match group (RD-01, T3)."""

    event_type: Literal["visitation.completed"] = "visitation.completed"
    classification_scheme: ClassificationScheme
    match_group: MatchGroup | None = None
    readiness: Readiness | None = None
    job_goal_stated: bool = False
    company_placement_announced: bool = False
    next_step: NextStep = NextStep.PLAN


class _Change(Envelope):
    # `from` is a Python keyword: the field is `from_` in Python, `from` on the wire.
    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)


@register
class ReadinessChanged(_Change):
    """E3 variant: readiness re-assessed (2014 scheme); to JOB_READY is T11 (JOB_HUNT), T17."""

    event_type: Literal["readiness.changed"] = "readiness.changed"
    from_: Readiness | None = Field(default=None, alias="from")
    to: Readiness
    reason: ChangeReason = ChangeReason.OTHER


@register
class MatchChanged(_Change):
    """E3 variant: re-matching (om-matchning, 2010 scheme); to match group 1 is T11, T17."""

    event_type: Literal["match.changed"] = "match.changed"
    from_: MatchGroup | None = Field(default=None, alias="from")
    to: MatchGroup
    reason: ChangeReason = ChangeReason.OTHER
