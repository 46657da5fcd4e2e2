"""A prototype of a batched worker, to measure what issue 8's proposals would buy (not shipped).

`faust -A bench.proto_worker worker` reads the same raw topic with the same decode() and
PathwayState as streams/agents.py, but per batch of up to BATCH events (stream.take_events):
one state write per touched pathway instead of one per event, one fact per touched pathway
(its latest) instead of one per event, and one log line per batch for dead letters. State is
a plain dict written to a bench-only topic on the event's partition: the cost of a changelog
write without Faust's table (whose changelog partition follows `current_event`, which inside a
take() batch is the batch's last event, not the key's). Not recoverable: a measuring device.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import faust
import orjson

from pathwatch.settings import get_settings
from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, decode
from schemas.topics import Names
from streams.state import PathwayState

logger = logging.getLogger(__name__)

BATCH = 1000
WITHIN_S = 0.2  # a batch waits at most this long: the freshness cost of batching

settings = get_settings()
names = Names(settings.kafka.namespace)
# Bench-only names (the shipped ones live in schemas/topics.py).
PROTO_APP_ID = f"{names.namespace}-proto-worker"
PROTO_STATE_TOPIC = f"{names.namespace}.bench-proto-state"

app = faust.App(
    PROTO_APP_ID,
    broker=f"kafka://{settings.kafka.bootstrap}",
    store="memory://",
    env_prefix="PATHWATCH_FAUST_",
    topic_partitions=settings.kafka.partitions,
    topic_replication_factor=1,
    topic_allow_declare=True,
    web_enabled=False,
    datadir=str(settings.stack.state_dir / "faust" / PROTO_APP_ID),
    autodiscover=False,
    processing_guarantee="at_least_once",
    producer_acks=-1,
    consumer_auto_offset_reset="earliest",
)
events_topic = app.topic(
    names.events, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw"
)
facts_topic = app.topic(names.facts, key_serializer="raw", value_serializer="raw")
dead_letter_topic = app.topic(names.dead_letters, key_serializer="raw", value_serializer="raw")
state_topic = app.topic(
    PROTO_STATE_TOPIC,
    key_serializer="raw",
    value_serializer="raw",
    partitions=settings.kafka.partitions,
)
states: dict[str, PathwayState] = {}


@app.agent(events_topic, name="proto-pathway-fold", concurrency=1)
async def proto_fold(stream: Any) -> AsyncIterator[None]:
    """Decode a batch, fold it, write each touched pathway's state and fact once."""
    await state_topic.maybe_declare()  # sends with an explicit partition do not declare it
    async for batch in stream.take_events(BATCH, within=WITHIN_S):
        now = datetime.now(UTC)
        touched: dict[str, int] = {}  # pathway -> partition
        dead: Counter[str] = Counter()
        for event in batch:
            msg = event.message
            result = decode(event.value, Coordinates(msg.topic, msg.partition, msg.offset), now)
            if isinstance(result, DeadLetter):
                dead[result.reason.value] += 1
                await dead_letter_topic.send(key=event.key, value=result.model_dump_json().encode())
                continue
            pid = result.pathway_id
            state = states.get(pid)
            if state is None:
                state = states[pid] = PathwayState(pathway_id=pid)
            if state.apply(result):
                touched[pid] = msg.partition
        for pid, partition in touched.items():
            state = states[pid]
            key = pid.encode()
            await state_topic.send(
                key=key, value=orjson.dumps(state.to_dict()), partition=partition
            )
            await facts_topic.send(key=key, value=state.fact().model_dump_json().encode())
        if dead:
            logger.warning("dead letters in batch: %s", dict(dead))
        yield None
