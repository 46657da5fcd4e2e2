"""Kill the sink mid-replay of simulator data: after a restart the tables equal an uninterrupted
run (issue 5: same row counts and aggregates whether or not the sink was restarted).

Offsets are committed only after an insert, so the killed sink's uncommitted rows are read
again; the tables are ReplacingMergeTree(version) read with FINAL / argMax, so the repeat
collapses instead of counting twice.
"""

from __future__ import annotations

import signal

import pytest

from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.reliability.support import (
    Reference,
    assert_same_tables,
    count,
    offsets,
    send_paced,
    settle,
    snapshot,
    wait_for,
)

pytestmark = pytest.mark.e2e


def test_sink_killed_mid_replay_ends_equal_to_an_uninterrupted_run(
    pipeline: Pipeline, reference: Reference
) -> None:
    pipe = pipeline
    names = Names(pipe.settings.kafka.namespace)
    pipe.cli("migrate")
    pipe.cli("topics")
    pipe.start("worker", "worker")
    pipe.start("sink", "sink", "all")
    messages = reference.messages
    at_kill: dict[str, int] = {}

    def crash(sent: int) -> None:
        if not at_kill and sent >= len(messages) * 0.4:
            # Kill once the sink has written and committed something, so the restart must
            # resume from committed offsets and replay what it wrote but had not committed.
            wait_for(
                pipe,
                "sink commits facts",
                lambda: offsets(pipe, names.facts, names.fact_sink_group)[0] > 0,
                90,
            )
            sink = pipe.procs.pop("sink")
            sink.send_signal(signal.SIGKILL)
            assert sink.wait(10) == -signal.SIGKILL
            at_kill["facts_rows"] = count(pipe, "SELECT count() FROM {db}.pathway_facts")
        elif at_kill and "sink" not in pipe.procs and sent >= len(messages) * 0.6:
            pipe.start("sink", "sink", "all")

    sent = send_paced(pipe, messages, seconds=40, during=crash)
    assert sent == len(messages)
    assert at_kill, "the sink was never killed"
    assert at_kill["facts_rows"] > 0, "the sink had written nothing before it was killed"
    if "sink" not in pipe.procs:
        pipe.start("sink", "sink", "all")

    settle(pipe)
    assert_same_tables(snapshot(pipe), reference.tables)
    assert pipe.procs["sink"].poll() is None, "the restarted sink must keep running"
