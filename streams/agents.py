"""Agents: the pathway fold (facts and alerts) and the completeness-watermark timer."""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from faust.streams import _current_event

from pathwatch import metrics
from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, dead_letter_key, decode
from schemas.envelope import Envelope
from schemas.events.registry import event_type_of
from schemas.progress import OVERALL
from streams.app import (
    alerts_topic,
    app,
    dead_letter_topic,
    events_topic,
    facts_topic,
    names,
    pathway_table,
    progress_topic,
    settings,
)
from streams.cache import StateCache
from streams.flow import flush_producer, wait_until_restored
from streams.processor import BATCH_MAX, Processor, overall
from streams.ruleset import load

logger = logging.getLogger(__name__)

processor = Processor(pathway_table, load(), StateCache(settings.streams.cache_size))


# A batch waits at most this long for more events: the latency batching adds when it is quiet.
BATCH_WITHIN_S = 0.05

Send = tuple[Any, bytes | None, bytes]  # (topic, key, value)


@contextmanager
def _current(event: Any) -> Iterator[None]:
    """Make `event` Faust's current event for a table write: the table sends the changelog
    record to (and the RocksDB store files the key under) the current event's partition, which
    inside a take_events batch would otherwise be the batch's last event."""
    token = _current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        _current_event.reset(token)


def _decoded(event: Any, now: datetime, sends: list[Send]) -> Envelope | None:
    """The event's envelope, or None after queueing its dead letter."""
    msg = event.message
    where = Coordinates(msg.topic, msg.partition, msg.offset)
    result = decode(event.value, where, now=now)
    if not isinstance(result, DeadLetter):
        metrics.EVENTS_CONSUMED.labels("worker", event_type_of(type(result))).inc()
        return result
    metrics.DEAD_LETTERS.labels(result.reason.value).inc()
    logger.warning(
        "dead letter %s at %s/%d/%d",
        result.reason.value,
        where.topic,
        where.partition,
        where.offset,
    )
    sends.append((dead_letter_topic, dead_letter_key(event.key), result.model_dump_json().encode()))
    # A dead letter can end a replay after a crash: the alerts it lets through (processor.py).
    sends += _alert_sends(processor.on_dead_letter(msg.partition, msg.offset))
    return None


def _alert_sends(alerts: Sequence[Any]) -> list[Send]:
    return [(alerts_topic, a.alert_key.encode(), a.model_dump_json().encode()) for a in alerts]


def handle(events: Sequence[Any]) -> list[Send]:
    """Fold a batch of events (in offset order) into the table; the messages it produces.

    Synchronous, so no rebalance can interleave: every table write of the batch is made before
    the agent awaits anything, each under an event of the key's own partition.
    """
    now = datetime.now(UTC)
    sends: list[Send] = []
    last: dict[int, Any] = {}  # events partition -> the batch's last event of it
    processor.begin()
    for event in events:
        started = time.perf_counter()
        last[event.message.partition] = event
        envelope = _decoded(event, now, sends)
        if envelope is None:
            continue
        out = processor.on_event(envelope, event.message.partition, event.message.offset)
        sends += _alert_sends(out.alerts)
        metrics.PROCESSING_SECONDS.labels("worker").observe(time.perf_counter() - started)
    flushed = processor.flush()
    for partition, key, value in flushed.writes:
        with _current(last[partition]):
            if value is None:
                del pathway_table[key]
            else:
                pathway_table[key] = value
    sends += [
        (facts_topic, f.pathway_id.encode(), f.model_dump_json().encode()) for f in flushed.facts
    ]
    return sends


# concurrency=1: with more, Faust can commit past a message still in flight (faust#606).
@app.agent(events_topic, name=names.pathway_agent, concurrency=1)
async def pathway_fold(stream: Any) -> AsyncIterator[None]:
    """Decode each batch of events, fold it into the pathways' records, emit facts and alerts.

    At least once: the batch's offsets are acked only when the next batch is asked for, after
    its table writes and messages are queued; Faust flushes the producer before each commit.
    """
    async for events in stream.take_events(BATCH_MAX, within=BATCH_WITHIN_S):
        # Never fold into a table that a rebalance is still restoring (streams/flow.py), and
        # leave events of partitions moved to another worker to it (it reads them again from
        # the committed offset); writing them here would put stray records on its changelog.
        await wait_until_restored(app)
        mine = _still_ours(events)
        if len(mine) < len(events):
            logger.info("left %d events of partitions no longer ours", len(events) - len(mine))
        sends = handle(mine)
        # The batch's changelog writes reach the broker before its facts and alerts: a sent
        # alert is never ahead of the table that numbers its versions, so a crash cannot make
        # the restarted worker re-number an alert key below what the sink already holds.
        if app.producer.started:  # not in Faust's agent test_context
            await flush_producer(app.producer)
        for topic, key, value in sends:
            await topic.send(key=key, value=value)
        yield None


@app.on_partitions_revoked.connect
async def _forget_pending(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
    # Another worker may move the revoked partitions' clocks on; rebuild heaps when they return.
    processor.forget()


@app.on_partitions_assigned.connect
async def _forget_cached(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
    # The table of newly assigned partitions is what their changelog restores, not our cache.
    processor.forget()


def _still_ours(events: Sequence[Any]) -> list[Any]:
    """The events to fold: those fetched in the current generation, and older ones only while
    their partition is still assigned to this worker."""
    generation = app.consumer_generation_id
    if all(e.message.generation_id == generation for e in events):
        return list(events)
    owned = _owned()
    return [
        e for e in events if e.message.generation_id == generation or e.message.partition in owned
    ]


def _owned() -> set[int]:
    """Events partitions this worker is active for."""
    try:
        tps = app.assignor.assigned_actives()
    except Exception:  # not assigned yet (starting, rebalancing)
        return set()
    return {tp.partition for tp in tps if tp.topic == names.events}


# faust types its timer decorator loosely.
@app.timer(interval=settings.streams.progress_interval_s, name="publish-progress")  # type: ignore[untyped-decorator]
async def publish_progress() -> None:
    """Publish the completeness watermark of each owned partition, and overall when all are."""
    if app.rebalancing:  # the clocks are being restored: publish nothing half-restored
        return
    now = datetime.now(UTC)
    owned = _owned()
    marks = [wm for p in sorted(owned) if (wm := processor.watermark(p, now)) is not None]
    for wm in marks:
        await progress_topic.send(
            key=str(wm.partition).encode(), value=wm.model_dump_json().encode()
        )
    # Overall = the least complete partition; only a worker that owns them all knows it.
    if len(marks) == settings.kafka.partitions and (whole := overall(marks, now)) is not None:
        await progress_topic.send(key=str(OVERALL).encode(), value=whole.model_dump_json().encode())


@app.task  # type: ignore[untyped-decorator]  # faust types its task decorator loosely
async def serve_metrics() -> None:
    """Serve the worker's Prometheus /metrics when PATHWATCH_STREAMS__METRICS_PORT is set."""
    metrics.start_http_server(settings.streams.metrics_port)
