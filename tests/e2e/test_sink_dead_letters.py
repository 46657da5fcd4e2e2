"""An unreadable record on an internal topic is dead-lettered by its sink, never skipped."""

from __future__ import annotations

import json

import pytest
from kafka import KafkaProducer

from schemas.deadletter import Reason
from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.e2e.test_sinks import committed, fact
from tests.reliability.support import count, read_all, wait_for

pytestmark = pytest.mark.e2e

GARBAGE = b"not a fact {"
WRONG_SHAPE = b'{"pathway_id": "pw_bad", "version": "x"}'


def test_garbage_on_the_facts_topic_is_dead_lettered_with_its_coordinates(
    pipeline: Pipeline,
) -> None:
    pipe = pipeline
    pipe.cli("migrate")
    pipe.cli("topics")
    names = Names(pipe.settings.kafka.namespace)
    producer = KafkaProducer(bootstrap_servers=pipe.settings.kafka.bootstrap, acks="all")
    bad: dict[tuple[int, int], bytes] = {}
    for i in range(60):
        value = fact(i, 1).model_dump_json().encode()
        producer.send(names.facts, key=f"pw_{i:06d}".encode(), value=value).get(30)
        if i in (20, 40):  # between good ones, on the same partition as pw_000020 / pw_000040
            junk = GARBAGE if i == 20 else WRONG_SHAPE
            meta = producer.send(names.facts, key=f"pw_{i:06d}".encode(), value=junk).get(30)
            bad[(meta.partition, meta.offset)] = junk
    producer.close()
    pipe.start("sink", "sink", "all")

    def settled() -> bool:
        facts_done = committed(pipe, names.fact_sink_group, names.facts)
        dl_done = committed(pipe, names.dead_letter_sink_group, names.dead_letters)
        return facts_done == (62, 62) and dl_done[1] >= 2 and dl_done[0] == dl_done[1]

    wait_for(pipe, "facts and dead letters committed to the end", settled, 120)

    letters = [json.loads(r.value) for r in read_all(pipe, names.dead_letters)]
    assert len(letters) == 2, letters
    for letter in letters:
        where = (letter["source_partition"], letter["source_offset"])
        assert letter["source_topic"] == names.facts
        assert where in bad, (where, sorted(bad))
        assert letter["reason"] == Reason.INVALID_INTERNAL_RECORD.value
        assert letter["payload"] == bad[where].decode()
        assert "PathwayFact did not validate" in letter["detail"]
        assert "pw_bad" not in letter["detail"], "the detail names fields, never values"
    assert {(d["source_partition"], d["source_offset"]) for d in letters} == set(bad)

    # Counts reconcile: every record of the facts topic is a fact row or a dead letter.
    facts = count(pipe, "SELECT count() FROM {db}.pathway_facts FINAL")
    dead = count(
        pipe, f"SELECT count() FROM {{db}}.dead_letters FINAL WHERE source_topic = '{names.facts}'"
    )
    reasons = count(
        pipe,
        "SELECT count() FROM {db}.dead_letters FINAL "
        f"WHERE reason = '{Reason.INVALID_INTERNAL_RECORD.value}'",
    )
    assert (facts, dead, reasons) == (60, 2, 2)
    assert facts + dead == committed(pipe, names.fact_sink_group, names.facts)[1]
    assert pipe.stop("sink") == 0
