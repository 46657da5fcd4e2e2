"""Helpers for the reliability tests: Kafka offsets, ClickHouse snapshots, a paced producer.

Everything here talks to the real broker and server of the stack (no fakes).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition

from consumers.clickhouse import connect
from producers.emitter import Emitter
from producers.simulator import Options, Rates, load, stream
from producers.simulator.faults import Message
from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, decode
from schemas.envelope import Envelope
from schemas.topics import Names
from tests.e2e.conftest import Pipeline

# One input for the three fault tests and their uninterrupted reference run: a national
# simulation (domain.md §3) with duplicates, reordering and invalid messages mixed in.
SCENARIO = Options(
    "national",
    seed=17,
    pathways=300,
    rates=Rates(duplicate=0.05, out_of_order=0.05, invalid=0.02),
)

# Tables whose final content must not depend on crashes, outages or restarts, and the columns
# that legitimately differ between two runs (wall-clock write and arrival times).
TABLES: dict[str, tuple[str, ...]] = {
    "pathway_facts": ("written_at",),
    "alerts": ("written_at",),
    "raw_events": ("written_at",),
    "dead_letters": ("written_at", "dead_lettered_at"),
}


def scenario_messages(options: Options = SCENARIO) -> list[Message]:
    """The simulator's messages (valid, duplicate and invalid) in delivery order."""
    return list(stream(load(), options))


def valid_events(messages: Iterable[Message]) -> list[Envelope]:
    """The messages the worker must accept (duplicates included: the fold drops them)."""
    now = datetime.now(UTC)
    out = []
    for i, msg in enumerate(messages):
        result = decode(msg.value, Coordinates("reference", 0, i), now)
        if not isinstance(result, DeadLetter):
            out.append(result)
    return out


