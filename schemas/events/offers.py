"""Offers and placements: E12 offer.started, E13 offer.extended, E14 offer.ended, E15
placement.hours_changed, E16 placement.review (§3.3 T6-T12, M04-M09, RD-06/07/08/20)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from pydantic import Field, model_validator

from schemas.enums import OfferType, ProviderType, PublicOrPrivate, danish
from schemas.envelope import Code, Envelope, Pseudonym
from schemas.events.base import WeeklyHours, Weeks
from schemas.events.registry import register


@danish(
    {
        "FIXED_PLACES": "fast aftale med faste pladser",
        "STANDBY_PLACES": "forhåndsaftale",
        "MATCH_DRIVEN": "opsøges ved match",
        "CLUSTER": "klynge",
    }
)
class CooperationModel(StrEnum):
    """The four company cooperation models of [002] (E12, E27)."""

    FIXED_PLACES = "FIXED_PLACES"
    STANDBY_PLACES = "STANDBY_PLACES"
    MATCH_DRIVEN = "MATCH_DRIVEN"
    CLUSTER = "CLUSTER"


@danish(
    {
        "MICRO": "1-9 ansatte",
        "SMALL": "10-49 ansatte",
        "MEDIUM": "50-249 ansatte",
        "LARGE": "250 ansatte og derover",
    }
)
class CompanySizeBand(StrEnum):
    """Size band of the host company (E12) [proposal: EU size classes]."""

    MICRO = "MICRO"
    SMALL = "SMALL"
    MEDIUM = "MEDIUM"
    LARGE = "LARGE"


@danish({"RIGHT_AND_DUTY": "ret og pligt", "OTHER": "andet"})
class LegalBasis(StrEnum):
    """Legal basis of the offer (E12); right-and-duty offers determine refund [004]."""

    RIGHT_AND_DUTY = "RIGHT_AND_DUTY"
    OTHER = "OTHER"


@danish(
    {
        "COMPANY_CONSULTANT": "virksomhedskonsulent",
        "CITIZEN_SELF": "borgeren selv",
        "PROVIDER": "anden aktør",
    }
)
class FoundBy(StrEnum):
    """Who found the placement (E12; case B found her own internship [000])."""

    COMPANY_CONSULTANT = "COMPANY_CONSULTANT"
    CITIZEN_SELF = "CITIZEN_SELF"
    PROVIDER = "PROVIDER"


@danish(
    {
        "NOT_READY_FOR_JOB_HUNT": "endnu ikke klar til jobsøgning",
        "HOURS_RAMP_UP": "optrapning af timetal",
        "AWAITING_HIRE": "afventer ansættelse",
        "OTHER": "andet",
    }
)
class ExtensionReason(StrEnum):
    """Why an offer was extended (E13)."""

    NOT_READY_FOR_JOB_HUNT = "NOT_READY_FOR_JOB_HUNT"
    HOURS_RAMP_UP = "HOURS_RAMP_UP"
    AWAITING_HIRE = "AWAITING_HIRE"
    OTHER = "OTHER"


@danish(
    {
        "COMPLETED_AS_PLANNED": "gennemført",
        "TRANSITION_TO_NEXT_OFFER": "overgang til næste tilbud",
        "HIRED_ORDINARY": "ansat ordinært",
        "HIRED_WAGE_SUBSIDY": "ansat med løntilskud",
        "STARTED_EDUCATION": "påbegyndt uddannelse",
        "INTERRUPTED_ABSENCE": "afbrudt - fravær",
        "INTERRUPTED_ILLNESS": "afbrudt - sygdom",
        "INTERRUPTED_BY_COMPANY": "afbrudt af virksomheden",
        "INTERRUPTED_MISMATCH": "afbrudt - manglende match",
        "EXEMPTED": "fritaget",
        "PATHWAY_EXIT": "afsluttet forløb",
    }
)
class OfferEndReason(StrEnum):
    """Why an offer ended (E14); the INTERRUPTED_* ones are T12 (placement broke down)."""

    COMPLETED_AS_PLANNED = "COMPLETED_AS_PLANNED"
    TRANSITION_TO_NEXT_OFFER = "TRANSITION_TO_NEXT_OFFER"
    HIRED_ORDINARY = "HIRED_ORDINARY"
    HIRED_WAGE_SUBSIDY = "HIRED_WAGE_SUBSIDY"
    STARTED_EDUCATION = "STARTED_EDUCATION"
    INTERRUPTED_ABSENCE = "INTERRUPTED_ABSENCE"
    INTERRUPTED_ILLNESS = "INTERRUPTED_ILLNESS"
    INTERRUPTED_BY_COMPANY = "INTERRUPTED_BY_COMPANY"
    INTERRUPTED_MISMATCH = "INTERRUPTED_MISMATCH"
    EXEMPTED = "EXEMPTED"
    PATHWAY_EXIT = "PATHWAY_EXIT"

    @property
    def is_interruption(self) -> bool:
        """True if the offer broke down before its planned end (T12, M16)."""
        return self.value.startswith("INTERRUPTED_")


@danish(
    {"CITIZEN_REQUEST": "borgerens ønske", "COMPANY": "virksomheden", "JOB_CENTRE": "jobcentret"}
)
class HoursInitiator(StrEnum):
    """Who asked for the change of weekly hours (E15; case E partly at her own request)."""

    CITIZEN_REQUEST = "CITIZEN_REQUEST"
    COMPANY = "COMPANY"
    JOB_CENTRE = "JOB_CENTRE"


@danish({"INCREASED": "flere timer", "UNCHANGED": "uændret", "DECREASED": "færre timer"})
class HoursDevelopment(StrEnum):
    """Development in hours since the last registration (E16, [001] 3-monthly form)."""

    INCREASED = "INCREASED"
    UNCHANGED = "UNCHANGED"
    DECREASED = "DECREASED"


@danish(
    {
        "COMPANY_MENTOR": "virksomhedsmentor",
        "OTHER_SUPPORT_PERSON": "anden støtteperson",
        "JOB_CENTRE_FOLLOW_UP": "opfølgning fra jobcentret",
    }
)
class CurrentSupport(StrEnum):
    """Support the citizen has in the placement now (E16)."""

    COMPANY_MENTOR = "COMPANY_MENTOR"
    OTHER_SUPPORT_PERSON = "OTHER_SUPPORT_PERSON"
    JOB_CENTRE_FOLLOW_UP = "JOB_CENTRE_FOLLOW_UP"


@register
class OfferStarted(Envelope):
    """E12: an offer or company placement started; M04 counts the company-oriented ones."""

    event_type: Literal["offer.started"] = "offer.started"
    offer_id: Code
    offer_type: OfferType
    # Derived from offer_type (§4.3). Producers may send it; a contradiction is an error.
    is_company_oriented: bool | None = None
    provider_type: ProviderType
    provider_id: Code | None = None
    company_id: Pseudonym | None = None  # pseudonymised CVR/P-number (§8.1)
    company_sector: Code | None = None  # industry code (DB07)
    company_size_band: CompanySizeBand | None = None
    public_or_private: PublicOrPrivate | None = None
    company_centre_id: Code | None = None
    cooperation_model: CooperationModel | None = None
    planned_start: date | None = None
    planned_end: date | None = None
    planned_weeks: int | None = Field(default=None, ge=0, le=260)
    hours_per_week: WeeklyHours | None = None
    ordinary_hours_per_week: WeeklyHours | None = None
    goals_agreed: bool = False
    work_agreement_plan_id: Code | None = None
    company_mentor_id: Pseudonym | None = None
    legal_basis: LegalBasis | None = None
    found_by: FoundBy | None = None

    @model_validator(mode="after")
    def _derive_company_oriented(self) -> OfferStarted:
        derived = self.offer_type.is_company_oriented
        if self.is_company_oriented is not None and self.is_company_oriented != derived:
            raise ValueError(
                f"is_company_oriented={self.is_company_oriented} contradicts "
                f"offer_type {self.offer_type.value} (company-oriented: {derived})"
            )
        object.__setattr__(self, "is_company_oriented", derived)
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValueError("planned_end is before planned_start")
        return self


@register
class OfferExtended(Envelope):
    """E13: an offer runs longer than planned (T10; 3 months is often not enough [000])."""

    event_type: Literal["offer.extended"] = "offer.extended"
    offer_id: Code
    new_planned_end: date
    reason: ExtensionReason = ExtensionReason.OTHER


@register
class OfferEnded(Envelope):
    """E14: an offer ended; an interruption is T12, a company offer without successor a risk."""

    event_type: Literal["offer.ended"] = "offer.ended"
    offer_id: Code
    end_reason: OfferEndReason
    actual_weeks: Weeks | None = None
    final_hours_per_week: WeeklyHours | None = None
    final_ordinary_hours: WeeklyHours | None = None
    next_step_agreed: bool = False


@register
class PlacementHoursChanged(Envelope):
    """E15: weekly hours in a placement changed (T10; case E went 12 -> 32 h, RD-08)."""

    event_type: Literal["placement.hours_changed"] = "placement.hours_changed"
    offer_id: Code
    previous_hours: WeeklyHours | None = None
    new_hours: WeeklyHours
    previous_ordinary_hours: WeeklyHours | None = None
    new_ordinary_hours: WeeklyHours | None = None
    initiated_by: HoursInitiator
    effective_date: date


@register
class PlacementReview(Envelope):
    """E16: the 3-monthly registration while a citizen is in a company centre (RD-20)."""

    event_type: Literal["placement.review"] = "placement.review"
    offer_id: Code | None = None
    hours_development: HoursDevelopment | None = None
    new_tasks_or_responsibilities: bool = False
    support_current: tuple[CurrentSupport, ...] = ()
    new_parallel_effort_started: bool = False
    review_due_date: date | None = None
