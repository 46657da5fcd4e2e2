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
"""

from __future__ import annotations

import asyncio

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


def install(app: faust.App) -> None:
    """Give the app the flow control above; call before any stream or table exists."""
    flow = KeepQueuesWhenFlowing(loop=app.loop)
    # faust caches app.flow_control on first use; setting it first makes ours the one used.
    app.__dict__["flow_control"] = flow


async def wait_until_restored(app: faust.App) -> None:
    """Return once no rebalance (revoke, assign, table recovery, seek) is in progress."""
    # app.rebalancing is set when partitions are revoked and cleared at the very end of
    # Faust's on_recovery_completed, after the table is restored and the streams are seeked.
    while app.rebalancing:
        await asyncio.sleep(POLL_S)
