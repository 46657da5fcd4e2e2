"""A batch of events from several partitions (stream.take_events): each table key is written
once, to the changelog partition of its own events, and each pathway gets one fact."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from typing import Any
from unittest.mock import patch

import pytest

from streams.agents import handle, pathway_fold
from streams.app import app, events_topic, facts_topic, pathway_table
from streams.processor import CLOCK_PREFIX, DUE_PREFIX
from tests.factories import T0, contact, visitation


@dataclass
class Message:
    """The fields of a Kafka message the agent reads."""

    topic: str
    partition: int
    offset: int


class Event:
    """What Faust's take_events yields per message: key, value and message coordinates."""

    def __init__(self, partition: int, offset: int, key: bytes, value: bytes) -> None:
        self.key, self.value = key, value
        self.message = Message(events_topic.get_topic_name(), partition, offset)


def _batch() -> list[Event]:
    # Pathway i lives on partition i % 4; two events each, interleaved across partitions, and
    # the batch's last event is on partition 0 (Faust's current event after a take_events).
    at = T0 - timedelta(days=800)  # before the other agent tests: their clocks still move on
    events: list[Event] = []
    offsets = [0, 0, 0, 0]
    for make, day in ((contact, 0), (visitation, 3)):
        for i in (3, 1, 2, 0, 7, 5, 6, 4):
            ids = {"pathway_id": f"pw_batch_{i}", "citizen_id": f"cz_batch_{i}"}
            value = json.dumps(make(at + timedelta(days=day, hours=i), **ids)).encode()
            events.append(Event(i % 4, offsets[i % 4], ids["pathway_id"].encode(), value))
            offsets[i % 4] += 1
    return events


def test_batch_writes_each_key_to_its_own_partition_once() -> None:
    written: list[tuple[int | None, str]] = []

    def send_changelog(partition: int | None, key: str, value: Any, *_a: Any, **_k: Any) -> Any:
        written.append((partition, key))
        return SimpleNamespace(message=SimpleNamespace(partition=partition))

    async def run() -> list[Any]:
        app.finalize()
        with patch.object(pathway_table, "send_changelog", send_changelog):
            async with pathway_fold.test_context():
                return handle(_batch())

    sends = asyncio.run(run())
    pathways = {(i % 4, f"pw_batch_{i}") for i in range(8)}
    assert {w for w in written if w[1].startswith("pw_batch_")} == pathways
    clocks = {w for w in written if w[1].startswith(CLOCK_PREFIX)}
    assert clocks == {(p, f"{CLOCK_PREFIX}{p}") for p in range(4)}
    dues = {w for w in written if w[1].startswith(DUE_PREFIX)}
    assert dues <= {(p, f"{DUE_PREFIX}{pid}") for p, pid in pathways}  # next alert changes
    assert len(written) == len(pathways) + len(dues) + len(clocks)  # once per key, not per event
    for p in range(4):  # the clock first: no restored pathway is ahead of it (issue 14)
        assert next(key for part, key in written if part == p) == f"{CLOCK_PREFIX}{p}"
    assert pathway_table[f"pw_batch_{5}"]["partition"] == 1
    facts = [json.loads(v) for topic, _k, v in sends if topic is facts_topic]
    assert sorted((f["pathway_id"], f["events_applied"]) for f in facts) == sorted(
        (pid, 2) for _p, pid in pathways
    )


def test_events_of_an_older_generation_are_folded_only_where_the_partition_is_still_ours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from types import SimpleNamespace

    from streams import agents

    def ev(partition: int, generation: int) -> SimpleNamespace:
        return SimpleNamespace(
            message=SimpleNamespace(partition=partition, generation_id=generation)
        )

    from streams.app import app

    monkeypatch.setattr(app, "consumer_generation_id", 7)
    monkeypatch.setattr(agents, "_owned", lambda: {0, 2})
    current = [ev(1, 7), ev(3, 7)]
    assert agents._still_ours(current) == current  # fetched after the rebalance: all kept
    old_kept, old_moved = ev(2, 6), ev(3, 6)
    batch = [ev(1, 7), old_kept, old_moved]
    assert agents._still_ours(batch) == [batch[0], old_kept]
