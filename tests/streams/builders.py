"""Typed events of any registered type with the fewest fields, for hand-worked rule tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from schemas.envelope import Envelope
from schemas.events import EVENT_TYPES
from streams.record import PathwayRecord
from tests.factories import envelope

DEFAULTS: dict[str, dict[str, Any]] = {
    "contact.initiated": {"channel": "PERSONAL", "entry_reason": "NEW_APPLICATION"},
    "visitation.completed": {
        "classification_scheme": "READINESS_2014", "readiness": "ACTIVITY_READY",
    },
    "offer.started": {"offer_type": "COMPANY_INTERNSHIP_PRIVATE", "provider_type": "COMPANY"},
    "offer.ended": {"end_reason": "COMPLETED_AS_PLANNED"},
    "offer.extended": {"new_planned_end": "2030-01-01"},
    "conversation.held": {
        "conversation_type": "FOLLOW_UP", "mode": "IN_PERSON", "held_by_role": "CASEWORKER",
    },
    "conversation.scheduled": {"conversation_type": "FOLLOW_UP"},
    "mentor.assigned": {"mentor_type": "COMPANY_MENTOR"},
    "exemption.started": {"reason": "OTHER"},
    "exemption.ended": {"reason": "OTHER"},
    "plan.created": {"plan_type": "JOB_PLAN"},
    "placement.hours_changed": {"initiated_by": "COMPANY"},
    "pathway.exited": {"outcome": "SELF_SUFFICIENT_JOB"},
    "trial.randomised": {"trial_id": "PRVIJ_2010", "arm": "TREATMENT"},
    "benefit.changed": {"from_benefit": "CASH_BENEFIT", "to_benefit": "NONE"},
    "readiness.changed": {"to": "JOB_READY"},
    "referral.made": {
        "referral_id": "r1", "from_unit": "CASEWORKER", "to_unit": "COMPANY_CONSULTANT",
    },
    "referral.accepted": {"referral_id": "r1", "to_unit": "COMPANY_CONSULTANT"},
    "case.handed_over": {
        "role": "CASEWORKER", "staff_id": "staff_000002", "handover_reason": "STAFF_SICKNESS",
    },
    "parallel_effort.started": {
        "effort_type": "COACHING", "legal_basis": "SERVICELOVEN", "sensitivity": "SOCIAL",
    },
    "parallel_effort.ended": {"effort_type": "COACHING", "sensitivity": "SOCIAL"},
}  # fmt: skip
N = 0


def ev(kind: str, at: datetime, **fields: Any) -> Envelope:
    """A valid event of `kind` at `at`; `fields` override the defaults and the envelope."""
    global N
    N += 1
    cls = EVENT_TYPES[kind]
    payload = envelope(kind, at, municipality_code="751", job_centre_id="jc_751")
    payload["schema_version"] = cls.SCHEMA_VERSION
    payload.update(DEFAULTS.get(kind, {}))
    ids = {
        "offer.": "offer_id", "conversation.": "conversation_id", "mentor.": "mentor_assignment_id",
        "plan.": "plan_id",
    }  # fmt: skip
    for prefix, name in ids.items():
        if kind.startswith(prefix):
            payload[name] = f"x_{N}"
    if kind == "conversation.scheduled":
        payload["scheduled_for"] = at.isoformat()
    if kind == "trial.randomised":
        payload["randomised_at"] = at.isoformat()
    if kind in ("benefit.changed", "placement.hours_changed"):
        payload["effective_date"] = at.date().isoformat()
    if kind == "pathway.exited":
        payload["exit_date"] = at.date().isoformat()
    payload.update(fields)
    return cls.model_validate(payload)


def record(*events: Envelope) -> PathwayRecord:
    """A pathway record of the given events."""
    rec = PathwayRecord(events[0].pathway_id)
    for e in events:
        rec.add(e)
    return rec
