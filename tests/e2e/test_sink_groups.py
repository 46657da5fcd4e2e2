"""Sink consumers on the real broker: a fresh sink starts promptly, quick rebalances lose nothing.

kafka-python 3.0 with a rebalance listener could leave a fresh consumer fetching nothing after
its second (metadata-triggered) join, until a 20 s watchdog replaced it (issue 14); these tests
start many fresh consumers and move partitions between two sink processes of one group.
"""

from __future__ import annotations

import time

import pytest

from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.e2e.test_sinks import (
    EXPECTED,
    committed,
    fact,
    groups_caught_up,
    messages,
    produce,
    snapshot,
)
from tests.reliability.support import wait_for

pytestmark = pytest.mark.e2e

# Generous: a healthy start takes 1-3 s on the 2-core machine; a stalled one took 20-25 s.
FIRST_ROW_SECONDS = 10


def _facts(names: Names, first: int, n: int) -> list[tuple[str, bytes, bytes | None]]:
    return [
        (names.facts, f"pw_{i:06d}".encode(), fact(i, 1).model_dump_json().encode())
        for i in range(first, first + n)
    ]


def _start(pipe: Pipeline, name: str) -> None:
    """Start `sink facts` as `name` and wait until it consumes (its SIGTERM handler is set)."""
    line = "sink facts consuming"
    before = pipe.log_text(name).count(line)
    pipe.start(name, "sink", "facts")
    wait_for(pipe, f"{name} consuming", lambda: pipe.log_text(name).count(line) > before, 60)


def _rows(pipe: Pipeline) -> int:
    found = snapshot(pipe)["facts"]
    return int(found or 0)


def test_fresh_sink_consumers_catch_up_promptly(pipeline: Pipeline) -> None:
    """Four rounds of a fresh `sink all` process: 20 new consumers, each with records waiting."""
    pipe = pipeline
    pipe.cli("migrate")
    pipe.cli("topics")
    names = Names(pipe.settings.kafka.namespace)
    slow: list[str] = []
    for round_ in range(4):
        produce(pipe, messages(names))  # new offsets; the same facts, alerts, dead letters
        started = time.monotonic()
        pipe.start("sink", "sink", "all")
        while not groups_caught_up(pipe) and time.monotonic() - started < 90:
            time.sleep(0.2)
        took = time.monotonic() - started
        assert groups_caught_up(pipe), f"round {round_}: not caught up after {took:.0f}s"
        if took > FIRST_ROW_SECONDS:
            slow.append(f"round {round_}: {took:.1f}s")
        assert pipe.stop("sink") == 0
        # Every round's events are new events (new ids); everything else collapses.
        assert snapshot(pipe) == {**EXPECTED, "raw": EXPECTED["raw"] * (round_ + 1)}
    log = pipe.log_text("sink")
    assert not slow, f"fresh sinks slower than {FIRST_ROW_SECONDS}s: {slow}\n{log[-6000:]}"


def test_two_sinks_of_one_group_starting_and_stopping_lose_no_row(pipeline: Pipeline) -> None:
    """Partitions move between two `sink facts` processes again and again; every fact arrives."""
    pipe = pipeline
    pipe.cli("migrate")
    pipe.cli("topics")
    names = Names(pipe.settings.kafka.namespace)
    pipe.env["PATHWATCH_SINK__BATCH_MAX_ROWS"] = "7"  # many small batches: commits mid-rebalance
    total = 0
    _start(pipe, "a")
    for step, action in enumerate(["start b", "stop a", "start a", "stop b", "start b", "stop a"]):
        produce(pipe, _facts(names, total, 60))
        total += 60
        time.sleep(0.5 * (step % 3))  # rebalances at different points of the replay
        verb, who = action.split()
        if verb == "start":
            _start(pipe, who)
        else:
            assert pipe.stop(who) == 0
    produce(pipe, _facts(names, total, 60))
    total += 60

    def done() -> bool:
        return committed(pipe, names.fact_sink_group, names.facts) == (total, total)

    wait_for(pipe, "the group caught up", done, 120)
    assert _rows(pipe) == total
    assert "Traceback" not in pipe.log_text("a") + pipe.log_text("b")