def send_paced(
    pipe: Pipeline,
    messages: Sequence[Message],
    seconds: float,
    during: Callable[[int], None] = lambda sent: None,
) -> int:
    """Send `messages` with the project's Emitter, spread over about `seconds`.

    `during(sent)` is called after every chunk, so a test can inject its fault mid-stream.
    Returns the number sent (the Emitter raises if the broker never acknowledges one).
    """
    chunks = max(1, int(seconds * 10))
    size = max(1, len(messages) // chunks + 1)
    sent = 0
    with Emitter(pipe.settings) as emitter:
        for start in range(0, len(messages), size):
            for msg in messages[start : start + size]:
                emitter.send_raw(msg.key, msg.value)
            sent = min(start + size, len(messages))
            during(sent)
            time.sleep(seconds / chunks)
        emitter.flush()
    return sent


def offsets(pipe: Pipeline, topic: str, group: str | None = None) -> tuple[int, int]:
    """(committed offsets of `group`, end offsets), summed over the topic's partitions."""
    consumer = KafkaConsumer(
        bootstrap_servers=pipe.settings.kafka.bootstrap,
        group_id=group,
        enable_auto_commit=False,
        request_timeout_ms=20000,
    )
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        ends = consumer.end_offsets(parts)
        done = sum(consumer.committed(tp) or 0 for tp in parts) if group else 0
        return done, sum(ends.values())
    finally:
        consumer.close(autocommit=False)


def worker_group(names: Names) -> str:
    """Faust's consumer group is its application id."""
    return names.app_id


def lags(pipe: Pipeline, sinks: bool = True) -> dict[str, int]:
    """Per consumer group: end offsets minus committed offsets of its topic (0 = caught up)."""
    names = Names(pipe.settings.kafka.namespace)
    pairs = [(names.events, worker_group(names))]
    if sinks:
        pairs += names.sink_groups()
    out: dict[str, int] = {}
    for topic, group in pairs:
        done, end = offsets(pipe, topic, group)
        out[group] = end - done
    return out


def caught_up(pipe: Pipeline, sinks: bool = True) -> bool:
    """The worker has committed every event, and (if `sinks`) every sink its whole topic."""
    return not any(lags(pipe, sinks).values())


def wait_for(
    pipe: Pipeline,
    what: str,
    predicate: Callable[[], bool],
    timeout: float,
    interval: float = 1.0,
    state: Callable[[], str] | None = None,
) -> None:
    """Poll `predicate` until true; on timeout fail with `state()` and every process log's tail."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # a server being restarted by the test: ask again
            pass
        time.sleep(interval)
    logs = "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in _logs(pipe))
    where = ""
    if state is not None:
        try:
            where = f" ({state()})"
        except Exception as exc:  # the state is a diagnosis; never hide the timeout behind it
            where = f" (state unavailable: {exc!r})"
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}{where}\n{logs}")


def _logs(pipe: Pipeline) -> list[Path]:
    return sorted(pipe.logs.glob("*.log"))


def settle(pipe: Pipeline, timeout: float = 240) -> None:
    """Wait until the worker and every sink are caught up, twice in a row 3 s apart."""

    def twice() -> bool:
        if not caught_up(pipe):
            return False
        time.sleep(3)
        return caught_up(pipe)

    def lag_by_group() -> str:
        behind = {group: lag for group, lag in lags(pipe).items() if lag}
        return "lag by consumer group: " + (
            ", ".join(f"{g} {n}" for g, n in sorted(behind.items())) or "none"
        )

    wait_for(pipe, "worker and sinks caught up", twice, timeout, interval=2, state=lag_by_group)


def columns(pipe: Pipeline, table: str) -> list[str]:
    """Column names of a table in the pipeline's database, in DDL order."""
    db = pipe.settings.clickhouse.database
    # DESCRIBE: 18.16's system.columns has no `position`.
    return [str(r[0]) for r in connect(pipe.settings).execute(f"DESCRIBE TABLE {db}.{table}")]


def snapshot(pipe: Pipeline) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of TABLES (FINAL), without the run-specific columns, sorted.

    The namespace is replaced by `<ns>` so two runs in different namespaces compare equal.
    """
    db = pipe.settings.clickhouse.database
    ns = pipe.settings.kafka.namespace
    client = connect(pipe.settings)
    out: dict[str, list[tuple[Any, ...]]] = {}
    for table, volatile in TABLES.items():
        cols = [c for c in columns(pipe, table) if c not in volatile]
        rows = client.execute(f"SELECT {', '.join(cols)} FROM {db}.{table} FINAL")
        out[table] = sorted((tuple(_plain(v, ns) for v in r) for r in rows), key=repr)
    return out


def _plain(value: Any, ns: str) -> Any:
    """A hashable, namespace-free cell: arrays become tuples."""
    if isinstance(value, str):
        return value.replace(ns, "<ns>")
    if isinstance(value, list):
        return tuple(_plain(v, ns) for v in value)
    return value


def count(pipe: Pipeline, sql: str) -> int:
    """A single number from ClickHouse; `{db}` is the pipeline's database."""
    found = connect(pipe.settings).execute(sql.format(db=pipe.settings.clickhouse.database))
    return int(found[0][0]) if found else 0


def namespace_topics(pipe: Pipeline) -> list[str]:
    """Every topic of the pipeline's namespace, Faust's changelogs included."""
    ns = pipe.settings.kafka.namespace
    admin = KafkaAdminClient(bootstrap_servers=pipe.settings.kafka.bootstrap)
    try:
        return sorted(t for t in admin.list_topics() if t.startswith(ns))
    finally:
        admin.close()


def read_all(pipe: Pipeline, topic: str, timeout: float = 60) -> list[Any]:
    """Every record of `topic` from the beginning to its current end offsets."""
    consumer = KafkaConsumer(
        bootstrap_servers=pipe.settings.kafka.bootstrap,
        group_id=None,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        ends = consumer.end_offsets(parts)
        records: list[Any] = []
        deadline = time.monotonic() + timeout
        while any(consumer.position(tp) < ends[tp] for tp in parts):
            assert time.monotonic() < deadline, f"could not read {topic} to its end"
            for batch in consumer.poll(timeout_ms=500).values():
                records.extend(batch)
        return records
    finally:
        consumer.close()


def rss_mb(pid: int) -> float:
    """Resident set size of a process in MB, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for pid {pid}")


@dataclass(frozen=True)
class Reference:
    """The outcome of the uninterrupted run the fault tests compare against."""

    messages: list[Message]
    tables: dict[str, list[tuple[Any, ...]]]


def assert_same_tables(
    got: dict[str, list[tuple[Any, ...]]], want: dict[str, list[tuple[Any, ...]]]
) -> None:
    """Equal table by table; on a difference say which table and show a few differing rows."""
    for table in want:
        have, expected = set(got[table]), set(want[table])
        missing = [r for r in want[table] if r not in have]
        extra = [r for r in got[table] if r not in expected]
        summary = f"{table}: {len(got[table])} rows, reference {len(want[table])}"
        assert not missing, f"{summary}; {len(missing)} missing, e.g. {missing[:2]}"
        assert not extra, f"{summary}; {len(extra)} unexpected, e.g. {extra[:2]}"
