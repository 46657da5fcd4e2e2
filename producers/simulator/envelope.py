"""Steps onto the common envelope (domain.md §4.1): JSON payloads with §4.2 field names."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta
from typing import Any

from producers.simulator.context import Citizen, Step, iso
from schemas.events import EVENT_TYPES

PRODUCER_ID = "simulator"


def payloads(
    steps: list[Step],
    citizen: Citizen,
    ids: dict[str, str],
    rng: random.Random,
    lag_minutes_max: int,
) -> list[dict[str, Any]]:
    """One JSON-ready payload per step; event ids and recording lags come from `rng`."""
    out = []
    for step in steps:
        payload: dict[str, Any] = {
            "event_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "event_type": step.event_type,
            # Every type at its current version; a type the contract lacks fails loudly here.
            "schema_version": EVENT_TYPES[step.event_type].SCHEMA_VERSION,
            "occurred_at": iso(step.at),
            "recorded_at": iso(step.at + timedelta(minutes=rng.randint(1, lag_minutes_max))),
            "source_system": step.source_system.value,
            "producer_id": PRODUCER_ID,
            "citizen_id": ids["citizen"],
            "pathway_id": ids["pathway"],
            "municipality_code": citizen.municipality,
            "job_centre_id": f"jc_{citizen.municipality}",
            "actor_role": step.actor_role.value,
            "actor_id": ids["actor"],
            "programme_id": citizen.programme,
        }
        if citizen.arm is not None:
            payload["trial_arm"] = citizen.arm
        if step.correlation_id is not None:
            payload["correlation_id"] = step.correlation_id
        payload["sensitivity"] = step.sensitivity.value
        payload.update(step.fields)
        out.append(payload)
    return out
