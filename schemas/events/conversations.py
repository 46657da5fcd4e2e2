"""Conversations and contact: E6 conversation.scheduled, E7 .held, E8 .no_show, E9 .cancelled,
E10 contact.attempted (§3.4 conversation regime and reachability; RD-09/10/15, M10)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from schemas.enums import ConversationType, danish
from schemas.envelope import Code, Envelope, UtcDatetime
from schemas.events.registry import Payload, register, upcaster


@danish(
    {
        "IN_PERSON": "personligt fremmøde",
        "PHONE": "telefonisk",
        "DIGITAL": "digitalt",
        "OTHER": "andet",
    }
)
class ConversationMode(StrEnum):
    """How a conversation is held (E6 planned_mode, E7 mode)."""

    IN_PERSON = "IN_PERSON"
    PHONE = "PHONE"
    DIGITAL = "DIGITAL"
    OTHER = "OTHER"


@danish(
    {
        "AGREED_AT_PREVIOUS_MEETING": "aftalt fra gang til gang",
        "FIXED_WEEKLY_SLOT": "fast ugentligt mødetidspunkt",
        "LETTER": "brev",
        "PHONE": "telefon",
        "SMS": "sms",
        "DIGITAL_POST": "digital post",
    }
)
class BookingMethod(StrEnum):
    """How the meeting was booked (E6); letters were too slow and often unopened [003]."""

    AGREED_AT_PREVIOUS_MEETING = "AGREED_AT_PREVIOUS_MEETING"
    FIXED_WEEKLY_SLOT = "FIXED_WEEKLY_SLOT"
    LETTER = "LETTER"
    PHONE = "PHONE"
    SMS = "SMS"
    DIGITAL_POST = "DIGITAL_POST"


@danish(
    {
        "JOB_CENTRE": "jobcenter",
        "COMPANY": "virksomhed",
        "COMPANY_CENTRE": "virksomhedscenter",
        "HOME": "hjemme",
        "PROVIDER": "anden aktør",
        "OTHER": "andet",
    }
)
class Location(StrEnum):
    """Where a conversation took place (E7)."""

    JOB_CENTRE = "JOB_CENTRE"
    COMPANY = "COMPANY"
    COMPANY_CENTRE = "COMPANY_CENTRE"
    HOME = "HOME"
    PROVIDER = "PROVIDER"
    OTHER = "OTHER"


@danish(
    {
        "CASEWORKER": "sagsbehandler",
        "COMPANY_CONSULTANT": "virksomhedskonsulent",
        "EXTERNAL_PROVIDER": "anden aktør",
        "MENTOR": "mentor",
        "RECEPTION_WORKER": "medarbejder i Modtagelsen",
    }
)
class HeldByRole(StrEnum):
    """Who held the conversation (E7); Næstved did not count providers' conversations [003]."""

    CASEWORKER = "CASEWORKER"
    COMPANY_CONSULTANT = "COMPANY_CONSULTANT"
    EXTERNAL_PROVIDER = "EXTERNAL_PROVIDER"
    MENTOR = "MENTOR"
    RECEPTION_WORKER = "RECEPTION_WORKER"


@danish(
    {
        "CITIZEN": "borger",
        "CASEWORKER": "sagsbehandler",
        "COMPANY_CONSULTANT": "virksomhedskonsulent",
        "COMPANY": "virksomhed",
        "COMPANY_MENTOR": "virksomhedsmentor",
        "SOCIAL_MENTOR": "social mentor",
        "SUPPORT_CONTACT": "støttekontaktperson",
        "HEALTH": "sundhedsvæsen",
        "NETWORK": "netværk",
    }
)
class Participant(StrEnum):
    """A role present at a conversation (E7); roles only, never names (§8.7)."""

    CITIZEN = "CITIZEN"
    CASEWORKER = "CASEWORKER"
    COMPANY_CONSULTANT = "COMPANY_CONSULTANT"
    COMPANY = "COMPANY"
    COMPANY_MENTOR = "COMPANY_MENTOR"
    SOCIAL_MENTOR = "SOCIAL_MENTOR"
    SUPPORT_CONTACT = "SUPPORT_CONTACT"
    HEALTH = "HEALTH"
    NETWORK = "NETWORK"


