"""The completeness watermark the worker publishes (issue 4, item 6)."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field

NO_EVENT_TIME = datetime(1970, 1, 1, tzinfo=UTC)
"""`watermark` and `max_event_time` of a partition that has seen only dead letters so far."""

OVERALL = -1
"""`partition` value of the overall watermark (minimum over all partitions)."""


class Watermark(BaseModel):
    """Results are complete up to `watermark` (event time) for this partition, or overall."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    partition: int  # Kafka partition of the events topic, or OVERALL
    watermark: datetime  # max event time seen minus the allowed lateness
    max_event_time: datetime
    # Reconciliation (issue 7): events_seen = events_applied + duplicates + dead_letters.
    events_seen: int = Field(ge=0)
    events_applied: int = Field(default=0, ge=0)
    duplicates: int = Field(default=0, ge=0)
    dead_letters: int = Field(default=0, ge=0)
    emitted_at: datetime  # processing time of this report (for lag, never for metrics)
