"""Stop the real ClickHouse server for 30 s during a replay: the sinks back off, keep their
place (no commit while nothing is written) and catch up; the tables equal an uninterrupted run.
"""

from __future__ import annotations

import threading
import time

import pytest

from pathwatch.stack.clickhouse import ClickHouseService
from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.reliability.support import (
    Reference,
    assert_same_tables,
    offsets,
    send_paced,
    settle,
    snapshot,
)

pytestmark = pytest.mark.e2e

OUTAGE_S = 30


def test_sinks_ride_out_a_clickhouse_outage(pipeline: Pipeline, reference: Reference) -> None:
    pipe = pipeline
    names = Names(pipe.settings.kafka.namespace)
    pipe.cli("migrate")
    pipe.cli("topics")
    pipe.env["PATHWATCH_SINK__RETRY_MAX_S"] = "4"
    pipe.start("worker", "worker")
    pipe.start("sink", "sink", "all")
    server = ClickHouseService(pipe.settings)
    messages = reference.messages
    seen: dict[str, tuple[int, int]] = {}
    alive: list[bool] = []

    def outage() -> None:
        # All tests share this server: whatever happens, it is running again afterwards.
        try:
            server.down()
            stopped_at = time.monotonic()
            time.sleep(3)
            seen["before"] = offsets(pipe, names.facts, names.fact_sink_group)
            time.sleep(max(0.0, OUTAGE_S - 1 - (time.monotonic() - stopped_at)))
            seen["after"] = offsets(pipe, names.facts, names.fact_sink_group)
            alive.append(pipe.procs["sink"].poll() is None)
        finally:
            server.up()

    fault = threading.Thread(target=outage, name="clickhouse-outage")

    def start_outage(sent: int) -> None:
        if not fault.is_alive() and not seen and sent >= len(messages) * 0.2:
            fault.start()

    send_paced(pipe, messages, seconds=50, during=start_outage)
    fault.join(OUTAGE_S + 120)
    assert server.pid() is not None, "ClickHouse must be running again"
    assert alive == [True], "the sink must survive the outage"
    assert "ClickHouse unavailable" in pipe.log_text("sink")
    # Nothing written means nothing committed: the sink kept its place in the topic.
    committed_before, _ = seen["before"]
    committed_after, facts_end = seen["after"]
    assert committed_after == committed_before
    assert facts_end > committed_after, "facts kept arriving while ClickHouse was down"

    settle(pipe)
    assert_same_tables(snapshot(pipe), reference.tables)
    assert "catching up" in pipe.log_text("sink")
    assert pipe.procs["sink"].poll() is None
