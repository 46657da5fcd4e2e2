"""Intake and assessment events: E1 contact.initiated, E3 visitation.completed."""

from __future__ import annotations

from typing import Literal

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
)
from schemas.envelope import Envelope
from schemas.events.registry import register


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
class VisitationCompleted(Envelope):
    """E3: assessment interview with readiness and/or match group (RD-01, T3)."""

    event_type: Literal["visitation.completed"] = "visitation.completed"
    classification_scheme: ClassificationScheme
    match_group: MatchGroup | None = None
    readiness: Readiness | None = None
    job_goal_stated: bool = False
    company_placement_announced: bool = False
    next_step: NextStep = NextStep.PLAN
