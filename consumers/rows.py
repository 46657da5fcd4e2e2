"""Kafka values -> ClickHouse rows, one mapper per sink table (columns in DDL names).

Each mapper is pure: the same message always gives the same row except `written_at`, so a
replayed batch collapses into the rows already there (ReplacingMergeTree keys in 0002).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from schemas.alerts import Alert
from schemas.deadletter import DeadLetter
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from schemas.privacy import find_cpr
from schemas.progress import Watermark

Row = tuple[Any, ...]

FACT_COLUMNS: tuple[str, ...] = (*PathwayFact.model_fields, "written_at")


def _cell(value: Any) -> Any:
    # ClickHouse 18.16 has no Bool: booleans are UInt8 (Nullable where the fact may not know).
    if isinstance(value, bool):
        return int(value)
    return value


def fact_row(fact: PathwayFact, written_at: datetime) -> Row:
    """One pathway_facts row, in FACT_COLUMNS order."""
    return (*(_cell(getattr(fact, name)) for name in PathwayFact.model_fields), written_at)


RAW_COLUMNS: tuple[str, ...] = (
    "event_id",
    "event_type",
    "schema_version",
    "occurred_at",
    "recorded_at",
    "ingested_at",
    "source_system",
    "producer_id",
    "citizen_id",
    "pathway_id",
    "municipality_code",
    "job_centre_id",
    "actor_role",
    "programme_id",
    "trial_arm",
    "sensitivity",
    "supersedes_event_id",
    "body",
    "kafka_partition",
    "kafka_offset",
    "written_at",
)


def raw_row(event: Envelope, partition: int, offset: int, written_at: datetime) -> Row:
    """One raw_events row from a validated (CPR-checked, pseudonymous) event."""
    return (
        str(event.event_id),
        str(getattr(event, "event_type", "")),
        event.schema_version,
        event.occurred_at,
        event.recorded_at,
        event.ingested_at,
        str(event.source_system),
        event.producer_id,
        event.citizen_id,
        event.pathway_id,
        event.municipality_code,
        event.job_centre_id,
        str(event.actor_role),
        str(event.programme_id),
        "" if event.trial_arm is None else str(event.trial_arm),
        str(event.sensitivity),
        "" if event.supersedes_event_id is None else str(event.supersedes_event_id),
        event.model_dump_json(),
        partition,
        offset,
        written_at,
    )


ALERT_COLUMNS: tuple[str, ...] = (*Alert.model_fields, "written_at")


def alert_row(alert: Alert, written_at: datetime) -> Row:
    """One alerts row (one transition of one alert key)."""
    return (*(_cell(getattr(alert, name)) for name in Alert.model_fields), written_at)


DEAD_LETTER_COLUMNS: tuple[str, ...] = (
    "reason",
    "detail",
    "source_topic",
    "source_partition",
    "source_offset",
    "payload",
    "dead_lettered_at",
    "written_at",
)

WITHHELD = "[withheld: CPR-like value]"


def dead_letter_row(dl: DeadLetter, dead_lettered_at: datetime, written_at: datetime) -> Row:
    """One dead_letters row; a CPR-like payload or detail is withheld again here (§8.1)."""
    payload = dl.payload if dl.payload is not None and find_cpr(dl.payload) is None else None
    detail = dl.detail if find_cpr(dl.detail) is None else WITHHELD
    return (
        str(dl.reason),
        detail,
        dl.source_topic,
        dl.source_partition,
        dl.source_offset,
        payload,
        dead_lettered_at,
        written_at,
    )


PROGRESS_COLUMNS: tuple[str, ...] = (
    "partition",
    "watermark",
    "max_event_time",
    "events_seen",
    "events_applied",
    "duplicates",
    "dead_letters",
    "emitted_at",
    "emitted_us",
    "written_at",
)


def progress_row(wm: Watermark, written_at: datetime) -> Row:
    """One progress row; emitted_us keeps sub-second order between reports."""
    emitted_us = int(wm.emitted_at.timestamp() * 1_000_000)
    return (
        wm.partition,
        wm.watermark,
        wm.max_event_time,
        wm.events_seen,
        wm.events_applied,
        wm.duplicates,
        wm.dead_letters,
        wm.emitted_at,
        emitted_us,
        written_at,
    )


def kafka_time(timestamp_ms: int) -> datetime:
    """A Kafka record timestamp (ms since epoch) as an aware datetime."""
    return datetime.fromtimestamp(timestamp_ms / 1000, tz=UTC)
