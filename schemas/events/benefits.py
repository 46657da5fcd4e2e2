"""Benefit and register events: E22 benefit.changed, E23 employment.hours_reported, E24
sanction.imposed (§3.4 benefit status region; trial denominators and outcomes [003])."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from schemas.enums import Benefit, danish
from schemas.envelope import Envelope, Pseudonym
from schemas.events.registry import register


@danish(
    {
        "NO_SHOW_CONVERSATION": "udeblivelse fra samtale",
        "NO_SHOW_OFFER": "udeblivelse fra tilbud",
        "REFUSED_OFFER": "afslag på tilbud",
        "OTHER": "andet",
    }
)
class SanctionReason(StrEnum):
    """Why a sanction was imposed (E24) [domain knowledge; not in the documents]."""

    NO_SHOW_CONVERSATION = "NO_SHOW_CONVERSATION"
    NO_SHOW_OFFER = "NO_SHOW_OFFER"
    REFUSED_OFFER = "REFUSED_OFFER"
    OTHER = "OTHER"


@danish(
    {
        "DAILY_DEDUCTION": "fradrag for udeblivelsesdage",
        "PERIOD_REDUCTION": "nedsættelse i en periode",
        "BENEFIT_STOPPED": "ophør af hjælpen",
    }
)
class DeductionType(StrEnum):
    """Kind of benefit deduction (E24) [domain knowledge]."""

    DAILY_DEDUCTION = "DAILY_DEDUCTION"
    PERIOD_REDUCTION = "PERIOD_REDUCTION"
    BENEFIT_STOPPED = "BENEFIT_STOPPED"


@register
class BenefitChanged(Envelope):
    """E22: the citizen's benefit status changed (§3.4; TOP_UP_ONLY is partial_top_up)."""

    event_type: Literal["benefit.changed"] = "benefit.changed"
    from_benefit: Benefit
    to_benefit: Benefit
    effective_date: date
    # Part-time work with supplementary cash benefit: success criterion 2 of the trial [003].
    partial_top_up: bool = False


@register
class EmploymentHoursReported(Envelope):
    """E23: ordinary hours worked in a period, from the eIndkomst register [003]."""

    event_type: Literal["employment.hours_reported"] = "employment.hours_reported"
    period_start: date
    period_end: date
    ordinary_hours: float = Field(ge=0, le=744)  # at most every hour of a 31-day month
    employer_id: Pseudonym | None = None
    is_subsidised: bool = False

    @model_validator(mode="after")
    def _period_is_ordered(self) -> EmploymentHoursReported:
        if self.period_end < self.period_start:
            raise ValueError("period_end is before period_start")
        return self


@register
class SanctionImposed(Envelope):
    """E24: a benefit sanction (included on the owner's request; §4.2 notes its basis)."""

    event_type: Literal["sanction.imposed"] = "sanction.imposed"
    reason: SanctionReason
    decision_date: date
    deduction_type: DeductionType
    appealed: bool = False
