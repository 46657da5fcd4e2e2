"""Building blocks shared by the event families: nested parts, quantities, sensitivity checks."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from schemas.enums import Sensitivity
from schemas.envelope import Envelope

WeeklyHours = Annotated[float, Field(ge=0, le=60)]
"""Hours per week in an offer or job (a full-time week is 37)."""

Weeks = Annotated[int, Field(ge=0, le=520)]
"""A duration in whole weeks."""

Months = Annotated[int, Field(ge=0, le=120)]
"""A duration in whole months."""


class Part(BaseModel):
    """A nested, coded part of a payload (a goal, an indicator): frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def require_sensitivity(event: Envelope, needed: Sensitivity, what: str) -> None:
    """Refuse an event whose `sensitivity` tag is too weak for the codes it carries (§8.2-§8.4).

    The tag routes special-category data to restricted topics, so a producer that forgets it
    must not put health or social details on the general topic.
    """
    if not event.sensitivity.covers(needed):
        raise ValueError(
            f"{what} needs sensitivity {needed.value} (domain.md §8), "
            f"the event is tagged {event.sensitivity.value}"
        )
