"""What each ClickHouse sink reads and writes: its topic, group, table, and record -> row."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from consumers import rows
from pathwatch import metrics
from schemas import tables
from schemas.alerts import Alert
from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, decode
from schemas.facts import PathwayFact
from schemas.progress import Watermark
from schemas.topics import Names

# (record, written_at) -> (row or None to skip, the instant end-to-end latency is measured from)
ToRow = Callable[[Any, datetime], tuple[rows.Row | None, datetime]]


@dataclass(frozen=True)
class SinkSpec:
    """What one sink reads and writes."""

    name: str
    topic: Callable[[Names], str]
    group: Callable[[Names], str]
    table: str
    columns: tuple[str, ...]
    to_row: ToRow


def _facts(record: Any, now: datetime) -> tuple[rows.Row | None, datetime]:
    fact = PathwayFact.model_validate_json(record.value)
    return rows.fact_row(fact, now), rows.kafka_time(record.timestamp)


def _alerts(record: Any, now: datetime) -> tuple[rows.Row | None, datetime]:
    alert = Alert.model_validate_json(record.value)
    return rows.alert_row(alert, now), rows.kafka_time(record.timestamp)


def _raw(record: Any, now: datetime) -> tuple[rows.Row | None, datetime]:
    # The same edge check as the worker; what fails it is the worker's dead letter, not ours.
    where = Coordinates(record.topic, record.partition, record.offset)
    event = decode(record.value, where, now)
    if isinstance(event, DeadLetter):
        return None, now
    metrics.EVENTS_CONSUMED.labels("sink-raw", getattr(event, "event_type", "")).inc()
    return rows.raw_row(event, record.partition, record.offset, now), event.recorded_at


def _dead_letters(record: Any, now: datetime) -> tuple[rows.Row | None, datetime]:
    dl = DeadLetter.model_validate_json(record.value)
    at = rows.kafka_time(record.timestamp)
    return rows.dead_letter_row(dl, at, now), at


def _progress(record: Any, now: datetime) -> tuple[rows.Row | None, datetime]:
    wm = Watermark.model_validate_json(record.value)
    return rows.progress_row(wm, now), rows.kafka_time(record.timestamp)


SINKS: dict[str, SinkSpec] = {
    spec.name: spec
    for spec in (
        SinkSpec(
            "facts",
            lambda n: n.facts,
            lambda n: n.fact_sink_group,
            tables.PATHWAY_FACTS,
            rows.FACT_COLUMNS,
            _facts,
        ),
        SinkSpec(
            "alerts",
            lambda n: n.alerts,
            lambda n: n.alert_sink_group,
            tables.ALERTS,
            rows.ALERT_COLUMNS,
            _alerts,
        ),
        SinkSpec(
            "raw",
            lambda n: n.events,
            lambda n: n.raw_sink_group,
            tables.RAW_EVENTS,
            rows.RAW_COLUMNS,
            _raw,
        ),
        SinkSpec(
            "deadletters",
            lambda n: n.dead_letters,
            lambda n: n.dead_letter_sink_group,
            tables.DEAD_LETTERS,
            rows.DEAD_LETTER_COLUMNS,
            _dead_letters,
        ),
        SinkSpec(
            "progress",
            lambda n: n.progress,
            lambda n: n.progress_sink_group,
            tables.PROGRESS,
            rows.PROGRESS_COLUMNS,
            _progress,
        ),
    )
}
