"""Agents: the pathway fold."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from schemas.deadletter import DeadLetter
from streams.app import (
    app,
    dead_letter_topic,
    events_topic,
    facts_topic,
    names,
    pathway_table,
)
from streams.decode import Coordinates, dead_letter_key, decode
from streams.state import PathwayState

logger = logging.getLogger(__name__)


# concurrency=1: with more, Faust can commit past a message still in flight (faust#606).
@app.agent(events_topic, name=names.pathway_agent, concurrency=1)
async def pathway_fold(stream: Any) -> AsyncIterator[None]:
    """Decode each event, fold it into its pathway's state and emit the pathway's fact."""
    async for event in stream.events():
        msg = event.message
        where = Coordinates(msg.topic, msg.partition, msg.offset)
        result = decode(event.value, where, now=datetime.now(UTC))
        if isinstance(result, DeadLetter):
            logger.warning(
                "dead letter %s at %s/%d/%d",
                result.reason.value,
                where.topic,
                where.partition,
                where.offset,
            )
            await dead_letter_topic.send(
                key=dead_letter_key(event.key), value=result.model_dump_json().encode()
            )
            yield None
            continue
        pid = result.pathway_id
        stored = pathway_table.get(pid)
        state = PathwayState.from_dict(stored) if stored else PathwayState(pathway_id=pid)
        if state.apply(result):
            pathway_table[pid] = state.to_dict()
        # Emitted also for duplicates: if a crash lost the earlier send, the replay repairs it;
        # the sink's ReplacingMergeTree(version) makes the repeat harmless.
        await facts_topic.send(key=pid.encode(), value=state.fact().model_dump_json().encode())
        yield None
