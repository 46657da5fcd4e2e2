"""End-to-end replay: a backlog on the raw topic through `pathwatch worker` and `pathwatch sink
all` into ClickHouse, against the bare-consumption ceiling of the very same topic."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from bench import ceiling, data
from bench.pipeline import close_namespace, open_namespace
from pathwatch.settings import Settings
from schemas.topics import Names

logger = logging.getLogger(__name__)

FACTS_DONE = """
SELECT count(), sum(applied) FROM
  (SELECT pathway_id, max(events_applied) AS applied FROM {db}.pathway_facts GROUP BY pathway_id)
"""
RAW_DONE = "SELECT uniqExact(event_id) FROM {db}.raw_events"


SHIPPED_WORKER = ("pathwatch.cli", "worker")
# Two worker processes of one group (pathwatch/workers.py): both cores fold (issue 15).
TWO_WORKERS = (*SHIPPED_WORKER, "--processes", "2")
PROTO_WORKER = ("faust", "-A", "bench.proto_worker", "worker", "-l", "warn", "--without-web")


def run(
    base: Settings,
    pairs: list[tuple[bytes, bytes]],
    valid: int,
    pathways: int,
    logs: Path,
    worker: tuple[str, ...] = SHIPPED_WORKER,
) -> dict[str, Any]:
    """Ceiling and replay of `pairs` in one fresh namespace.

    `valid` and `pathways` are what decode() accepts of them (the decode stage counts them):
    the replay is complete when ClickHouse holds a fact for each of those pathways with every
    valid event applied, and every valid event in raw_events. Dead letters take the same path.
    """
    n = len(pairs)
    ns = open_namespace(base, "replay", logs)
    try:
        topic = Names(ns.name).events
        started = time.perf_counter()
        data.produce(ns.settings, topic, pairs)
        produce_s = time.perf_counter() - started
        bare_s = ceiling.bare_consumption(ns.settings.kafka.bootstrap, topic, n)

        t0 = time.monotonic()
        ns.start_module("worker", *worker)
        ns.start("sinks", "sink", "all")
        first: float | None = None
        facts_done: float | None = None
        raw_done: float | None = None
        deadline = t0 + max(300.0, n / 100)
        while time.monotonic() < deadline and (facts_done is None or raw_done is None):
            ns.check_alive()
            now = time.monotonic()
            count, applied = ns.query(FACTS_DONE)[0]
            if first is None and count:
                first = now
            if facts_done is None and (count, applied) == (pathways, valid):
                facts_done = now
            if raw_done is None and ns.query(RAW_DONE)[0][0] == valid:
                raw_done = now
            time.sleep(0.5)
        rss = ns.peak_rss()
        cpu = ns.cpu()
    finally:
        close_namespace(ns)
    if facts_done is None or raw_done is None:
        raise RuntimeError(f"replay of {n} events did not complete in ClickHouse in time")
    done = max(facts_done, raw_done)
    return {
        "events": n,
        "valid_events": valid,
        "pathways": pathways,
        "produce_s": round(produce_s, 2),
        "ceiling_s": round(bare_s, 3),
        "ceiling_events_per_s": round(n / bare_s),
        "wall_s": round(done - t0, 2),
        "facts_complete_s": round(facts_done - t0, 2),
        "raw_complete_s": round(raw_done - t0, 2),
        "startup_s": round((first or done) - t0, 2),
        "events_per_s": round(n / (done - t0)),
        "events_per_s_after_startup": round(n / max(done - (first or t0), 1e-9)),
        "ratio_to_ceiling": round((n / (done - t0)) / (n / bare_s), 4),
        "peak_rss_mb": rss,
        # CPU seconds over the wall time: near 1.0 per process means that process is CPU-bound.
        "cpu_s": cpu,
    }
