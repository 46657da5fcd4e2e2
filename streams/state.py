"""What the worker keeps per pathway: the deduplicated event record and the alerts it emitted.

The record (streams/record.py) is order-independent by construction: items keyed by event_id,
every computation over the items sorted by (occurred_at, event_id). So late, out-of-order and
duplicate events converge to exactly what the batch reference (streams/batch.py) computes
from the full history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from streams.metrics import fact_of
from streams.record import PathwayRecord
from streams.timeline import calendar_days

__all__ = ["PathwayState", "calendar_days"]


@dataclass
class PathwayState:
    """One pathway's record, its Kafka partition and the last alert emitted per rule."""

    pathway_id: str
    record: PathwayRecord = field(init=False)
    partition: int = -1
    # rule id -> the last Alert emitted for it (JSON form), so only changes are emitted.
    emitted: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.record = PathwayRecord(self.pathway_id)

    def apply(self, event: Envelope, offset: int | None = None) -> bool:
        """Fold one event in; False if it was already applied (duplicate event_id)."""
        return self.record.add(event, offset)

    def fact(self) -> PathwayFact:
        """The pathway's facts as of the events applied so far."""
        return fact_of(self.record)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the Faust table (and its changelog)."""
        return {**self.record.to_dict(), "partition": self.partition, "emitted": self.emitted}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PathwayState:
        """Inverse of `to_dict`."""
        state = cls(data["pathway_id"], partition=data.get("partition", -1))
        state.record = PathwayRecord.from_dict(data)
        state.emitted = dict(data.get("emitted", {}))
        return state
