"""`pathwatch replay` against the real broker: a file into a private raw topic and back."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from kafka import KafkaConsumer
from pydantic import SecretStr

from producers.pseudonym import Pseudonymiser
from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.factories import contact, offer, visitation

pytestmark = pytest.mark.e2e

CPR = "0101701234"
KEY = "e2e-replay-key-0123456789"


def test_replay_file_into_private_topic(pipeline: Pipeline, tmp_path: Path) -> None:
    pipe = pipeline
    pipe.env["PATHWATCH_PRIVACY__PSEUDONYM_KEY"] = KEY
    with_cpr = contact(pathway_id="pw_replay_e2e_2")
    del with_cpr["citizen_id"]
    lines = [
        json.dumps(contact(pathway_id="pw_replay_e2e_1")),
        json.dumps(visitation(pathway_id="pw_replay_e2e_1")),
        json.dumps({**with_cpr, "citizen_cpr": CPR}),
        '{"event_type": "offer.started", ',
        json.dumps(offer(pathway_id="pw_replay_e2e_1", municipality_code="999")),
        json.dumps(offer(pathway_id="pw_replay_e2e_1", offer_id=CPR)),
    ]
    source = tmp_path / "events.jsonl"
    source.write_text("\n".join(lines) + "\n")
    report = tmp_path / "report.json"

    result = pipe.cli("replay", str(source), "--report", str(report))

    assert "3 sent, 3 rejected" in result.stdout
    assert "line 4: malformed_json" in result.stderr
    assert "line 5: unknown_municipality" in result.stderr
    assert "line 6: cpr_detected" in result.stderr
    assert CPR not in result.stdout + result.stderr + report.read_text()
    assert [(r["line"], r["reason"]) for r in json.loads(report.read_text())["rejects"]] == [
        (4, "malformed_json"),
        (5, "unknown_municipality"),
        (6, "cpr_detected"),
    ]

    consumer = KafkaConsumer(
        Names(pipe.settings.kafka.namespace).events,
        bootstrap_servers=pipe.settings.kafka.bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=15000,
        group_id=None,
    )
    records = []
    for record in consumer:
        records.append(record)
        if len(records) >= 3:
            break
    consumer.close()
    assert sorted(r.key for r in records) == [
        b"pw_replay_e2e_1",
        b"pw_replay_e2e_1",
        b"pw_replay_e2e_2",
    ]
    assert all(CPR.encode() not in r.value for r in records)
    # Same key, same partition, file order kept.
    first = [json.loads(r.value)["event_type"] for r in records if r.key == b"pw_replay_e2e_1"]
    assert first == ["contact.initiated", "visitation.completed"]
    token = Pseudonymiser(SecretStr(KEY)).token("citizen", CPR)
    by_key = {r.key: json.loads(r.value) for r in records}
    assert by_key[b"pw_replay_e2e_2"]["citizen_id"] == token
