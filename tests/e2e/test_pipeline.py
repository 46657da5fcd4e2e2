"""End to end on the real broker and server: producer -> Faust worker -> sink -> ClickHouse."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from kafka import KafkaConsumer

from consumers.clickhouse import connect
from producers.emitter import Emitter
from producers.sample import sample_events
from schemas.topics import Names
from streams.batch import batch_facts
from tests.e2e.conftest import Pipeline
from tests.factories import contact

pytestmark = pytest.mark.e2e

CPR = "0101701234"


def wait_for(predicate: object, timeout: float, what: str, pipe: Pipeline) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]  # a zero-argument callable
            return
        time.sleep(1)
    logs = "\n".join(f"--- {n}\n{pipe.log_text(n)[-4000:]}" for n in ("worker", "sink"))
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def dead_letters(pipe: Pipeline, expected: int) -> list[dict[str, object]]:
    consumer = KafkaConsumer(
        Names(pipe.settings.kafka.namespace).dead_letters,
        bootstrap_servers=pipe.settings.kafka.bootstrap,
        auto_offset_reset="earliest",
        consumer_timeout_ms=30000,
        group_id=None,
    )
    out = []
    for record in consumer:
        out.append(json.loads(record.value))
        if len(out) >= expected:
            break
    consumer.close()
    return out


def test_events_become_fact_rows_with_time_to_placement(pipeline: Pipeline) -> None:
    pipe = pipeline
    pipe.cli("migrate")
    pipe.cli("topics")
    pipe.start("worker", "worker")
    pipe.start("sink", "sink", "facts")

    events = sample_events(60, seed=7)
    # Late, out-of-order and duplicated delivery must not change the result.
    rng = random.Random(3)
    delivered = events + rng.sample(events, 25)
    rng.shuffle(delivered)
    with Emitter(pipe.settings) as emitter:
        for ev in delivered:
            emitter.emit(ev)
        emitter.send_raw("pw_bad_1", b'{"event_type": "contact.initiated", ')
        emitter.send_raw("pw_bad_2", json.dumps(contact(job_centre_id=CPR)).encode())

    expected = batch_facts(events)
    assert any(f.days_to_first_company_placement is not None for f in expected.values())
    client = connect(pipe.settings)
    db = pipe.settings.clickhouse.database
    query = (
        "SELECT pathway_id, days_to_first_company_placement, events_applied "
        f"FROM {db}.pathway_facts FINAL"
    )

    def complete() -> bool:
        rows = client.execute(query)
        return len(rows) == len(expected) and all(
            r[2] == expected[r[0]].events_applied for r in rows
        )

    wait_for(complete, 120, "all fact rows at their final version", pipe)
    got = {r[0]: r[1] for r in client.execute(query)}
    assert got == {pid: f.days_to_first_company_placement for pid, f in expected.items()}

    letters = dead_letters(pipe, 2)
    assert sorted(str(d["reason"]) for d in letters) == ["cpr_detected", "malformed_json"]
    assert all(CPR not in json.dumps(d) for d in letters)
    assert f"'{CPR}'" not in pipe.log_text("worker")

    # Graceful shutdown: the sink exits cleanly on SIGTERM.
    assert pipe.stop("sink") == 0


def test_demo_command_leaves_fact_rows(pipeline: Pipeline, tmp_path: Path) -> None:
    import base64
    import re
    import socket
    import urllib.request

    from pathwatch import procs

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pipeline.env["PATHWATCH_DASHBOARD__PORT"] = str(port)
    pipeline.env["PATHWATCH_DASHBOARD__USERS_FILE"] = str(tmp_path / "users.toml")
    try:
        result = pipeline.cli("demo", "--pathways", "25", "--timeout", "120")
        # The dashboard serves the demo's data to the printed national login.
        assert f"http://127.0.0.1:{port}/" in result.stdout
        logins = re.findall(r"login:\s+user (\S+)  password (\S+)", result.stdout)
        assert [name for name, _ in logins] == ["region-demo", "national-demo"]
        token = base64.b64encode(":".join(logins[1]).encode()).decode()
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/national/overview",
            headers={"Authorization": f"Basic {token}"},
        )
        with urllib.request.urlopen(req, timeout=30) as r:
            assert json.loads(r.read())["headline"]["citizens"]["value"] >= 25
    finally:
        for name in ("dashboard", "simulator", "worker", "sinks"):
            procs.stop(pipeline.settings, name)
    assert "25 pathway facts are in ClickHouse" in result.stdout
    count = connect(pipeline.settings).execute(
        f"SELECT count() FROM {pipeline.settings.clickhouse.database}.pathway_facts FINAL"
    )
    assert count[0][0] >= 25  # the live simulator adds more
