"""Exemptions and the resource pathway: E20 exemption.started / .ended, E21
rehab_team.recommendation, resource_pathway.started / .ended (§3.3 T13, T14, T16; P9)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import model_validator

from schemas.enums import Sensitivity, danish
from schemas.envelope import Code, Envelope
from schemas.events.base import Months, require_sensitivity
from schemas.events.registry import register


@danish(
    {
        "ILLNESS": "sygdom",
        "TREATMENT": "behandling",
        "AWAITING_TREATMENT": "afventer behandling",
        "PARENTAL_LEAVE": "barsel",
        "OTHER": "andet",
    }
)
class ExemptionReason(StrEnum):
    """Why the citizen is exempted (E20); illness and treatment are health data (§8.2)."""

    ILLNESS = "ILLNESS"
    TREATMENT = "TREATMENT"
    AWAITING_TREATMENT = "AWAITING_TREATMENT"
    PARENTAL_LEAVE = "PARENTAL_LEAVE"
    OTHER = "OTHER"


HEALTH_REASONS = frozenset(
    {ExemptionReason.ILLNESS, ExemptionReason.TREATMENT, ExemptionReason.AWAITING_TREATMENT}
)


@danish({"ACTIVATION": "aktivering", "CONVERSATIONS": "samtaler", "BOTH": "begge"})
class ExemptFrom(StrEnum):
    """What the exemption pauses (E20, T16: in the trial not the conversation clock [003])."""

    ACTIVATION = "ACTIVATION"
    CONVERSATIONS = "CONVERSATIONS"
    BOTH = "BOTH"


@danish(
    {
        "RESOURCE_PATHWAY": "ressourceforløb",
        "FLEX_JOB": "fleksjob",
        "EARLY_PENSION": "førtidspension",
        "OTHER": "andet",
    }
)
class RehabRecommendation(StrEnum):
    """Recommendation of the rehabilitation team (E21)."""

    RESOURCE_PATHWAY = "RESOURCE_PATHWAY"
    FLEX_JOB = "FLEX_JOB"
    EARLY_PENSION = "EARLY_PENSION"
    OTHER = "OTHER"


@danish(
    {
        "FLEX_JOB": "fleksjob",
        "EARLY_PENSION": "førtidspension",
        "ORDINARY_JOB": "ordinært job",
        "EDUCATION": "uddannelse",
        "NEW_RESOURCE_PATHWAY": "nyt ressourceforløb",
        "OTHER": "andet",
    }
)
class ResourcePathwayEndReason(StrEnum):
    """How a resource pathway ended (E21; exits of §3.2 RESOURCE_PATHWAY) [proposal]."""

    FLEX_JOB = "FLEX_JOB"
    EARLY_PENSION = "EARLY_PENSION"
    ORDINARY_JOB = "ORDINARY_JOB"
    EDUCATION = "EDUCATION"
    NEW_RESOURCE_PATHWAY = "NEW_RESOURCE_PATHWAY"
    OTHER = "OTHER"


class _Exemption(Envelope):
    exemption_id: Code | None = None
    reason: ExemptionReason
    exempt_from: ExemptFrom = ExemptFrom.ACTIVATION

    @model_validator(mode="after")
    def _health_is_tagged(self) -> _Exemption:
        if self.reason in HEALTH_REASONS:
            require_sensitivity(self, Sensitivity.HEALTH, f"exemption reason {self.reason.value}")
        return self


@register
class ExemptionStarted(_Exemption):
    """E20: exemption from activation and/or conversations (T16 flag; pauses clocks)."""

    event_type: Literal["exemption.started"] = "exemption.started"
    review_date: date | None = None


@register
class ExemptionEnded(_Exemption):
    """E20: the exemption ended; the paused clocks run again."""

    event_type: Literal["exemption.ended"] = "exemption.ended"


@register
class RehabTeamRecommendation(Envelope):
    """E21: the rehabilitation team's recommendation (T13) [001]."""

    event_type: Literal["rehab_team.recommendation"] = "rehab_team.recommendation"
    recommendation: RehabRecommendation
    company_element_in_plan: bool = False
    planned_duration_months: Months | None = None


@register
class ResourcePathwayStarted(Envelope):
    """E21: a resource pathway started (T13: -> RESOURCE_PATHWAY, P9)."""

    event_type: Literal["resource_pathway.started"] = "resource_pathway.started"
    company_element_in_plan: bool = False
    planned_duration_months: Months | None = None


@register
class ResourcePathwayEnded(Envelope):
    """E21: the resource pathway ended."""

    event_type: Literal["resource_pathway.ended"] = "resource_pathway.ended"
    end_reason: ResourcePathwayEndReason
