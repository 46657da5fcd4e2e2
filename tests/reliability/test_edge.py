"""The producer edge on the real broker: what the emitter refuses never reaches the raw topic."""

from __future__ import annotations

import random

import orjson
import pytest
from kafka.errors import MessageSizeTooLargeError
from pydantic import ValidationError

from producers.emitter import Emitter
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