@danish(
    {
        "JOB_WISHES_EXPERIENCE": "jobønsker og erfaring",
        "BARRIERS": "barrierer",
        "PLACEMENT_PREPARATION": "forberedelse af virksomhedsforløb",
        "WORK_TASKS": "løsning af arbejdsopgaver",
        "MORE_HOURS": "gå op i timetal",
        "ORDINARY_JOB": "ordinært job",
        "EDUCATION": "uddannelse",
        "WAGE_SUBSIDY": "løntilskud",
        "PARALLEL_EFFORT": "parallel indsats",
    }
)
class Topic(StrEnum):
    """Coded conversation topic (E7; the topic shares of [003] Table 2)."""

    JOB_WISHES_EXPERIENCE = "JOB_WISHES_EXPERIENCE"
    BARRIERS = "BARRIERS"
    PLACEMENT_PREPARATION = "PLACEMENT_PREPARATION"
    WORK_TASKS = "WORK_TASKS"
    MORE_HOURS = "MORE_HOURS"
    ORDINARY_JOB = "ORDINARY_JOB"
    EDUCATION = "EDUCATION"
    WAGE_SUBSIDY = "WAGE_SUBSIDY"
    PARALLEL_EFFORT = "PARALLEL_EFFORT"


@danish(
    {
        "ILLNESS": "sygdom",
        "FORGOT": "glemt",
        "UNREACHABLE": "kunne ikke kontaktes",
        "IN_PLACEMENT": "i virksomhedsforløb",
        "OTHER": "andet",
        "UNKNOWN": "ukendt",
    }
)
class NoShowReason(StrEnum):
    """Known reason for a no-show (E8)."""

    ILLNESS = "ILLNESS"
    FORGOT = "FORGOT"
    UNREACHABLE = "UNREACHABLE"
    IN_PLACEMENT = "IN_PLACEMENT"
    OTHER = "OTHER"
    UNKNOWN = "UNKNOWN"


@danish({"RESCHEDULED": "ny tid aftalt", "OUTREACH": "opsøgende kontakt", "NONE": "ingen"})
class FollowUpAction(StrEnum):
    """What the job centre did after a no-show (E8)."""

    RESCHEDULED = "RESCHEDULED"
    OUTREACH = "OUTREACH"
    NONE = "NONE"


@danish(
    {
        "CITIZEN": "borger",
        "JOB_CENTRE": "jobcenter",
        "COMPANY": "virksomhed",
        "PROVIDER": "anden aktør",
    }
)
class CancelledBy(StrEnum):
    """Who cancelled a conversation (E9)."""

    CITIZEN = "CITIZEN"
    JOB_CENTRE = "JOB_CENTRE"
    COMPANY = "COMPANY"
    PROVIDER = "PROVIDER"


@danish(
    {
        "STAFF_ABSENCE": "medarbejder fraværende",
        "CITIZEN_ILL": "borger syg",
        "CITIZEN_IN_PLACEMENT": "borger i virksomhedsforløb",
        "EXEMPTION": "fritagelse",
        "OTHER": "andet",
    }
)
class CancelReason(StrEnum):
    """Why a conversation was cancelled (E9); narrow teams struggled with staff absence [003]."""

    STAFF_ABSENCE = "STAFF_ABSENCE"
    CITIZEN_ILL = "CITIZEN_ILL"
    CITIZEN_IN_PLACEMENT = "CITIZEN_IN_PLACEMENT"
    EXEMPTION = "EXEMPTION"
    OTHER = "OTHER"


@danish(
    {
        "PHONE": "telefon",
        "SMS": "sms",
        "HOME_VISIT": "hjemmebesøg",
        "NOTE_ON_DOOR": "seddel på døren",
        "VIA_NETWORK": "via netværk",
        "LETTER": "brev",
        "DIGITAL_POST": "digital post",
    }
)
class OutreachChannel(StrEnum):
    """Channel of an outreach attempt (E10); never the number or address itself (§8.8)."""

    PHONE = "PHONE"
    SMS = "SMS"
    HOME_VISIT = "HOME_VISIT"
    NOTE_ON_DOOR = "NOTE_ON_DOOR"
    VIA_NETWORK = "VIA_NETWORK"
    LETTER = "LETTER"
    DIGITAL_POST = "DIGITAL_POST"


