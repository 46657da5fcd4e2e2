"""The batch reference of a run, and how far ClickHouse is from it (every fact column, alerts).

The reference decodes each message exactly as the worker does (schemas/decode.py) and folds the
valid events with streams/batch.py. It works one events partition at a time: a pathway's events
share its partition (key = pathway id) and its alerts depend only on that partition's clock, so
the result equals batch_facts / batch_alerts over the whole log while only one partition's
decoded events (about 4 KB each) are in memory at once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from schemas.alerts import AlertState
from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, decode
from schemas.facts import PathwayFact
from schemas.tables import ALERTS, PATHWAY_FACTS
from streams.batch import batch_alerts, batch_facts, key_partition
from streams.ruleset import load as load_rules

Row = tuple[Any, ...]
# Every column of the fact, dimensions included (pathway_id is the key).
FACT_COLUMNS: tuple[str, ...] = tuple(c for c in PathwayFact.model_fields if c != "pathway_id")
# What decides an alert's current state (the batch reference has no transition count).
ALERT_COLUMNS = ("state", "since", "deadline", "state_since")


def _cell(value: Any) -> Any:
    """A fact value as ClickHouse returns it: booleans are UInt8, DateTime is Unix seconds."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, date | str | int | float | list) or value is None:
        return value
    raise TypeError(f"unexpected fact value {value!r}")


def fact_cells(fact: PathwayFact) -> Row:
    """The fact in FACT_COLUMNS order, as ClickHouse holds it."""
    return tuple(_cell(getattr(fact, c)) for c in FACT_COLUMNS)


@dataclass
class Expected:
    """What ClickHouse must hold after the run, and what the reference decoded."""

    facts: dict[str, Row] = field(default_factory=dict)
    alerts: dict[str, Row] = field(default_factory=dict)  # alert key -> ALERT_COLUMNS
    valid_events: int = 0
    dead_letters: int = 0


def expected(
    topic: str, values_by_partition: Mapping[int, Sequence[bytes]], partitions: int
) -> Expected:
    """Facts and alerts of the messages (each partition's values in offset order)."""
    rules = load_rules()
    now = datetime.now(UTC)
    out = Expected()
    for partition in sorted(values_by_partition):
        events = []
        for offset, value in enumerate(values_by_partition[partition]):
            result = decode(value, Coordinates(topic, partition, offset), now)
            if isinstance(result, DeadLetter):
                out.dead_letters += 1
            else:
                events.append(result)
        out.valid_events += len(events)
        out.facts.update((pid, fact_cells(f)) for pid, f in batch_facts(events).items())
        views = batch_alerts(events, rules, lambda pid: key_partition(pid, partitions))
        out.alerts.update(
            (key, (v.state.value, *(_cell(t) for t in (v.since, v.deadline, v.state_since))))
            for key, v in views.items()
        )
    return out


def clickhouse_facts(execute: Any, database: str) -> dict[str, Row]:
    """Every pathway's latest fact (pathway_facts FINAL), FACT_COLUMNS in Python terms."""
    types = {str(r[0]): str(r[1]) for r in execute(f"DESCRIBE TABLE {database}.{PATHWAY_FACTS}")}
    missing = [c for c in FACT_COLUMNS if c not in types]
    if missing:
        raise RuntimeError(f"{PATHWAY_FACTS} has no column for {missing}")
    select = [f"toUnixTimestamp({c})" if "DateTime" in types[c] else c for c in FACT_COLUMNS]
    rows = execute(f"SELECT pathway_id, {', '.join(select)} FROM {database}.{PATHWAY_FACTS} FINAL")
    return {str(r[0]): tuple(r[1:]) for r in rows}


def clickhouse_alerts(execute: Any, database: str) -> dict[str, Row]:
    """The latest transition of every alert key (alerts FINAL, highest version)."""
    rows = execute(
        "SELECT alert_key, argMax(state, version), toUnixTimestamp(argMax(since, version)), "
        "toUnixTimestamp(argMax(deadline, version)), toUnixTimestamp(argMax(state_since, version)) "
        f"FROM {database}.{ALERTS} FINAL GROUP BY alert_key"
    )
    return {str(r[0]): tuple(r[1:]) for r in rows}


@dataclass
class Differences:
    """Where ClickHouse differs from the reference."""

    pathways: list[str]  # fact missing, unexpected, or any column different
    alert_keys: list[str]  # open alert missing, unexpected or different; resolved one missing
    columns: dict[str, int]  # differing pathways per fact column
    examples: list[str]  # a few differences, for the log

    @property
    def none(self) -> bool:
        """ClickHouse equals the reference."""
        return not self.pathways and not self.alert_keys


def _split(alerts: Mapping[str, Row]) -> tuple[dict[str, Row], dict[str, Row]]:
    resolved = AlertState.RESOLVED.value
    return (
        {k: v for k, v in alerts.items() if v[0] != resolved},
        {k: v for k, v in alerts.items() if v[0] == resolved},
    )


def compare(want: Expected, facts: Mapping[str, Row], alerts: Mapping[str, Row]) -> Differences:
    """Facts: every pathway, every column. Open alerts: exactly the reference's. Resolved ones:
    every resolved alert of the reference (events later than the allowed lateness may leave
    extra retractions in the stream, never fewer; tests/e2e/streams_check.py)."""
    pathways = sorted(
        p for p in want.facts.keys() | facts.keys() if want.facts.get(p) != facts.get(p)
    )
    columns: Counter[str] = Counter()
    examples: list[str] = []
    for pid in pathways:
        a, b = want.facts.get(pid), facts.get(pid)
        if a is None or b is None:
            columns["(missing)" if b is None else "(unexpected)"] += 1
            continue
        bad = [c for c, x, y in zip(FACT_COLUMNS, a, b, strict=True) if x != y]
        columns.update(bad)
        if len(examples) < 3:
            shown = ", ".join(
                f"{c}: {a[FACT_COLUMNS.index(c)]!r} != {b[FACT_COLUMNS.index(c)]!r}"
                for c in bad[:4]
            )
            examples.append(f"fact {pid}: {shown} (reference != ClickHouse)")
    want_open, want_resolved = _split(want.alerts)
    got_open, _ = _split(alerts)
    wrong = {k for k in want_open.keys() | got_open.keys() if want_open.get(k) != got_open.get(k)}
    wrong |= {k for k, v in want_resolved.items() if alerts.get(k) != v}
    keys = sorted(wrong)
    examples += [f"alert {k}: {want.alerts.get(k)} != {alerts.get(k)}" for k in keys[:3]]
    return Differences(pathways, keys, dict(columns.most_common()), examples)
