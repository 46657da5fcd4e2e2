"""`pathwatch simulate` onto a private raw topic, read back from Kafka."""

from __future__ import annotations

import pytest
from kafka import KafkaConsumer

from producers.simulator import Options, Rates, load, stream
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
