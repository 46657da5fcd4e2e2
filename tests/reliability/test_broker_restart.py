"""Restart the real Kafka broker while the emitter sends: acks=all and idempotent production
lose and duplicate nothing, and worker and sinks reconnect; the tables equal an uninterrupted run.
"""

from __future__ import annotations

import threading

import pytest

from pathwatch.stack.kafka import KafkaService
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


def test_broker_restart_while_sending_loses_and_duplicates_nothing(
    pipeline: Pipeline, reference: Reference
) -> None:
    pipe = pipeline
    names = Names(pipe.settings.kafka.namespace)
    pipe.cli("migrate")
    pipe.cli("topics")
    pipe.start("worker", "worker")
    pipe.start("sink", "sink", "all")
    broker = KafkaService(pipe.settings)
    messages = reference.messages
    restarted: list[str] = []

    def restart() -> None:
        # Every test shares this broker: it runs again afterwards, whatever happens here.
        try:
            restarted.append(broker.down())
        finally:
            restarted.append(broker.up())

    fault = threading.Thread(target=restart, name="broker-restart")

    def start_restart(sent: int) -> None:
        if not restarted and not fault.is_alive() and sent >= len(messages) * 0.3:
            fault.start()

    sent = send_paced(pipe, messages, seconds=40, during=start_restart)
    fault.join(180)
    assert broker.pid() is not None, "Kafka must be running again"
    assert "stopped" in restarted[0], restarted
    assert sent == len(messages)
    # Exactly one copy of each message on the topic: the producer's retries did not duplicate.
    assert offsets(pipe, names.events)[1] == len(messages)

    settle(pipe)
    assert_same_tables(snapshot(pipe), reference.tables)
    assert pipe.procs["worker"].poll() is None, "the worker must survive the restart"
    assert pipe.procs["sink"].poll() is None, "the sinks must survive the restart"