@danish(
    {
        "REACHED": "kontakt opnået",
        "NO_ANSWER": "intet svar",
        "NUMBER_INVALID": "ugyldigt nummer",
        "NOT_HOME": "ikke hjemme",
    }
)
class OutreachResult(StrEnum):
    """Result of an outreach attempt (E10)."""

    REACHED = "REACHED"
    NO_ANSWER = "NO_ANSWER"
    NUMBER_INVALID = "NUMBER_INVALID"
    NOT_HOME = "NOT_HOME"


@register
class ConversationScheduled(Envelope):
    """E6: a conversation was booked; with E7/E8 it gives no-show rates (RD-09)."""

    event_type: Literal["conversation.scheduled"] = "conversation.scheduled"
    conversation_id: Code
    scheduled_for: UtcDatetime
    conversation_type: ConversationType
    planned_mode: ConversationMode | None = None
    booking_method: BookingMethod | None = None


@register
class ConversationHeld(Envelope):
    """E7: a conversation took place; M10 counts weeks with one (RD-09, RD-10)."""

    # v2: `mode` carries English codes; v1 sent the Danish source codes (upcaster below).
    SCHEMA_VERSION = 2

    event_type: Literal["conversation.held"] = "conversation.held"
    conversation_id: Code
    conversation_type: ConversationType
    mode: ConversationMode
    location: Location | None = None
    held_by_role: HeldByRole
    participants: tuple[Participant, ...] = ()
    duration_minutes: int | None = Field(default=None, ge=0, le=480)
    topics: tuple[Topic, ...] = ()
    homework_given: bool = False
    counts_toward_requirement: bool = True
    programme_week: int | None = Field(default=None, ge=1, le=520)


@register
class ConversationNoShow(Envelope):
    """E8: the citizen did not come; feeds reachability (§3.4) and DROPOUT_ATTENDANCE (§3.6)."""

    event_type: Literal["conversation.no_show"] = "conversation.no_show"
    conversation_id: Code
    notified_in_advance: bool = False
    known_reason: NoShowReason = NoShowReason.UNKNOWN
    follow_up_action: FollowUpAction = FollowUpAction.NONE


@register
class ConversationCancelled(Envelope):
    """E9: a booked conversation was cancelled before it took place."""

    event_type: Literal["conversation.cancelled"] = "conversation.cancelled"
    conversation_id: Code
    cancelled_by: CancelledBy
    reason: CancelReason = CancelReason.OTHER


@register
class ContactAttempted(Envelope):
    """E10: outreach to a hard-to-reach citizen (§3.4 reachability) [003]."""

    event_type: Literal["contact.attempted"] = "contact.attempted"
    channel: OutreachChannel
    result: OutreachResult


# v1 of conversation.held carried the source systems' Danish codes (§4.2 E7 lists both).
_V1_MODE = {
    "PERSONLIGT_FREMMOEDE": "IN_PERSON",
    "TELEFONISK": "PHONE",
    "DIGITALT": "DIGITAL",
    "ANDET": "OTHER",
}
_V1_LOCATION = {
    "JOBCENTER": "JOB_CENTRE",
    "VIRKSOMHED": "COMPANY",
    "VIRKSOMHEDSCENTER": "COMPANY_CENTRE",
    "HJEMME": "HOME",
    "ANDEN_AKTOER": "PROVIDER",
    "ANDET": "OTHER",
}


@upcaster("conversation.held", 1)
def conversation_held_v1_to_v2(payload: Payload) -> Payload:
    """v1 -> v2: Danish `mode` / `location` codes become the English codes of §4.2 E7."""
    if isinstance(payload.get("mode"), str):
        payload["mode"] = _V1_MODE.get(payload["mode"], payload["mode"])
    if isinstance(payload.get("location"), str):
        payload["location"] = _V1_LOCATION.get(payload["location"], payload["location"])
    return payload
