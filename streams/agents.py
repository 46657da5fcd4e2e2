"""Agents: the pathway fold (facts and alerts) and the completeness-watermark timer."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from pathwatch import metrics
from schemas.deadletter import DeadLetter
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
from streams.decode import Coordinates, dead_letter_key, decode
from streams.flow import wait_until_restored
from streams.processor import Processor, overall
from streams.ruleset import load

logger = logging.getLogger(__name__)

processor = Processor(pathway_table, load())


# concurrency=1: with more, Faust can commit past a message still in flight (faust#606).
@app.agent(events_topic, name=names.pathway_agent, concurrency=1)
async def pathway_fold(stream: Any) -> AsyncIterator[None]:
    """Decode each event, fold it into its pathway's record, emit its fact and changed alerts."""
    async for event in stream.events():
        # Never fold into a table that a rebalance is still restoring (streams/flow.py).
        await wait_until_restored(app)
        msg = event.message
        where = Coordinates(msg.topic, msg.partition, msg.offset)
        started = time.perf_counter()
        result = decode(event.value, where, now=datetime.now(UTC))
        if isinstance(result, DeadLetter):
            metrics.DEAD_LETTERS.labels(result.reason.value).inc()
            logger.warning(
                "dead letter %s at %s/%d/%d",
                result.reason.value,
                where.topic,
                where.partition,
                where.offset,
            )
            processor.on_dead_letter(msg.partition)
            await dead_letter_topic.send(
                key=dead_letter_key(event.key), value=result.model_dump_json().encode()
            )
            yield None
            continue
        metrics.EVENTS_CONSUMED.labels("worker", event_type_of(type(result))).inc()
        out = processor.on_event(result, msg.partition)
        metrics.PROCESSING_SECONDS.labels("worker").observe(time.perf_counter() - started)
        for fact in out.facts:
            await facts_topic.send(
                key=fact.pathway_id.encode(), value=fact.model_dump_json().encode()
            )
        for alert in out.alerts:
            await alerts_topic.send(
                key=alert.alert_key.encode(), value=alert.model_dump_json().encode()
            )
        yield None


@app.on_partitions_revoked.connect
async def _forget_pending(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
    # Another worker may move the revoked partitions' clocks on; rebuild heaps when they return.
    processor.forget()


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
