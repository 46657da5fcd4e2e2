"""Real workers on the real broker: facts, alerts and watermarks equal the batch reference,
through a worker restart (state from the changelog) and a two-worker rebalance."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from consumers.clickhouse import connect
from producers.simulator import Rates
from producers.simulator.faults import Message
from schemas.facts import PathwayFact
from schemas.topics import Names
from streams.batch import partition_clocks
from tests.e2e.conftest import Pipeline
from tests.e2e.streams_check import (
    RULES,
    assert_matches_batch,
    produce,
    read_events,
    simulated_messages,
    wait_for,
)

pytestmark = pytest.mark.e2e

# Corrections too: wrong versions first, then the events superseding them (§4.1).
FAULTS = Rates(late=0.05, out_of_order=0.1, duplicate=0.1, invalid=0.02, correction=0.05)


def _worker(pipe: Pipeline, name: str) -> None:
    pipe.env["PATHWATCH_STREAMS__STORE"] = "rocksdb://"
    pipe.env["PATHWATCH_STREAMS__INSTANCE"] = name
    pipe.env["PATHWATCH_STREAMS__PROGRESS_INTERVAL_S"] = "1"
    pipe.start(name, "worker")


def _ready(pipe: Pipeline, name: str, times: int) -> None:
    """Wait until the worker finished its `times`-th recovery (Faust logs "Worker ready")."""
    wait_for(lambda: pipe.log_text(name).count("Worker ready") >= times, 120, f"{name} ready", pipe)


def _datadir(pipe: Pipeline, name: str) -> str:
    app_id = Names(pipe.settings.kafka.namespace).app_id
    return str(pipe.settings.stack.state_dir / "faust" / app_id / name)


def test_simulated_runs_give_the_batch_facts_alerts_and_watermarks(pipeline: Pipeline) -> None:
    pipe = pipeline
    pipe.cli("migrate")
    pipe.cli("topics")
    _worker(pipe, "w1")
    pipe.start("sinks", "sink", "all")
    _ready(pipe, "w1", 1)
    total = 0
    for scenario, seed, n in (("trial", 3, 30), ("national", 5, 40), ("brondby", 2, 19)):
        pipe.cli(
            "simulate", "--scenario", scenario, "--seed", str(seed), "--pathways", str(n),
            "--late-rate", "0.05", "--out-of-order-rate", "0.1", "--duplicate-rate", "0.1",
            "--invalid-rate", "0.02", "--correction-rate", "0.05",
        )  # fmt: skip
        total += len(simulated_messages(scenario, seed, n, FAULTS))
    events, partition_of = read_events(pipe, total)
    facts, views = assert_matches_batch(pipe, events, partition_of, timeout=420)
    assert len(facts) == 89
    assert sum(1 for e in events if e.supersedes_event_id is not None) > 50  # corrections applied
    # The run exercises the listed metrics and most alert rules.
    assert sum(f.conversations_held for f in facts.values()) > 1000
    assert any(f.outcome for f in facts.values())
    assert any(f.company_placements_with_mentor for f in facts.values())
    rules = {key.split(":")[1] for key in views}
    assert len(rules) >= 9, rules

    # Completeness watermark per partition = its highest event time - allowed lateness.
    clocks = partition_clocks(events, partition_of.__getitem__, RULES)
    db = pipe.settings.clickhouse.database
    client = connect(pipe.settings)

    def marks() -> dict[int, int]:
        rows = client.execute(
            f"SELECT partition, toUnixTimestamp(complete_up_to) FROM {db}.watermark_latest"
        )
        return {int(p): int(t) for p, t in rows}

    want = {p: int(t.timestamp()) for p, t in clocks.items()}
    want[-1] = min(want.values())
    wait_for(lambda: marks() == want, 60, "watermarks per partition and overall", pipe)


def _restart_halfway(
    pipe: Pipeline, messages: list[Message], *, wipe: bool, wait_ready: bool
) -> dict[str, PathwayFact]:
    """Send half, check it, restart the worker (optionally without its RocksDB files), send the
    rest (after it is ready, or at once), and check everything against the batch reference."""
    pipe.cli("migrate")
    pipe.cli("topics")
    _worker(pipe, "w1")
    pipe.start("sinks", "sink", "all")
    _ready(pipe, "w1", 1)
    half = len(messages) // 2
    produce(pipe, messages[:half])
    events, partition_of = read_events(pipe, half)
    assert_matches_batch(pipe, events, partition_of)

    before = pipe.log_text("w1").count("Worker ready")
    assert pipe.stop("w1") == 0
    if wipe:  # without its local files the worker can only get its state from the changelog
        shutil.rmtree(_datadir(pipe, "w1"))
    _worker(pipe, "w1")
    if wait_ready:
        _ready(pipe, "w1", before + 1)  # the log is appended to: wait for the new process
    produce(pipe, messages[half:])
    if not wait_ready:
        assert pipe.log_text("w1").count("Worker ready") == before, "worker was ready too soon"
    events, partition_of = read_events(pipe, len(messages))
    facts, _views = assert_matches_batch(pipe, events, partition_of)
    _ready(pipe, "w1", before + 1)
    assert "Traceback" not in pipe.log_text("w1")
    return facts


def test_worker_restart_recovers_state_from_the_changelog(pipeline: Pipeline) -> None:
    messages = simulated_messages("trial", 11, 20, FAULTS)
    facts = _restart_halfway(pipeline, messages, wipe=True, wait_ready=True)
    # Pathways that got events on both sides of the restart kept the first half.
    assert any(f.events_applied > 20 for f in facts.values())


@pytest.mark.parametrize("wipe", [True, False], ids=["store-wiped", "store-kept"])
def test_worker_restart_while_events_arrive(pipeline: Pipeline, wipe: bool) -> None:
    """Events sent while the restarted worker joins, restores its table and seeks are all folded.

    The whole second half is on the topic before the worker has rejoined, so its first fetches
    race the recovery and the seek. Before streams/flow.py, the first events of each partition
    fetched during Faust's post-recovery seek were dropped in 4 of 5 such runs.
    """
    _restart_halfway(
        pipeline, simulated_messages("national", 17, 60, FAULTS), wipe=wipe, wait_ready=False
    )


def test_two_workers_share_partitions_through_a_rebalance(pipeline: Pipeline) -> None:
    pipe = pipeline
    pipe.cli("migrate")
    pipe.cli("topics")
    _worker(pipe, "w1")
    pipe.start("sinks", "sink", "all")
    _ready(pipe, "w1", 1)
    messages = simulated_messages("national", 13, 40, FAULTS)
    third = len(messages) // 3
    produce(pipe, messages[:third])
    events, partition_of = read_events(pipe, third)
    assert_matches_batch(pipe, events, partition_of)

    w1_ready = pipe.log_text("w1").count("Worker ready")
    _worker(pipe, "w2")  # joins the group: the partitions are split between w1 and w2
    produce(pipe, messages[third : 2 * third])  # while the group rebalances
    events, partition_of = read_events(pipe, 2 * third)
    assert_matches_batch(pipe, events, partition_of)
    _ready(pipe, "w2", 1)
    _ready(pipe, "w1", w1_ready + 1)
    assert len(set(partition_of.values())) == pipe.settings.kafka.partitions

    assert pipe.stop("w1") == 0  # w2 takes over w1's partitions and restores their state
    produce(pipe, messages[2 * third :])  # while w2 restores them
    events, partition_of = read_events(pipe, len(messages))
    assert_matches_batch(pipe, events, partition_of)
    assert "Traceback" not in pipe.log_text("w2")


def _owned_by_member(pipe: Pipeline) -> list[list[int]]:
    """The events partitions each member of the worker group is assigned."""
    from kafka import KafkaAdminClient

    names = Names(pipe.settings.kafka.namespace)
    admin = KafkaAdminClient(bootstrap_servers=pipe.settings.kafka.bootstrap)
    try:
        group = admin.describe_groups([names.app_id])[names.app_id]
    finally:
        admin.close()
    out = []
    for member in group["members"]:
        # Empty (not yet decoded) while the group is still forming.
        got = member["member_assignment"]
        assigned = got.get("assigned_partitions", []) if isinstance(got, dict) else []
        out.append(
            sorted(p for a in assigned if a["topic"] == names.events for p in a["partitions"])
        )
    return out


def test_worker_processes_split_the_partitions_and_give_the_batch_results(
    pipeline: Pipeline,
) -> None:
    """`pathwatch worker --processes 2`: both processes own partitions, results are exact, and
    a SIGTERM to the supervisor stops both cleanly."""
    pipe = pipeline
    pipe.cli("migrate")
    pipe.cli("topics")
    pipe.env["PATHWATCH_STREAMS__STORE"] = "rocksdb://"
    pipe.env["PATHWATCH_STREAMS__PROGRESS_INTERVAL_S"] = "1"
    pipe.start("workers", "worker", "--processes", "2")
    pipe.start("sinks", "sink", "all")

    def split() -> bool:
        owned = _owned_by_member(pipe)
        return len(owned) == 2 and all(owned)  # each process folds some partitions

    wait_for(split, 120, "two worker processes, each with partitions", pipe)
    every = list(range(pipe.settings.kafka.partitions))
    assert sorted(p for parts in _owned_by_member(pipe) for p in parts) == every
    messages = simulated_messages("national", 17, 40, FAULTS)
    produce(pipe, messages)
    events, partition_of = read_events(pipe, len(messages))
    assert_matches_batch(pipe, events, partition_of)
    for name in ("w0", "w1"):  # each its own RocksDB store
        assert any(Path(_datadir(pipe, name)).rglob("*.db")), name
    assert pipe.stop("workers") == 0
    assert "Traceback" not in pipe.log_text("workers")
