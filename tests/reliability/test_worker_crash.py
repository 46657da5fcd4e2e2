"""SIGKILL the Faust worker mid-replay: after a restart the tables equal an uninterrupted run.

At-least-once (docs/reliability.md): the killed worker's uncommitted events are read again,
the state it had built is restored from the table's changelog topic, and the fold ignores
event ids it has already applied, so nothing is lost and nothing is counted twice.
"""

from __future__ import annotations

import signal

import pytest

from schemas.topics import Names
from streams.batch import batch_facts
from tests.e2e.conftest import Pipeline
from tests.reliability.support import (
    Reference,
    assert_same_tables,
    count,
    offsets,
    send_paced,
    settle,
    snapshot,
    valid_events,
    wait_for,
    worker_group,
)

pytestmark = pytest.mark.e2e


def test_sigkill_mid_replay_loses_and_doubles_nothing(
    pipeline: Pipeline, reference: Reference
) -> None:
    pipe = pipeline
    names = Names(pipe.settings.kafka.namespace)
    changelog = f"{names.app_id}-{names.pathway_table}-changelog"
    pipe.cli("migrate")
    pipe.cli("topics")
    pipe.start("worker", "worker")
    pipe.start("sink", "sink", "all")
    messages = reference.messages
    at_kill: dict[str, int] = {}

    def crash(sent: int) -> None:
        if not at_kill and sent >= len(messages) * 0.4:
            # Kill only once the worker has committed offsets and written state, so the
            # restarted worker must restore that state from the changelog to be right.
            wait_for(pipe, "worker commits", lambda: offsets(pipe, names.events, group)[0] > 0, 90)
            wait_for(pipe, "changelog records", lambda: offsets(pipe, changelog)[1] > 0, 60)
            worker = pipe.procs.pop("worker")
            worker.send_signal(signal.SIGKILL)
            assert worker.wait(10) == -signal.SIGKILL
            done, end = offsets(pipe, names.events, group)
            at_kill.update(committed=done, end=end, changelog=offsets(pipe, changelog)[1])
        elif at_kill and "worker" not in pipe.procs and sent >= len(messages) * 0.6:
            pipe.start("worker", "worker")

    group = worker_group(names)
    sent = send_paced(pipe, messages, seconds=40, during=crash)
    assert sent == len(messages)
    assert at_kill, "the worker was never killed"
    assert 0 < at_kill["committed"] < len(messages), at_kill
    if "worker" not in pipe.procs:
        pipe.start("worker", "worker")

    settle(pipe)
    assert_same_tables(snapshot(pipe), reference.tables)
    # And, independently of any streaming run, the batch recomputation from the event log.
    expected = batch_facts(valid_events(messages))
    facts = count(pipe, "SELECT count() FROM {db}.pathway_facts FINAL")
    applied = count(pipe, "SELECT sum(events_applied) FROM {db}.pathway_facts FINAL")
    assert facts == len(expected)
    assert applied == sum(f.events_applied for f in expected.values())
    assert pipe.procs["worker"].poll() is None, "the restarted worker must keep running"
