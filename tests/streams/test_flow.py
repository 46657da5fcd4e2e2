"""The guards of streams/flow.py: queued events survive a resume of a running flow."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any, cast

from faust.transport.producer import ProducerBuffer
from mode.utils.queues import FlowControlEvent, FlowControlQueue

from streams import flow


def _queue_of(control: FlowControlEvent) -> FlowControlQueue[str]:
    queue: FlowControlQueue[str] = FlowControlQueue(flow_control=control, clear_on_resume=True)
    return queue


def test_mode_resume_clears_queues_even_while_flowing() -> None:
    # The upstream behaviour the guard exists for; if mode changes it, this test says so.
    control = FlowControlEvent(initially_suspended=False)
    queue = _queue_of(control)
    queue.put_nowait("fetched during the seek")
    control.resume()
    assert queue.qsize() == 0


def test_resume_of_a_running_flow_keeps_queued_events() -> None:
    control = flow.KeepQueuesWhenFlowing(initially_suspended=False)
    queue = _queue_of(control)
    queue.put_nowait("fetched during the seek")
    control.resume()
    assert queue.qsize() == 1
    assert control.is_active()


def test_resume_after_suspend_still_clears_stale_events() -> None:
    control = flow.KeepQueuesWhenFlowing(initially_suspended=False)
    queue = _queue_of(control)
    queue.put_nowait("from the previous assignment")
    control.suspend()
    assert not control.is_active()
    control.resume()
    assert queue.qsize() == 0
    assert control.is_active()


def test_install_makes_it_the_apps_flow_control() -> None:
    import faust

    app = faust.App("test-flow-install", broker="kafka://127.0.0.1:1", autodiscover=False)
    flow.install(app)
    assert isinstance(app.flow_control, flow.KeepQueuesWhenFlowing)
    assert not app.flow_control.is_active()  # suspended until Faust resumes it after recovery


def test_wait_until_restored_holds_while_rebalancing() -> None:
    app = SimpleNamespace(rebalancing=True, rebalancing_count=1)
    flow.revoke_finished(app)  # the revoke is over: the table is being restored
    order: list[str] = []

    async def rebalance_ends() -> None:
        await asyncio.sleep(0.2)
        order.append("rebalance over")
        app.rebalancing = False

    async def agent() -> None:
        await flow.wait_until_restored(cast(Any, app))
        order.append("event folded")

    async def both() -> None:
        await asyncio.gather(agent(), rebalance_ends())

    asyncio.run(both())
    assert order == ["rebalance over", "event folded"]


def test_wait_until_restored_lets_a_batch_through_while_the_revoke_waits_for_it() -> None:
    """Faust's revoke waits (wait_empty) for the batch the agent holds: holding it deadlocks."""
    app = SimpleNamespace(rebalancing=True, rebalancing_count=3)
    order: list[str] = []

    async def revoke() -> None:  # Faust's _on_partitions_revoked: wait_empty, then the signal
        while "event folded" not in order:
            await asyncio.sleep(0.01)
        flow.revoke_finished(app)
        order.append("revoke over")

    async def agent() -> None:
        await flow.wait_until_restored(cast(Any, app))
        order.append("event folded")

    async def both() -> None:
        await asyncio.wait_for(asyncio.gather(agent(), revoke()), timeout=5)

    asyncio.run(both())
    assert order == ["event folded", "revoke over"]


class _SlowBuffer(ProducerBuffer):
    """Faust's producer buffer with a send that takes 0.25 s (a full batch, a slow broker)."""

    sent: int = 0

    async def _send_pending(self, fut: Any) -> None:
        await asyncio.sleep(0.25)
        self.sent += 1


class _Producer:
    def __init__(self, buffer: ProducerBuffer) -> None:
        self.buffer, self.flushed = buffer, False

    async def flush(self) -> None:
        self.flushed = True


async def _buffer_with(messages: int) -> _SlowBuffer:
    import faust

    buffer = _SlowBuffer()
    buffer.app = faust.App("test-flow-flush", broker="kafka://127.0.0.1:1", autodiscover=False)
    await buffer.start()
    for _ in range(messages):
        buffer.put(cast(Any, object()))
    return buffer


def test_faust_buffer_flush_returns_with_messages_still_queued() -> None:
    # The upstream behaviour guard 3 exists for; if Faust changes it, this test says so.
    async def run() -> int:
        buffer = await _buffer_with(3)
        await buffer.flush()
        left = buffer.size
        await flow.flush_producer(_Producer(buffer))  # stop() refuses a buffer not empty
        await buffer.stop()
        return left

    assert asyncio.run(run()) > 0


def test_flush_producer_returns_only_when_the_buffer_is_empty() -> None:
    async def run() -> tuple[int, int, bool]:
        buffer = await _buffer_with(3)
        producer = _Producer(buffer)
        await flow.flush_producer(producer)
        result = (buffer.size, buffer.sent, producer.flushed)
        await buffer.stop()
        return result

    assert asyncio.run(run()) == (0, 3, True)
