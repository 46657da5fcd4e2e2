"""Bad input on the real stack: every case gets its dead-letter reason (or its documented
handling), the worker keeps running, a CPR-shaped number is stored nowhere, and the counts
reconcile exactly: events in = events applied + duplicates ignored + dead letters.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from consumers.clickhouse import connect
from producers.emitter import Emitter
from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.reliability.cases import Case, bad_input_cases, control_event, fake_cpr, utc_now
from tests.reliability.support import (
    count,
    namespace_topics,
    offsets,
    read_all,
    settle,
)

pytestmark = pytest.mark.e2e


def server_logs(pipe: Pipeline) -> dict[Path, int]:
    """The stack's own log files and their current sizes."""
    logs = pipe.settings.stack.state_dir / "logs"
    return {p: p.stat().st_size for p in logs.glob("*") if p.is_file()}


def appended(marks: dict[Path, int]) -> str:
    """What the stack's servers logged since `marks`."""
    out = []
    for path, size in marks.items():
        with path.open("rb") as fh:
            fh.seek(size)
            out.append(fh.read().decode(errors="replace"))
    return "\n".join(out)


def test_bad_input_is_dead_lettered_and_counts_reconcile(pipeline: Pipeline) -> None:
    pipe = pipeline
    names = Names(pipe.settings.kafka.namespace)
    cpr = fake_cpr(random.SystemRandom())
    forms = (cpr, f"{cpr[:6]}-{cpr[6:]}")
    marks = server_logs(pipe)
    pipe.cli("migrate")
    pipe.cli("topics")
    pipe.start("worker", "worker")
    pipe.start("sink", "sink", "all")
    now = utc_now()
    cases = [*bad_input_cases(cpr, now), control_event(now)]
    with Emitter(pipe.settings) as emitter:
        for case in cases:
            emitter.send_raw(case.key, case.value)
    settle(pipe)

    # Each message's reason, found by its Kafka coordinates in the dead_letters table.
    case_at = {
        (r.partition, r.offset): _case(cases, r.key, r.value) for r in read_all(pipe, names.events)
    }
    assert len(case_at) == len(cases)
    client = connect(pipe.settings)
    db = pipe.settings.clickhouse.database
    letters = client.execute(
        f"SELECT source_partition, source_offset, reason, payload FROM {db}.dead_letters FINAL"
    )
    got = {case_at[(p, o)].name: reason for p, o, reason, _ in letters}
    assert got == {c.name: c.reason.value for c in cases if c.reason is not None}
    payloads = {case_at[(p, o)].name: payload for p, o, _, payload in letters}
    original = {c.name: c.value for c in cases}
    assert payloads["malformed-json"] == original["malformed-json"].decode()
    withheld = ["invalid-utf8", "empty", "oversized", *(n for n in got if n.startswith("cpr"))]
    for name in withheld:
        assert payloads[name] is None, f"{name}: the message must be withheld"

    # Reconciliation: every message is applied, ignored as a duplicate, or a dead letter.
    events_in = offsets(pipe, names.events)[1]
    applied = count(pipe, "SELECT sum(events_applied) FROM {db}.pathway_facts FINAL")
    dead = count(pipe, "SELECT count() FROM {db}.dead_letters FINAL")
    duplicates = 1  # "duplicate-again"
    accepted = sum(c.reason is None for c in cases)
    assert (events_in, dead, applied) == (len(cases), len(got), accepted - duplicates)
    assert events_in == applied + duplicates + dead
    _check_watermarks(pipe, events_in, applied, duplicates, dead)

    # The worker kept running: the control event, sent after every bad one, is a fact.
    control = "SELECT count() FROM {db}.pathway_facts FINAL WHERE pathway_id = '%s'"
    assert count(pipe, control % cases[-1].key) == 1
    assert pipe.procs["worker"].poll() is None
    assert "Traceback" not in pipe.log_text("worker")

    # Events after a pathway's exit are applied, and arrival order does not change the fact.
    cols = "days_to_first_company_placement, events_applied, entry_at, first_company_placement_at"
    after_exit = client.execute(
        f"SELECT {cols} FROM {db}.pathway_facts FINAL "
        "WHERE pathway_id IN ('pw_case_after_exit_first', 'pw_case_after_exit_last')"
    )
    assert len(after_exit) == 2
    assert after_exit[0] == after_exit[1]
    assert after_exit[0][0] == 20

    # The CPR-shaped number is nowhere but in the raw input: no topic, table or log has it.
    for topic in namespace_topics(pipe):
        if topic == names.events:
            continue
        for record in read_all(pipe, topic):
            text = repr((record.key, record.value))
            assert not any(f in text for f in forms), f"CPR-shaped value on {topic}"
    for (table,) in client.execute(
        f"SELECT name FROM system.tables WHERE database = '{db}' AND engine NOT LIKE '%View'"
    ):
        text = repr(client.execute(f"SELECT * FROM {db}.{table}"))
        assert not any(f in text for f in forms), f"CPR-shaped value in ClickHouse {table}"
    logs = pipe.log_text("worker") + pipe.log_text("sink") + appended(marks)
    assert not any(f in logs for f in forms), "CPR-shaped value in a log"


def _case(cases: list[Case], key: bytes | None, value: bytes | None) -> Case:
    """The case a raw-topic record was sent as (duplicates are identical, so either will do)."""
    return next(c for c in cases if c.key.encode() == key and c.value == (value or b""))


def _check_watermarks(pipe: Pipeline, seen: int, applied: int, dups: int, dead: int) -> None:
    """Once the worker publishes watermarks (issue 4, schemas/progress.py), the latest one of
    each partition carries the reconciliation counts; summed, they must equal ours."""
    db = pipe.settings.clickhouse.database
    sql = (
        "SELECT partition, argMax(events_seen, emitted_us), argMax(events_applied, emitted_us), "
        "argMax(duplicates, emitted_us), argMax(dead_letters, emitted_us) "
        f"FROM {db}.progress WHERE partition >= 0 GROUP BY partition ORDER BY partition"
    )

    def totals() -> tuple[int, ...]:
        rows = connect(pipe.settings).execute(sql)
        return tuple(sum(int(r[i]) for r in rows) for i in range(1, 5))

    if totals() == (0, 0, 0, 0):
        return  # this worker publishes no watermark yet
    expected = (seen, applied, dups, dead)
    deadline = time.monotonic() + 60
    while totals() != expected and time.monotonic() < deadline:
        time.sleep(2)
    rows = connect(pipe.settings).execute(sql)
    assert totals() == expected, f"per-partition watermarks {rows} do not add up to {expected}"
