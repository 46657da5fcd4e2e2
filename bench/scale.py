"""`make scale`: a national history through the real worker and sinks, one worker SIGKILL in the
middle, and every pathway's fact and alerts in ClickHouse compared with the batch reference.

    python -m bench.scale [--pathways 150000] [--cache-size N] [--seed 7] [--partitions 4]
                          [--kill-at 0.5] [--json PATH]

Phases: generate the simulated national run and produce it as fast as the broker takes it to a
fresh namespace; run `pathwatch worker` (RocksDB store, as in production) and `pathwatch sink
all`, SIGKILL the worker once its group has committed `--kill-at` of the events and restart it
on the same store directory, until the worker's and every sink's group have no lag (twice in a
row); compute streams/batch.py on the same messages (bench/reference.py); compare. Prints the
numbers; exits 1 when any pathway or alert differs (or the kill did not land mid-run).
docs/benchmarks.md ("National-scale correctness run") has the measured figures.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from bench import data
from bench.offsets import GroupOffsets, worker_group
from bench.pipeline import Namespace, close_namespace, open_namespace
from bench.reference import clickhouse_alerts, clickhouse_facts, compare, expected
from consumers.clickhouse import connect
from pathwatch.settings import Settings, StreamsSettings, get_settings
from producers.simulator import Options, Rates, load, stream
from producers.simulator.config import Scenario
from schemas.decode import EARLIEST_EVENT_DATE
from schemas.topics import Names
from streams.batch import key_partition

RESULTS = Path(__file__).parent / "results"
SCENARIO = "national"
# How often the committed offsets (and the processes' peak RSS) are looked at.
POLL_S = 0.2
# Caught up = no lag in any group, twice in a row this far apart.
SETTLE_S = 3.0
# While catching up, say which groups still lag this often.
REPORT_S = 30.0


@dataclass(frozen=True)
class Config:
    """What to run; the defaults are the national scale of issue 14."""

    pathways: int = 150_000
    cache_size: int = StreamsSettings().cache_size
    seed: int = 7
    partitions: int = 4
    kill_at: float = 0.5
    # Like the e2e streams runs: duplicates and corrections (superseding events) mixed in.
    duplicate_rate: float = 0.02
    correction_rate: float = 0.02
    logs: Path = RESULTS / "logs"
    # Seconds the pipeline may take to catch up; None: 600 s plus 5 ms per event.
    timeout_s: float | None = None


@dataclass
class Watch:
    """What the run saw of its processes: peak RSS (VmHWM, MiB) and the kill."""

    worker_rss: float = 0.0
    sinks_rss: float = 0.0
    killed: dict[str, int] = field(default_factory=dict)
    # Seconds after the restart at which each group's lag was first 0.
    caught_up_s: dict[str, float] = field(default_factory=dict)

    def sample(self, ns: Namespace) -> None:
        """Keep the highest VmHWM of every worker process and of the sinks."""
        rss = ns.peak_rss()
        self.worker_rss = max(self.worker_rss, rss.get("worker") or 0.0)
        self.sinks_rss = max(self.sinks_rss, rss.get("sinks") or 0.0)


def history_start(scenario: Scenario, pathways: int, now: datetime) -> datetime | None:
    """A start for the simulation that puts the whole history at least a year before `now`.

    The simulator keeps the scenario's arrival rate (`intake_days` per `pathways` of the
    scenario), so 150 000 national pathways arrive over about 15 years: from the scenario's
    start (2016) the history would run past today, and the worker rightly dead-letters events
    ahead of its clock (`timestamp_in_future`), at a wall time the reference cannot reproduce.
    None keeps the scenario's start when the history already ends a year before `now`.
    """
    arrivals = timedelta(days=scenario.intake_days) * pathways / max(scenario.pathways, 1)
    span = arrivals + timedelta(weeks=scenario.horizon_weeks + 8)  # the last pathway's events
    latest_start = now - span - timedelta(days=365)
    start = datetime.combine(scenario.start, clock_time(8), UTC)
    if start <= latest_start:
        return None
    if latest_start.date() < EARLIEST_EVENT_DATE:
        raise ValueError(f"{pathways} pathways at the scenario's rate reach back before 2007")
    return datetime.combine(latest_start.date(), clock_time(8), UTC)


def _produce(settings: Settings, config: Config) -> dict[int, list[bytes]]:
    """Simulate the run and produce it (acks=all, key = pathway id, on the key's partition);
    every value by events partition in offset order."""
    topic = Names(settings.kafka.namespace).events
    rates = Rates(duplicate=config.duplicate_rate, correction=config.correction_rate)
    by_partition: dict[int, list[bytes]] = {p: [] for p in range(config.partitions)}
    partition_of: dict[str, int] = {}
    failed: list[BaseException] = []
    producer = data.producer_of(settings)
    simulator = load()
    start = history_start(simulator.scenarios[SCENARIO], config.pathways, datetime.now(UTC))
    messages = stream(
        simulator,
        Options(SCENARIO, seed=config.seed, pathways=config.pathways, rates=rates, start=start),
    )
    for msg in messages:
        part = partition_of.get(msg.key)
        if part is None:
            part = partition_of[msg.key] = key_partition(msg.key, config.partitions)
        by_partition[part].append(msg.value)
        # The partition Kafka's default partitioner gives the key, stated so the reference's
        # per-partition clocks cannot disagree with the topic.
        future = producer.send(topic, key=msg.key.encode(), value=msg.value, partition=part)
        future.add_errback(failed.append)
    producer.flush()
    producer.close()
    if failed:
        raise RuntimeError(f"{len(failed)} messages were not acknowledged: {failed[0]!r}")
    return by_partition


def _run_pipeline(
    ns: Namespace, events: int, config: Config, watch: Watch, step: Callable[[str], None]
) -> None:
    """Worker and sinks from the backlog to no lag, with one worker SIGKILL and restart."""
    names = Names(ns.name)
    worker = worker_group(names)
    every = [worker, *names.sink_groups()]
    timeout = config.timeout_s if config.timeout_s is not None else 600 + events * 0.005
    deadline = time.monotonic() + timeout
    threshold = max(1, math.ceil(config.kill_at * events))
    with GroupOffsets(ns.settings.kafka.bootstrap) as offsets:
        ns.start("worker", "worker")
        ns.start("sinks", "sink", "all")
        while offsets.committed_and_end(*worker)[0] < threshold:
            _tick(ns, watch, deadline, "the worker to commit the events before the kill")
        watch.sample(ns)
        proc = ns.procs["worker"]
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        committed, end = offsets.committed_and_end(*worker)
        watch.killed.update(committed=committed, end=end, exit_code=proc.returncode)
        step(f"worker SIGKILLed with {committed} of {end} events committed; restarting")
        ns.start("worker", "worker")  # the same store directory (instance name unchanged)
        restarted = last_said = time.monotonic()
        while True:
            # In order: the worker first, so a sink's topic is complete when its lag is read.
            lags = {group: offsets.lag(topic, group) for topic, group in every}
            now = time.monotonic()
            for group, lag in lags.items():
                if lag == 0:
                    watch.caught_up_s.setdefault(group, round(now - restarted, 1))
            if not any(lags.values()):
                time.sleep(SETTLE_S)
                if offsets.caught_up(every):
                    break
            elif now - last_said > REPORT_S:
                behind = ", ".join(f"{g} {lag}" for g, lag in lags.items() if lag)
                step(f"{now - restarted:.0f} s after the restart, lag: {behind}")
                last_said = now
            _tick(ns, watch, deadline, f"the worker and the sinks to catch up; lag {lags}", 1.0)
        watch.sample(ns)


def _tick(
    ns: Namespace, watch: Watch, deadline: float, what: str, interval: float = POLL_S
) -> None:
    """Sample RSS, fail if a process died or time ran out, wait `interval` seconds."""
    watch.sample(ns)
    ns.check_alive()
    if time.monotonic() > deadline:
        raise RuntimeError(f"timed out waiting for {what}; logs under {ns.logs}")
    time.sleep(interval)


def run(
    base: Settings, config: Config, step: Callable[[str], None] = lambda _s: None
) -> dict[str, Any]:
    """One correction run in a fresh namespace (deleted afterwards); every figure measured."""
    if not 0 < config.kill_at < 1:
        raise ValueError(f"--kill-at must be between 0 and 1, not {config.kill_at}")
    base = base.model_copy(
        update={"kafka": base.kafka.model_copy(update={"partitions": config.partitions})}
    )
    started = datetime.now(UTC)
    ns = open_namespace(base, "scale", config.logs)
    ns.extra_env.update(
        PATHWATCH_KAFKA__PARTITIONS=str(config.partitions),
        PATHWATCH_STREAMS__STORE="rocksdb://",
        PATHWATCH_STREAMS__CACHE_SIZE=str(config.cache_size),
    )
    store = ns.settings.stack.state_dir / "faust" / Names(ns.name).app_id
    watch = Watch()
    phases: dict[str, float] = {}
    try:
        step(f"namespace {ns.name}: simulating {config.pathways} pathways and producing them")
        t = time.perf_counter()
        by_partition = _produce(ns.settings, config)
        events = sum(len(v) for v in by_partition.values())
        phases["generate_produce_s"] = time.perf_counter() - t

        step(f"{events} events on the topic; worker (cache {config.cache_size}) and sinks")
        t = time.perf_counter()
        _run_pipeline(ns, events, config, watch, step)
        phases["pipeline_s"] = time.perf_counter() - t
        ns.stop_all()

        step("caught up; batch reference")
        t = time.perf_counter()
        want = expected(Names(ns.name).events, by_partition, config.partitions)
        del by_partition
        phases["reference_s"] = time.perf_counter() - t

        step("comparing with ClickHouse")
        t = time.perf_counter()
        client = connect(ns.settings)
        try:
            db = ns.settings.clickhouse.database
            facts = clickhouse_facts(client.execute, db)
            alerts = clickhouse_alerts(client.execute, db)
        finally:
            client.disconnect()
        diff = compare(want, facts, alerts)
        phases["compare_s"] = time.perf_counter() - t
    finally:
        step(f"dropping {ns.name} (ClickHouse 18.16 may take minutes after a large run)")
        close_namespace(ns)
        shutil.rmtree(store, ignore_errors=True)
    killed = watch.killed
    return {
        "date": started.isoformat(timespec="seconds"),
        "scenario": SCENARIO,
        "seed": config.seed,
        "pathways": len(want.facts),
        "events": events,
        "valid_events": want.valid_events,
        "dead_letters": want.dead_letters,
        "partitions": config.partitions,
        "cache_size": config.cache_size,
        "kill": {
            **killed,
            "fraction_committed": round(killed["committed"] / max(killed["end"], 1), 3),
            "mid_run": 0 < killed["committed"] < killed["end"],
        },
        "differing_pathways": len(diff.pathways),
        "differing_alert_keys": len(diff.alert_keys),
        "differing_columns": diff.columns,
        "examples": diff.examples,
        "alerts_expected": len(want.alerts),
        "facts_in_clickhouse": len(facts),
        "alerts_in_clickhouse": len(alerts),
        "phases_s": {k: round(v, 1) for k, v in phases.items()},
        "events_per_s_end_to_end": round(events / phases["pipeline_s"]),
        "peak_rss_mb": {"worker": watch.worker_rss, "sinks": watch.sinks_rss},
        "lag_zero_after_restart_s": {
            group.removeprefix(f"{ns.name}-"): s for group, s in watch.caught_up_s.items()
        },
    }


def report(result: dict[str, Any]) -> str:
    """The figures as a short text table."""
    phases = result["phases_s"]
    rss = result["peak_rss_mb"]
    kill = result["kill"]
    lines = [
        f"events                       {result['events']} ({result['valid_events']} valid)",
        f"pathways                     {result['pathways']}",
        f"partitions, cache size       {result['partitions']}, {result['cache_size']}",
        f"worker SIGKILL               at {kill['committed']} of {kill['end']} events committed",
        f"differing pathways (facts)   {result['differing_pathways']}",
        f"differing alert keys         {result['differing_alert_keys']}",
        f"generate + produce           {phases['generate_produce_s']} s",
        f"worker + sinks caught up     {phases['pipeline_s']} s",
        f"batch reference              {phases['reference_s']} s",
        f"compare                      {phases['compare_s']} s",
        f"end to end                   {result['events_per_s_end_to_end']} events/s",
        f"peak RSS (VmHWM)             worker {rss['worker']} MiB, sinks {rss['sinks']} MiB",
        f"lag 0 after the restart (s)  {result['lag_zero_after_restart_s']}",
    ]
    if result["differing_columns"]:
        lines.append(f"differing columns            {result['differing_columns']}")
    lines += [f"  {e}" for e in result["examples"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run, print, optionally write JSON; 1 when anything differs or the kill was not mid-run."""
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--pathways", type=int, default=Config.pathways)
    parser.add_argument("--cache-size", type=int, default=Config.cache_size)
    parser.add_argument("--seed", type=int, default=Config.seed)
    parser.add_argument("--partitions", type=int, default=Config.partitions)
    parser.add_argument(
        "--kill-at", type=float, default=Config.kill_at, help="fraction of events committed"
    )
    parser.add_argument("--json", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    config = Config(
        pathways=args.pathways,
        cache_size=args.cache_size,
        seed=args.seed,
        partitions=args.partitions,
        kill_at=args.kill_at,
    )
    began = time.monotonic()

    def step(what: str) -> None:
        print(f"[{time.monotonic() - began:7.1f} s] {what}", file=sys.stderr, flush=True)

    result = run(get_settings(), config, step)
    print(report(result))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2) + "\n")
    if not result["kill"]["mid_run"]:
        print("the worker was not killed mid-run: no evidence of recovery", file=sys.stderr)
        return 1
    return 0 if result["differing_pathways"] == result["differing_alert_keys"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
