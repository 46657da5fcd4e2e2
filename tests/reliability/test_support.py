"""The reliability helpers themselves: a settle() timeout names the lagging groups."""

from __future__ import annotations

import pytest
from kafka import KafkaProducer

from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.reliability.support import settle, worker_group

pytestmark = pytest.mark.e2e


def test_settle_timeout_says_which_group_lags_by_how_much(pipeline: Pipeline) -> None:
    pipe = pipeline
    pipe.cli("topics")
    names = Names(pipe.settings.kafka.namespace)
    producer = KafkaProducer(bootstrap_servers=pipe.settings.kafka.bootstrap, acks="all")
    for _ in range(3):
        producer.send(names.events, key=b"k", value=b"{}")
    for _ in range(2):
        producer.send(names.facts, key=b"k", value=b"{}")
    producer.close()
    # Nothing consumes: the worker group lags by 3 events, the fact sink group by 2 facts.
    with pytest.raises(AssertionError) as failed:
        settle(pipe, timeout=3)
    message = str(failed.value).splitlines()[0]
    assert f"{worker_group(names)} 3" in message
    assert f"{names.fact_sink_group} 2" in message
    assert names.alert_sink_group not in message  # nothing to consume, nothing behind
