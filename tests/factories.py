"""Builders for valid event payloads used across the tests."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.events import EVENT_TYPES

T0 = datetime(2024, 3, 4, 9, 30, tzinfo=UTC)


def envelope(event_type: str, at: datetime = T0, **extra: Any) -> dict[str, Any]:
    """A valid JSON-ready payload of `event_type` with the given extra fields."""
    base: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "event_type": event_type,
        # The type's current version (older shapes are tested in tests/schemas/test_versions.py).
        "schema_version": EVENT_TYPES[event_type].SCHEMA_VERSION
        if event_type in EVENT_TYPES
        else 1,
        "occurred_at": at.isoformat(),
        "recorded_at": (at + timedelta(minutes=5)).isoformat(),
        "source_system": "MUNICIPAL_CASE_SYSTEM",
        "producer_id": "test",
        "citizen_id": "cz_test_0001",
        "pathway_id": "pw_test_0001",
        "municipality_code": "153",
        "job_centre_id": "jc_153",
        "actor_role": "CASEWORKER",
    }
    base.update(extra)
    return base


def contact(at: datetime = T0, **extra: Any) -> dict[str, Any]:
    """E1 payload."""
    return envelope(
        "contact.initiated",
        at,
        **{"channel": "PERSONAL", "entry_reason": "NEW_APPLICATION", **extra},
    )


def visitation(at: datetime = T0, **extra: Any) -> dict[str, Any]:
    """E3 payload."""
    defaults = {"classification_scheme": "READINESS_2014", "readiness": "ACTIVITY_READY"}
    return envelope("visitation.completed", at, **{**defaults, **extra})


def offer(
    at: datetime = T0, offer_type: str = "COMPANY_INTERNSHIP_PRIVATE", **extra: Any
) -> dict[str, Any]:
    """E12 payload."""
    defaults = {"offer_id": "of_1", "offer_type": offer_type, "provider_type": "COMPANY"}
    return envelope("offer.started", at, **{**defaults, **extra})
