"""The producer edge on the real broker: what the emitter refuses or cannot deliver, it says."""

from __future__ import annotations

import random

import orjson
import pytest
from kafka import KafkaProducer
from kafka.errors import MessageSizeTooLargeError
from pydantic import ValidationError

from pathwatch.stack.kafka import KafkaService
from producers.emitter import DeliveryFailed, Emitter
from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.factories import contact
from tests.reliability.cases import fake_cpr
from tests.reliability.support import offsets, read_all

pytestmark = pytest.mark.e2e


def test_emitter_refuses_cpr_and_messages_beyond_the_broker_limit(pipeline: Pipeline) -> None:
    pipe = pipeline
    topic = Names(pipe.settings.kafka.namespace).events
    pipe.cli("topics")
    cpr = fake_cpr(random.SystemRandom())
    with Emitter(pipe.settings) as emitter:
        # A payload is validated before it is sent: a CPR-shaped value stops it (§8.1) ...
        with pytest.raises(ValidationError) as refused:
            emitter.emit_payload(contact(pathway_id="pw_edge_0001", job_centre_id=cpr))
        assert cpr not in str(refused.value)
        # ... and bytes over the broker's 1 MB request limit fail at send, not silently later.
        with pytest.raises(MessageSizeTooLargeError):
            emitter.send_raw("pw_edge_0002", orjson.dumps(contact(producer_id="p" * 2_000_000)))
        emitter.emit_payload(contact(pathway_id="pw_edge_0003"))
    assert offsets(pipe, topic)[1] == 1
    assert [r.key for r in read_all(pipe, topic)] == [b"pw_edge_0003"]


def test_emitter_raises_when_the_broker_never_acknowledges(pipeline: Pipeline) -> None:
    """A broker away longer than the delivery timeout: the emitter says so, it does not drop."""
    pipe = pipeline
    topic = Names(pipe.settings.kafka.namespace).events
    pipe.cli("topics")
    # The project's producer settings, with a delivery timeout short enough for a test.
    producer = KafkaProducer(
        bootstrap_servers=pipe.settings.kafka.bootstrap,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
        request_timeout_ms=2000,
        delivery_timeout_ms=4000,
    )
    broker = KafkaService(pipe.settings)
    emitter = Emitter(pipe.settings, producer=producer)
    emitter.emit_payload(contact(pathway_id="pw_edge_0004"))
    emitter.flush()
    try:
        assert "stopped" in broker.down()
        emitter.emit_payload(contact(pathway_id="pw_edge_0005"))
        with pytest.raises(DeliveryFailed, match="1 of 2 messages"):
            emitter.flush()
    finally:
        broker.up()
    with pytest.raises(DeliveryFailed):
        emitter.close()
    assert [r.key for r in read_all(pipe, topic)] == [b"pw_edge_0004"]
