"""A tiny deterministic batch of pathways (E1 -> E3 -> E12) for the demo and smoke tests.

The calibrated simulator is the tool for realistic data; this only gives the walking skeleton
something to carry.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from schemas.envelope import Envelope
from schemas.events import ContactInitiated, OfferStarted, VisitationCompleted

MUNICIPALITIES = ["153", "159", "161", "260", "326", "751", "849", "450"]
PREPARATORY = ["PRE_COURSE", "COPING_COURSE", "DAILY_ACTIVITY_PROGRAMME"]
COMPANY = ["COMPANY_INTERNSHIP_PRIVATE", "COMPANY_INTERNSHIP_PUBLIC", "COMPANY_CENTRE_INTERNSHIP"]


def sample_events(n_pathways: int, seed: int = 1, start: datetime | None = None) -> list[Envelope]:
    """Events for `n_pathways` pathways; about 3 in 4 reach a company placement."""
    rng = random.Random(seed)
    t0 = start or datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
    events: list[Envelope] = []
    for i in range(n_pathways):
        common: dict[str, Any] = {
            "source_system": "MUNICIPAL_CASE_SYSTEM",
            "producer_id": "sample",
            "citizen_id": f"cz_{seed}_{i:06d}",
            "pathway_id": f"pw_{seed}_{i:06d}",
            "municipality_code": rng.choice(MUNICIPALITIES),
            "job_centre_id": "jc_default",
            "actor_role": "CASEWORKER",
        }

        def payload(at: datetime, common: dict[str, Any] = common, **fields: Any) -> dict[str, Any]:
            return {
                **common,
                "event_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                "occurred_at": at,
                "recorded_at": at + timedelta(hours=1),
                **fields,
            }

        contact = t0 + timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 7))
        events.append(
            ContactInitiated.model_validate(
                payload(contact, channel="PERSONAL", entry_reason="NEW_APPLICATION")
            )
        )
        visit = contact + timedelta(days=rng.randint(1, 12))
        events.append(
            VisitationCompleted.model_validate(
                payload(visit, classification_scheme="READINESS_2014", readiness="ACTIVITY_READY")
            )
        )
        prep = visit + timedelta(days=rng.randint(3, 20))
        events.append(
            OfferStarted.model_validate(
                payload(
                    prep,
                    offer_id=f"of_{i}_1",
                    offer_type=rng.choice(PREPARATORY),
                    provider_type="INTERNAL",
                )
            )
        )
        if rng.random() < 0.75:
            placement = prep + timedelta(days=rng.randint(14, 70))
            events.append(
                OfferStarted.model_validate(
                    payload(
                        placement,
                        offer_id=f"of_{i}_2",
                        offer_type=rng.choice(COMPANY),
                        provider_type="COMPANY",
                        goals_agreed=True,
                    )
                )
            )
    return events
