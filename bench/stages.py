"""Each stage alone, in memory (or into ClickHouse for the sink), on the same events."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

import orjson

from consumers import rows
from consumers.clickhouse import ClickHouseWriter
from schemas.decode import Coordinates, decode
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from schemas.tables import PATHWAY_FACTS
from streams.batch import key_partition
from streams.processor import BATCH_MAX, Processor
from streams.ruleset import load as load_rules
from streams.state import PathwayState


def decode_validate(values: list[bytes]) -> tuple[float, list[Envelope]]:
    """Seconds to decode and validate every value; the valid events."""
    where = Coordinates("bench", 0, 0)
    now = datetime.now(UTC)
    out: list[Envelope] = []
    start = time.perf_counter()
    for value in values:
        result = decode(value, where, now)
        if isinstance(result, Envelope):
            out.append(result)
    return time.perf_counter() - start, out


def fold(events: list[Envelope], partitions: int = 4) -> tuple[float, dict[str, Any]]:
    """Seconds for the worker's Processor over every event in the agent's batches: record,
    timeline, fact and alert rules, sweeps, table values and their JSON (the changelog's
    serialisation, orjson as in Faust), alerts and one fact per pathway per batch serialised;
    the table (pathways and partition clocks)."""
    table: dict[str, Any] = {}
    proc = Processor(table, load_rules())
    parts = {pid: key_partition(pid, partitions) for pid in {e.pathway_id for e in events}}
    start = time.perf_counter()
    for i in range(0, len(events), BATCH_MAX):
        proc.begin()
        for event in events[i : i + BATCH_MAX]:
            for alert in proc.on_event(event, parts[event.pathway_id]).alerts:
                alert.model_dump_json()
        flushed = proc.flush()
        for _partition, key, value in flushed.writes:
            orjson.dumps(value)
            table[key] = value
        for fact in flushed.facts:
            fact.model_dump_json()
    return time.perf_counter() - start, table


def emit_facts(events: list[Envelope]) -> tuple[float, list[bytes]]:
    """Seconds to derive and serialise the fact the agent sends after each event; the values.

    The states are rebuilt first (not timed), so this measures fact() + model_dump_json alone.
    """
    states: dict[str, PathwayState] = {}
    after: list[PathwayState] = []
    for event in events:
        state = states.setdefault(event.pathway_id, PathwayState(pathway_id=event.pathway_id))
        state.apply(event)
        after.append(state)
    start = time.perf_counter()
    out = [state.fact().model_dump_json().encode() for state in after]
    return time.perf_counter() - start, out


def sink_rows(values: list[bytes]) -> tuple[float, list[rows.Row]]:
    """Seconds for the fact sink's per-message work (parse the fact, map it to a row)."""
    now = datetime.now(UTC)
    start = time.perf_counter()
    out = [rows.fact_row(PathwayFact.model_validate_json(v), now) for v in values]
    return time.perf_counter() - start, out


def sink_insert(client: Any, batch_rows: list[rows.Row], batch: int) -> float:
    """Seconds to INSERT the rows into pathway_facts in batches of `batch`, as the sink does."""
    writer = ClickHouseWriter(client, PATHWAY_FACTS, rows.FACT_COLUMNS)
    start = time.perf_counter()
    for i in range(0, len(batch_rows), batch):
        writer.write(batch_rows[i : i + batch])
    return time.perf_counter() - start
