"""The sink runner on the real broker and server: replays change nothing, outages lose nothing."""

from __future__ import annotations

import socket
import time
import urllib.request
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata
from prometheus_client.parser import text_string_to_metric_families

from consumers.clickhouse import connect
from schemas.alerts import Alert, AlertState, Severity
from schemas.deadletter import DeadLetter, Reason
from schemas.facts import PathwayFact
from schemas.progress import Watermark
from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.e2e.relay import Relay
from tests.factories import T0, contact

pytestmark = pytest.mark.e2e

PATHWAYS = 120


def fact(i: int, version: int) -> PathwayFact:
    """Pathway i; version 2 is placed after i % 30 days, version 1 not yet."""
    placed = version >= 2
    return PathwayFact(
        pathway_id=f"pw_{i:06d}",
        citizen_id=f"cz_{i:06d}",
        municipality_code=("153", "159", "161")[i % 3],
        region_code="R1",
        job_centre_id="jc",
        entry_at=T0,
        entry_week=T0.date(),
        entry_month=T0.date().replace(day=1),
        first_company_placement_at=T0 + timedelta(days=i % 30) if placed else None,
        days_to_first_company_placement=i % 30 if placed else None,
        events_applied=version,
        version=version,
    )


def messages(names: Names) -> list[tuple[str, bytes, bytes | None]]:
    """(topic, key, value) for all five sinks; facts arrive as v1 then v2."""
    out: list[tuple[str, bytes, bytes | None]] = []
    for version in (1, 2):
        out += [
            (names.facts, f"pw_{i:06d}".encode(), fact(i, version).model_dump_json().encode())
            for i in range(PATHWAYS)
        ]
    for i in range(40):
        for version, state in ((1, AlertState.WARNING), (2, AlertState.DUE)):
            if i % 4 == 0 and version == 2:
                state = AlertState.RESOLVED
            alert = Alert(
                alert_key=f"pw_{i:06d}:A01",
                rule_id="A01",
                rule_name="VISITATION_OVERDUE",
                rules_version=1,
                state=state,
                severity=Severity.HIGH,
                pathway_id=f"pw_{i:06d}",
                citizen_id=f"cz_{i:06d}",
                municipality_code="153",
                region_code="R1",
                job_centre_id="jc",
                since=T0,
                deadline=T0 + timedelta(days=7),
                state_since=T0 + timedelta(days=7 * version),
                version=version,
            )
            out.append((names.alerts, alert.alert_key.encode(), alert.model_dump_json().encode()))
    for i in range(50):
        payload = contact(T0 + timedelta(hours=i), pathway_id=f"pw_{i:06d}")
        out.append((names.events, f"pw_{i:06d}".encode(), orjson.dumps(payload)))
    out.append((names.events, b"pw_bad", b"{not json"))  # skipped by the raw sink
    for i in range(20):
        dl = DeadLetter(
            reason=Reason.MALFORMED_JSON,
            detail="malformed JSON",
            source_topic=names.events,
            source_partition=0,
            source_offset=1000 + i,
            payload="{not json",
        )
        out.append((names.dead_letters, b"", dl.model_dump_json().encode()))
    for h in range(10):
        wm = Watermark(
            partition=-1,
            watermark=T0 + timedelta(hours=h),
            max_event_time=T0 + timedelta(hours=h + 1),
            events_seen=10 * h,
            events_applied=10 * h,
            emitted_at=datetime(2024, 6, 1, tzinfo=UTC) + timedelta(seconds=h),
        )
        out.append((names.progress, b"-1", wm.model_dump_json().encode()))
    return out


def produce(pipe: Pipeline, msgs: list[tuple[str, bytes, bytes | None]]) -> None:
    producer = KafkaProducer(bootstrap_servers=pipe.settings.kafka.bootstrap, acks="all")
    for topic, key, value in msgs:
        producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()


def snapshot(pipe: Pipeline) -> dict[str, Any]:
    """Counts and aggregates the dashboards would show."""
    db = pipe.settings.clickhouse.database
    client = connect(pipe.settings)

    def one(sql: str) -> Any:
        found = client.execute(sql.format(db=db))
        return found[0][0] if found else None

    return {
        "facts": one("SELECT count() FROM {db}.pathway_facts FINAL"),
        "placed": one("SELECT sum(placed) FROM {db}.facts_by_municipality_week"),
        "days": one("SELECT sum(days_to_first_company_placement) FROM {db}.pathway_facts FINAL"),
        "median": one("SELECT median_days_to_placement FROM {db}.facts_by_region_month"),
        "raw": one("SELECT count() FROM {db}.raw_events FINAL"),
        "alert_rows": one("SELECT count() FROM {db}.alerts FINAL"),
        "open_alerts": one("SELECT count() FROM {db}.alerts_open"),
        "dead_letters": one("SELECT count() FROM {db}.dead_letters FINAL"),
        "watermark": one("SELECT events_seen_total FROM {db}.watermark_latest"),
    }


EXPECTED = {
    "facts": PATHWAYS,
    "placed": PATHWAYS,
    "days": sum(i % 30 for i in range(PATHWAYS)),
    "median": 15,  # quantileExact: the upper of the two middle values
    "raw": 50,
    "alert_rows": 80,
    "open_alerts": 30,
    "dead_letters": 20,
    "watermark": 90,
}


