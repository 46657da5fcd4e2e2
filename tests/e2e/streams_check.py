"""Shared checks for the streams e2e tests: read the events back, compare ClickHouse to batch."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaConsumer, KafkaProducer

from consumers.clickhouse import connect
from producers.simulator import Options, Rates, load, stream
from producers.simulator.faults import Message
from schemas.alerts import AlertState
from schemas.decode import Coordinates, decode
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from schemas.topics import Names
from streams.alerts import AlertView
from streams.batch import batch_alerts, batch_facts
from streams.ruleset import load as load_rules
from tests.e2e.conftest import Pipeline

RULES = load_rules()
# Compared column by column; timestamps as Unix seconds (the table stores DateTime seconds).
FACT_COLUMNS = (
    "events_applied", "region_code", "trial_arm", "readiness", "days_to_visitation",
    "visited_within_7_days", "days_visitation_to_first_offer", "days_to_first_company_placement",
    "internship_days", "conversation_weeks", "conversations_held", "conversations_scheduled",
    "no_shows", "pre_course_to_placement_7d", "stage_reached", "lost_at_stage", "current_state",
    "company_offers_started", "company_offers_ended", "interrupted_placements", "hours_values",
    "company_placements_with_mentor", "company_placements_goals_agreed_7d", "parallel_efforts",
    "outcome",
)  # fmt: skip
FACT_TIMES = ("entry_at", "exit_at", "benefit_ended_at")


def simulated_messages(scenario: str, seed: int, pathways: int, rates: Rates) -> list[Message]:
    """The simulator's messages in delivery order (what `pathwatch simulate` produces)."""
    return list(stream(load(), Options(scenario, seed=seed, pathways=pathways, rates=rates)))


def produce(pipe: Pipeline, messages: Iterable[Message]) -> None:
    """Send messages keyed by pathway, as the simulator's Kafka output does."""
    producer = KafkaProducer(bootstrap_servers=pipe.settings.kafka.bootstrap, acks="all")
    topic = Names(pipe.settings.kafka.namespace).events
    for msg in messages:
        producer.send(topic, key=msg.key.encode(), value=msg.value)
    producer.flush()
    producer.close()


def read_events(pipe: Pipeline, expected_messages: int) -> tuple[list[Envelope], dict[str, int]]:
    """Valid events on the events topic, and the partition of each pathway."""
    consumer = KafkaConsumer(
        Names(pipe.settings.kafka.namespace).events,
        bootstrap_servers=pipe.settings.kafka.bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=15000,
        group_id=None,
    )
    events: list[Envelope] = []
    partition_of: dict[str, int] = {}
    seen = 0
    now = datetime.now(UTC)
    for record in consumer:
        seen += 1
        ev = decode(record.value, Coordinates(record.topic, record.partition, record.offset), now)
        if isinstance(ev, Envelope):
            events.append(ev)
            assert partition_of.setdefault(ev.pathway_id, record.partition) == record.partition
        if seen >= expected_messages:
            break
    consumer.close()
    assert seen == expected_messages
    return events, partition_of


def wait_for(predicate: Callable[[], bool], timeout: float, what: str, pipe: Pipeline) -> None:
    """Poll until the predicate holds; fail with the processes' logs."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(2)
    logs = "\n".join(f"--- {n}\n{pipe.log_text(n)[-3000:]}" for n in sorted(pipe.procs))
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def _unix(value: datetime | None) -> int | None:
    return None if value is None else int(value.timestamp())


def expected_fact_rows(facts: dict[str, PathwayFact]) -> dict[str, tuple[Any, ...]]:
    """What the fact columns compared here must hold, per pathway."""
    out = {}
    for pid, fact in facts.items():
        cells = [getattr(fact, c) for c in FACT_COLUMNS]
        cells = [int(c) if isinstance(c, bool) else c for c in cells]
        out[pid] = (*cells, *(_unix(getattr(fact, c)) for c in FACT_TIMES))
    return out


def fact_rows(pipe: Pipeline) -> dict[str, tuple[Any, ...]]:
    """The same columns from ClickHouse (FINAL: latest version per pathway)."""
    db = pipe.settings.clickhouse.database
    times = ", ".join(f"toUnixTimestamp({c})" for c in FACT_TIMES)
    query = f"SELECT pathway_id, {', '.join(FACT_COLUMNS)}, {times} FROM {db}.pathway_facts FINAL"
    return {row[0]: tuple(row[1:]) for row in connect(pipe.settings).execute(query)}


def alert_rows(pipe: Pipeline) -> dict[str, tuple[Any, ...]]:
    """Current state of every alert key in ClickHouse (alerts_current)."""
    db = pipe.settings.clickhouse.database
    query = (
        "SELECT alert_key, current_state, toUnixTimestamp(since), toUnixTimestamp(deadline), "
        f"toUnixTimestamp(state_since) FROM {db}.alerts_current"
    )
    return {row[0]: tuple(row[1:]) for row in connect(pipe.settings).execute(query)}


def expected_alert_rows(views: dict[str, AlertView]) -> dict[str, tuple[Any, ...]]:
    """AlertViews in the shape of alert_rows."""
    return {
        k: (v.state.value, _unix(v.since), _unix(v.deadline), _unix(v.state_since))
        for k, v in views.items()
    }


def split(rows: dict[str, tuple[Any, ...]]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(open alerts, resolved alerts)."""
    resolved = AlertState.RESOLVED.value
    return (
        {k: v for k, v in rows.items() if v[0] != resolved},
        {k: v for k, v in rows.items() if v[0] == resolved},
    )


def assert_matches_batch(
    pipe: Pipeline, events: list[Envelope], partition_of: dict[str, int], timeout: float = 240
) -> tuple[dict[str, PathwayFact], dict[str, AlertView]]:
    """Wait until ClickHouse holds the batch reference's facts and open alerts; check them."""
    facts = batch_facts(events)
    views = batch_alerts(events, RULES, partition_of.__getitem__)
    want_facts = expected_fact_rows(facts)
    want_open, want_resolved = split(expected_alert_rows(views))

    def done() -> bool:
        got_open, _resolved = split(alert_rows(pipe))
        return fact_rows(pipe) == want_facts and got_open == want_open

    try:
        wait_for(done, timeout, "facts and open alerts equal to the batch reference", pipe)
    except AssertionError as exc:
        got_facts, (got_open, _r) = fact_rows(pipe), split(alert_rows(pipe))
        bad = [p for p in want_facts if got_facts.get(p) != want_facts[p]]
        detail = [(p, want_facts[p], got_facts.get(p)) for p in bad[:2]]
        wrong = {k for k in set(want_open) | set(got_open) if want_open.get(k) != got_open.get(k)}
        alerts = [(k, want_open.get(k), got_open.get(k)) for k in sorted(wrong)[:4]]
        summary = f"{len(bad)} facts differ {detail}; {len(wrong)} open alerts differ {alerts}"
        raise AssertionError(f"{summary}\n{exc}") from None
    _open, got_resolved = split(alert_rows(pipe))
    # Events later than the allowed lateness may leave extra retractions, never fewer.
    assert want_resolved.items() <= got_resolved.items()
    return facts, views
