"""The randomised trial: E26 trial.randomised (P2/P3, RD-16-RD-18, M10 week origin)."""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import model_validator

from schemas.enums import TrialArm, danish
from schemas.envelope import Envelope, UtcDatetime
from schemas.events.registry import register


@danish({"PRVIJ_2010": "På rette vej i job (2010)"})
class TrialId(StrEnum):
    """Randomised trials known to the contract (E26)."""

    PRVIJ_2010 = "PRVIJ_2010"


@danish({"FIRST_FOLLOW_UP_AFTER_MATCH": "første opfølgningssamtale efter matchning"})
class EntryPoint(StrEnum):
    """Where in the pathway randomisation happens (E26) [003]."""

    FIRST_FOLLOW_UP_AFTER_MATCH = "FIRST_FOLLOW_UP_AFTER_MATCH"


@register
class TrialRandomised(Envelope):
    """E26: the citizen was drawn into an arm; weeks since entry count from here (M10)."""

    event_type: Literal["trial.randomised"] = "trial.randomised"
    trial_id: TrialId
    arm: TrialArm
    randomised_at: UtcDatetime
    entry_point: EntryPoint = EntryPoint.FIRST_FOLLOW_UP_AFTER_MATCH

    @model_validator(mode="after")
    def _arm_matches_envelope(self) -> TrialRandomised:
        if self.trial_arm is not None and self.trial_arm is not self.arm:
            raise ValueError(f"arm {self.arm.value} contradicts trial_arm {self.trial_arm.value}")
        return self
