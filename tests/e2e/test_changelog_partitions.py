"""A real worker batching a backlog (stream.take_events) on the real broker: every table write
lands in the changelog partition of its key's own events, so a restore finds it there."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

import pytest
from kafka import KafkaConsumer, TopicPartition

from producers.simulator import Rates
from schemas.topics import Names
from streams.processor import CLOCK_PREFIX, DUE_PREFIX
from tests.e2e.conftest import Pipeline
from tests.e2e.streams_check import produce, read_events, simulated_messages, wait_for

pytestmark = pytest.mark.e2e


def _changelog(pipe: Pipeline) -> list[tuple[int, str, Any]]:
    """Every record of the pathway table's changelog: (partition, key, value; None = deleted)."""
    names = Names(pipe.settings.kafka.namespace)
    topic = f"{names.app_id}-{names.pathway_table}-changelog"
    consumer = KafkaConsumer(bootstrap_servers=pipe.settings.kafka.bootstrap, group_id=None)
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        if not parts:
            return []
        ends = consumer.end_offsets(parts)
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        out: list[tuple[int, str, Any]] = []
        while any(consumer.position(tp) < ends[tp] for tp in parts):
            for tp, records in consumer.poll(timeout_ms=2000).items():
                out += [
                    (
                        tp.partition,
                        json.loads(r.key),
                        None if r.value is None else json.loads(r.value),
                    )
                    for r in records
                ]
        return out
    finally:
        consumer.close()


def test_batched_table_writes_land_in_each_keys_own_changelog_partition(
    pipeline: Pipeline,
) -> None:
    pipe = pipeline
    pipe.cli("topics")
    messages = simulated_messages("national", 21, 60, Rates())
    produce(pipe, messages)  # a backlog first, so the worker's batches mix all partitions
    events, partition_of = read_events(pipe, len(messages))
    assert len(set(partition_of.values())) == pipe.settings.kafka.partitions
    applied = Counter(e.pathway_id for e in events)
    pipe.env["PATHWATCH_STREAMS__STORE"] = "rocksdb://"
    pipe.start("w1", "worker")

    def complete() -> bool:
        latest = {key: value for _p, key, value in _changelog(pipe)}
        return all(len((latest.get(pid) or {}).get("items", [])) == n for pid, n in applied.items())

    wait_for(complete, 180, "every pathway's full record in the changelog", pipe)
    records = _changelog(pipe)
    for partition, key, value in records:
        if key.startswith(CLOCK_PREFIX):
            assert partition == int(key[len(CLOCK_PREFIX) :]), key
        elif key.startswith(DUE_PREFIX):  # a pathway's next alert change (deleted: None)
            pid = key[len(DUE_PREFIX) :]
            assert partition == partition_of[pid], key
            assert value is None or value[0] == partition, key
        else:
            assert partition == partition_of[key] == value["partition"], key
    clocks = {k: v for _p, k, v in records if k.startswith(CLOCK_PREFIX)}
    assert sum(int(v["applied"]) for v in clocks.values()) == len(events)  # latest per key
    # Batched: fewer writes than events (one per touched key per batch, not one per event).
    pathway_writes = sum(1 for _p, k, _v in records if not k.startswith((CLOCK_PREFIX, DUE_PREFIX)))
    assert pathway_writes < len(events)
    assert "Traceback" not in pipe.log_text("w1")
