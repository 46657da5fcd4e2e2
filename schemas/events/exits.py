"""The end of a pathway: E29 pathway.exited with the outcome codes of §3.6 (T15, M21)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import Field, model_validator

from schemas.enums import Outcome, Sensitivity
from schemas.envelope import Code, Envelope
from schemas.events.base import Part, WeeklyHours, require_sensitivity
from schemas.events.registry import Payload, register, upcaster


class PriorEfforts(Part):
    """What the pathway contained, as the closing registration of [001] asks."""

    internships_count: int = Field(ge=0, le=100)
    parallel_efforts_count: int = Field(ge=0, le=100)
    mentor_support: bool
    municipal_follow_up: bool


class Destination(Part):
    """Coded detail of where the citizen went; never an employer's or school's name."""

    education_code: Code | None = None
    employer_sector: Code | None = None  # industry code (DB07)
    hours_per_week: WeeklyHours | None = None


@register
class PathwayExited(Envelope):
    """E29: the pathway ended with a §3.6 outcome; nothing of the pathway follows it (T15)."""

    # v2 groups the closing-form counts under `prior_efforts_summary` (§4.2 E29); v1 sent
    # them as top-level fields (upcaster below).
    SCHEMA_VERSION = 2

    event_type: Literal["pathway.exited"] = "pathway.exited"
    outcome: Outcome
    exit_date: date
    destination_detail: Destination | None = None
    prior_efforts_summary: PriorEfforts | None = None
    planned_next_efforts: bool = False

    @model_validator(mode="after")
    def _prison_is_tagged(self) -> PathwayExited:
        if self.outcome is Outcome.PRISON:
            # Criminal-offence data is its own category (§8.4).
            require_sensitivity(self, Sensitivity.CRIMINAL, "outcome PRISON")
        return self


PRIOR_EFFORT_FIELDS = (
    "internships_count",
    "parallel_efforts_count",
    "mentor_support",
    "municipal_follow_up",
)


@upcaster("pathway.exited", 1)
def pathway_exited_v1_to_v2(payload: Payload) -> Payload:
    """v1 -> v2: the four top-level closing-form fields move into `prior_efforts_summary`."""
    if "prior_efforts_summary" in payload:
        # Mixed shapes: leave the flat fields for validation to reject rather than pick one.
        return payload
    moved = {k: payload.pop(k) for k in PRIOR_EFFORT_FIELDS if k in payload}
    if moved:
        payload["prior_efforts_summary"] = moved
    return payload
