"""`pathwatch simulate` onto a private raw topic, read back from Kafka."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime

import pytest
from kafka import KafkaConsumer

from producers.simulator import Options, Rates, load, stream
from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, decode
from schemas.topics import Names
from tests.e2e.conftest import Pipeline

pytestmark = pytest.mark.e2e


def test_simulate_produces_every_message_keyed_by_pathway(pipeline: Pipeline) -> None:
    pipe = pipeline
    pipe.cli("topics")
    result = pipe.cli("simulate", "--scenario", "brondby", "--seed", "3", "--duplicate-rate", "0.1")
    expected = list(stream(load(), Options("brondby", 3, rates=_rates())))
    assert f"{len(expected)} messages" in result.stdout
    consumer = KafkaConsumer(
        Names(pipe.settings.kafka.namespace).events,
        bootstrap_servers=pipe.settings.kafka.bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=10000,
        group_id=None,
    )
    got = [(r.key, r.value) for r in consumer]
    consumer.close()
    assert len(got) == len(expected)
    assert sorted(got) == sorted((m.key.encode(), m.value) for m in expected)


def _rates() -> Rates:
    return Rates(duplicate=0.1)


def test_injected_faults_become_the_dead_letters_decode_predicts(pipeline: Pipeline) -> None:
    """Every invalid message the simulator injects reaches the dead-letter topic with its reason."""
    pipe = pipeline
    pipe.cli("topics")
    pipe.start("worker", "worker")
    args = ["--scenario", "brondby", "--seed", "5", "--invalid-rate", "0.1"]
    pipe.cli("simulate", *args, "--late-rate", "0.1", "--out-of-order-rate", "0.1")
    now = datetime.now(UTC)
    rates = Rates(late=0.1, out_of_order=0.1, invalid=0.1)
    expected: Counter[str] = Counter()
    for msg in stream(load(), Options("brondby", 5, rates=rates)):
        result = decode(msg.value, Coordinates("t", 0, 0), now)
        if isinstance(result, DeadLetter):
            expected[result.reason.value] += 1
    assert sum(expected.values()) > 50
    consumer = KafkaConsumer(
        Names(pipe.settings.kafka.namespace).dead_letters,
        bootstrap_servers=pipe.settings.kafka.bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=60000,
        group_id=None,
    )
    got: Counter[str] = Counter()
    for record in consumer:
        got[json.loads(record.value)["reason"]] += 1
        if sum(got.values()) >= sum(expected.values()):
            break
    consumer.close()
    assert got == expected, pipe.log_text("worker")[-3000:]
