"""Referral and case ownership: E4 referral.made / referral.accepted, E5 case.assigned /
case.handed_over (§3.1 principle 5: handovers are where citizens are lost; §3.4 case ownership)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Literal

from schemas.enums import danish
from schemas.envelope import Code, Envelope, Pseudonym
from schemas.events.registry import register


@danish(
    {
        "RECEPTION": "Modtagelsen",
        "CASEWORKER": "sagsbehandler",
        "COURSE": "kursus / for-forløb",
        "COMPANY_CONSULTANT": "virksomhedskonsulent",
        "REHAB_TEAM": "rehabiliteringsteam",
        "SOCIAL_SERVICES": "socialforvaltning",
        "HEALTH_CENTRE": "sundhedscenter",
        "REHAB_TRAINING_CENTRE": "genoptræningscenter",
        "EXTERNAL_PROVIDER": "anden aktør",
        "CASE_CONFERENCE": "Konferenceforum",
        "BENEFIT_ADMIN": "ydelsesadministration",
    }
)
class Unit(StrEnum):
    """Sending or receiving unit of a referral (E4)."""

    RECEPTION = "RECEPTION"
    CASEWORKER = "CASEWORKER"
    COURSE = "COURSE"
    COMPANY_CONSULTANT = "COMPANY_CONSULTANT"
    REHAB_TEAM = "REHAB_TEAM"
    SOCIAL_SERVICES = "SOCIAL_SERVICES"
    HEALTH_CENTRE = "HEALTH_CENTRE"
    REHAB_TRAINING_CENTRE = "REHAB_TRAINING_CENTRE"
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"
    CASE_CONFERENCE = "CASE_CONFERENCE"
    BENEFIT_ADMIN = "BENEFIT_ADMIN"


@danish(
    {
        "DIRECT_COURSE_REFERRAL": "direkte henvisning til for-forløb",
        "PLACEMENT_PREPARATION": "forberedelse af virksomhedsforløb",
        "COMPANY_PLACEMENT": "virksomhedsrettet tilbud",
        "REHAB_ASSESSMENT": "behandling i rehabiliteringsteam",
        "PARALLEL_EFFORT": "parallel social- eller sundhedsindsats",
        "BENEFIT_MATTER": "ydelsesspørgsmål",
        "OTHER": "andet",
    }
)
class ReferralReason(StrEnum):
    """Why a citizen is referred (E4) [proposal: §4.2 names the field, not its values]."""

    DIRECT_COURSE_REFERRAL = "DIRECT_COURSE_REFERRAL"
    PLACEMENT_PREPARATION = "PLACEMENT_PREPARATION"
    COMPANY_PLACEMENT = "COMPANY_PLACEMENT"
    REHAB_ASSESSMENT = "REHAB_ASSESSMENT"
    PARALLEL_EFFORT = "PARALLEL_EFFORT"
    BENEFIT_MATTER = "BENEFIT_MATTER"
    OTHER = "OTHER"


@danish(
    {
        "CASEWORKER": "sagsbehandler",
        "COORDINATING_CASEWORKER": "koordinerende sagsbehandler",
        "COMPANY_CONSULTANT": "virksomhedskonsulent",
        "FIXED_CONTACT_PERSON": "fast kontaktperson",
    }
)
class CaseRole(StrEnum):
    """Role of the staff member who owns the case (E5)."""

    CASEWORKER = "CASEWORKER"
    COORDINATING_CASEWORKER = "COORDINATING_CASEWORKER"
    COMPANY_CONSULTANT = "COMPANY_CONSULTANT"
    FIXED_CONTACT_PERSON = "FIXED_CONTACT_PERSON"


@danish(
    {
        "PLACEMENT_START": "virksomhedsforløb starter (sagsbehandler til virksomhedskonsulent)",
        "STAFF_JOB_CHANGE": "medarbejder skifter job",
        "STAFF_PARENTAL_LEAVE": "medarbejder på barsel",
        "STAFF_SICKNESS": "medarbejder sygemeldt",
        "REORGANISATION": "omorganisering",
        "CASELOAD_BALANCING": "udligning af sagstal",
    }
)
class HandoverReason(StrEnum):
    """Why case ownership moved (E5)."""

    PLACEMENT_START = "PLACEMENT_START"
    STAFF_JOB_CHANGE = "STAFF_JOB_CHANGE"
    STAFF_PARENTAL_LEAVE = "STAFF_PARENTAL_LEAVE"
    STAFF_SICKNESS = "STAFF_SICKNESS"
    REORGANISATION = "REORGANISATION"
    CASELOAD_BALANCING = "CASELOAD_BALANCING"


@danish(
    {"BROAD": "bred organisering", "NARROW": "smal organisering", "TEAM_OF_THREE": "tremandsteam"}
)
class OrganisationModel(StrEnum):
    """How the job centre organises case ownership (E5; Jammerbugt's team of three [003])."""

    BROAD = "BROAD"
    NARROW = "NARROW"
    TEAM_OF_THREE = "TEAM_OF_THREE"


@register
class ReferralMade(Envelope):
    """E4: referral or handover to another unit (T4: reception straight to a course)."""

    event_type: Literal["referral.made"] = "referral.made"
    referral_id: Code
    from_unit: Unit
    to_unit: Unit
    reason: ReferralReason = ReferralReason.OTHER
    expected_start: date | None = None
    # Whether the gathered knowledge travels with the citizen; the note itself never does (§8.7).
    handover_note_present: bool = False


@register
class ReferralAccepted(Envelope):
    """E4: the receiving unit accepted the referral."""

    event_type: Literal["referral.accepted"] = "referral.accepted"
    referral_id: Code
    to_unit: Unit
    expected_start: date | None = None


@register
class CaseAssigned(Envelope):
    """E5: a staff member takes responsibility for the case (fixed contact person [003])."""

    event_type: Literal["case.assigned"] = "case.assigned"
    role: CaseRole
    staff_id: Pseudonym
    organisation_model: OrganisationModel | None = None


@register
class CaseHandedOver(Envelope):
    """E5: case ownership moved from one staff member to another."""

    event_type: Literal["case.handed_over"] = "case.handed_over"
    role: CaseRole
    staff_id: Pseudonym
    previous_staff_id: Pseudonym | None = None
    handover_reason: HandoverReason
    organisation_model: OrganisationModel | None = None
