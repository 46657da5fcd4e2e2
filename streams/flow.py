"""Two guards around Faust's recovery so no event is lost or folded into a half-restored table.

1. Faust's `Recovery.on_recovery_completed` resumes the stream partitions, awaits a seek to
   the committed offsets, and only then calls `app.flow_control.resume()`. mode's
   `FlowControlEvent.resume()` always clears every stream queue, also when the flow is already
   running (it was resumed to read the changelogs). Events fetched during that seek are thrown
   away, and the consumer has already moved its read offset past them, so their redelivery is
   dropped as "already read": the first events of each partition after a restart were never
   folded (seen in `tests/e2e/test_streams.py::test_worker_restart_while_events_arrive`).
   `KeepQueuesWhenFlowing.resume()` clears the queues only when the flow was suspended, which
   is when they can hold events of a previous assignment.
2. Events can reach the agent while a rebalance is still restoring the table (Faust resumes
   the flow to read the changelogs). `wait_until_restored` holds the agent until Faust reports
   the rebalance over, so every event is folded into its pathway's fully restored record.
   It does not hold a batch taken before the revoke has finished: Faust's
   `_on_partitions_revoked` waits (`Consumer.wait_empty`, no time limit) until every event an
   agent has started is acked, and the agent acks its batch only when it asks for the next one,
   so holding it there deadlocks the rebalance (seen in
   `tests/e2e/test_streams.py::test_two_workers_share_partitions_through_a_rebalance`: w2 stuck
   in "wait_empty: Waiting for tasks" while its agent waited for the rebalance to end). In the
   revoke phase nothing has been restored yet, the assignment is still the old one, and the
   table is whole: the batch is folded, as Faust's wait_empty expects.
3. Faust writes table changes through its producer buffer, and its `Producer.flush()` drains
   that buffer with `flush_atmost(None)`, which returns as soon as 0.1 s pass without a message
   leaving it (a send waiting for room in a full aiokafka batch, a slow broker): messages can
   still be in the buffer when it returns, and Faust commits offsets right after it. The agent
   calls `flush_producer` instead before it acks a batch, which returns only when the buffer is
   empty, its last message handed to aiokafka, and the producer has delivered everything (at
   least once: no committed event whose changelog write was never sent;
   tests/streams/test_flow.py shows the upstream early return).
"""

from __future__ import annotations

import asyncio
from typing import Any

import faust
from mode.utils.queues import FlowControlEvent

POLL_S = 0.05


class KeepQueuesWhenFlowing(FlowControlEvent):
    """A flow control whose resume() keeps queued events when the flow was already running."""

    def resume(self) -> None:
        """Resume the flow; clear the queues only on the way from suspended to running."""
        if self.is_active():
            return
        super().resume()


# app -> the app's rebalancing_count when its last revoke finished (on_partitions_revoked is
# signalled after Faust's wait_empty).
_REVOKED: dict[int, int] = {}


def install(app: faust.App) -> None:
    """Give the app the flow control above; call before any stream or table exists."""
    flow = KeepQueuesWhenFlowing(loop=app.loop)
    # faust caches app.flow_control on first use; setting it first makes ours the one used.
    app.__dict__["flow_control"] = flow

    @app.on_partitions_revoked.connect
    async def _revoked(sender: Any, /, *args: Any, signal: Any, **kwargs: Any) -> None:
        revoke_finished(app)


def revoke_finished(app: Any) -> None:
    """Note that the current rebalance's revoke (and Faust's wait_empty) is over."""
    _REVOKED[id(app)] = app.rebalancing_count


async def wait_until_restored(app: faust.App) -> None:
    """Return once no rebalance is restoring the table, or at once while it is still revoking."""
    # app.rebalancing is set when partitions are revoked and cleared at the very end of
    # Faust's on_recovery_completed, after the table is restored and the streams are seeked.
    while app.rebalancing:
        if _REVOKED.get(id(app), 0) < app.rebalancing_count:
            return  # still revoking: Faust's wait_empty is waiting for this batch (see above)
        await asyncio.sleep(POLL_S)


def _idle(buffer: Any) -> bool:
    # Nothing queued, and the buffer's sender task waits for the next message rather than
    # sending the last one it took (asyncio.Queue keeps the waiting getters in `_getters`).
    return buffer.size == 0 and bool(buffer.pending._getters)


async def flush_producer(producer: Any) -> None:
    """Deliver everything queued, the buffered table changelog writes included (guard 3)."""
    buffer = producer.buffer
    while buffer.state == "running" and not _idle(buffer):
        if buffer.size:
            await buffer.flush()  # returns early when nothing leaves the buffer for 0.1 s
        else:
            await asyncio.sleep(POLL_S / 10)  # the last message is on its way to aiokafka
    await producer.flush()