def committed(pipe: Pipeline, group: str, topic: str) -> tuple[int, int]:
    """(committed offsets, end offsets) of a group on a topic, summed over partitions."""
    consumer = KafkaConsumer(
        bootstrap_servers=pipe.settings.kafka.bootstrap, group_id=group, enable_auto_commit=False
    )
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        ends = consumer.end_offsets(parts)
        done = sum(consumer.committed(tp) or 0 for tp in parts)
        return done, sum(ends.values())
    finally:
        consumer.close(autocommit=False)


def groups_caught_up(pipe: Pipeline) -> bool:
    """Every sink group has committed up to the end of its topic."""
    for topic, group in Names(pipe.settings.kafka.namespace).sink_groups():
        done, end = committed(pipe, group, topic)
        if done < end:
            return False
    return True


def rewind(pipe: Pipeline, group: str, topic: str) -> None:
    """Commit offset 0 on every partition: the next sink run replays the whole topic."""
    consumer = KafkaConsumer(
        bootstrap_servers=pipe.settings.kafka.bootstrap,
        group_id=group,
        enable_auto_commit=False,
    )
    parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
    consumer.assign(parts)
    consumer.commit({tp: OffsetAndMetadata(0, None, -1) for tp in parts})
    consumer.close()


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def scrape(port: int) -> dict[tuple[str, str], float]:
    """The sink's /metrics as {(sample name, sink label): value}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as resp:
        text = resp.read().decode()
    return {
        (sample.name, sample.labels.get("sink", "")): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name.startswith("pathwatch_")
    }


def wait_for(pipe: Pipeline, what: str, predicate: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.5)
    logs = "\n".join(f"--- {n}\n{pipe.log_text(n)[-4000:]}" for n in ("sink", "sink2"))
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def test_replays_and_restarts_give_the_same_counts(pipeline: Pipeline) -> None:
    pipe = pipeline
    pipe.cli("migrate")
    pipe.cli("topics")
    names = Names(pipe.settings.kafka.namespace)
    msgs = messages(names)
    produce(pipe, msgs)
    pipe.env["PATHWATCH_SINK__BATCH_MAX_ROWS"] = "25"
    pipe.start("sink", "sink", "all")
    # Restart mid-replay: stop as soon as the first facts are in.
    wait_for(pipe, "first facts", lambda: snapshot(pipe)["facts"] > 0, 120)
    assert pipe.stop("sink") == 0
    pipe.start("sink", "sink", "all")
    wait_for(pipe, "all sinks caught up", lambda: groups_caught_up(pipe), 180)
    assert snapshot(pipe) == EXPECTED
    pipe.stop("sink")

    # The same batch again on every topic, and every group rewound to the start.
    produce(pipe, msgs)
    for topic, group in names.sink_groups():
        rewind(pipe, group, topic)
    pipe.start("sink", "sink", "all")
    wait_for(pipe, "replay caught up", lambda: groups_caught_up(pipe), 180)
    assert snapshot(pipe) == EXPECTED


def test_clickhouse_outage_holds_offsets_then_catches_up(pipeline: Pipeline) -> None:
    pipe = pipeline
    pipe.cli("migrate")
    pipe.cli("topics")
    names = Names(pipe.settings.kafka.namespace)
    relay = Relay(pipe.settings.clickhouse.host, pipe.settings.clickhouse.port)
    pipe.env["PATHWATCH_CLICKHOUSE__PORT"] = str(relay.port)
    pipe.env["PATHWATCH_SINK__RETRY_MAX_S"] = "2"
    metrics_port = free_port()
    pipe.env["PATHWATCH_SINK__METRICS_PORT"] = str(metrics_port)
    facts_v1 = [m for m in messages(names) if m[0] == names.facts][:PATHWAYS]
    produce(pipe, facts_v1[:60])
    pipe.start("sink2", "sink", "facts")
    wait_for(pipe, "first 60 facts", lambda: snapshot(pipe)["facts"] == 60, 120)
    wait_for(
        pipe, "offsets 60", lambda: committed(pipe, names.fact_sink_group, names.facts)[0] == 60, 60
    )

    relay.cut()
    produce(pipe, facts_v1[60:])
    wait_for(pipe, "a retry", lambda: "ClickHouse unavailable" in pipe.log_text("sink2"), 60)
    # Nothing written, nothing committed while ClickHouse cannot be reached.
    assert snapshot(pipe)["facts"] == 60
    assert committed(pipe, names.fact_sink_group, names.facts)[0] == 60
    assert pipe.procs["sink2"].poll() is None, "the sink must survive the outage"

    relay.restore()
    wait_for(pipe, "catch-up", lambda: snapshot(pipe)["facts"] == PATHWAYS, 120)
    wait_for(
        pipe,
        "offsets committed",
        lambda: committed(pipe, names.fact_sink_group, names.facts)[0] == PATHWAYS,
        60,
    )
    assert "catching up" in pipe.log_text("sink2")
    scraped = scrape(metrics_port)
    assert scraped[("pathwatch_sink_rows_total", "facts")] == PATHWAYS
    assert scraped[("pathwatch_sink_retries_total", "facts")] >= 1
    assert scraped[("pathwatch_sink_failures_total", "facts")] >= 1
    assert scraped[("pathwatch_end_to_end_latency_seconds_count", "facts")] == PATHWAYS
    assert pipe.stop("sink2") == 0
