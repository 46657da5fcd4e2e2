"""Freshness: event production to row visible in ClickHouse, at a fixed paced rate.

A producer thread sends valid simulated events at `rate` events/s (stamping each at send
time) while the real worker and sink run; the main thread polls ClickHouse for the facts.
Event k of a pathway is visible once the pathway's fact has `events_applied >= k` (one key,
one partition: the worker applies a pathway's events in send order). The visibility time is
when the poll that first shows it returned, so each latency is an upper bound, by at most one
poll interval plus the query's own time.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from kafka import KafkaProducer

from bench.pipeline import Namespace, close_namespace, open_namespace
from bench.stats import percentile
from pathwatch.settings import Settings
from schemas.topics import Names

POLL_S = 0.05
PROGRESS = "SELECT pathway_id, max(events_applied) FROM {db}.pathway_facts GROUP BY pathway_id"


def _producer(settings: Settings) -> KafkaProducer:
    # Like producers/emitter.py: acks=all, idempotent, a short linger.
    return KafkaProducer(
        bootstrap_servers=settings.kafka.bootstrap,
        acks="all",
        enable_idempotence=True,
        linger_ms=5,
    )


def _warm_up(ns: Namespace, warmup: list[tuple[bytes, bytes]], timeout: float) -> float:
    """Send the warm-up events until facts appear; seconds until the pipeline answered."""
    producer = _producer(ns.settings)
    topic = Names(ns.name).events
    started = time.monotonic()
    try:
        for key, value in warmup:
            producer.send(topic, key=key, value=value)
        producer.flush()
        deadline = started + timeout
        while time.monotonic() < deadline:
            ns.check_alive()
            if ns.query("SELECT count() FROM {db}.pathway_facts")[0][0] > 0:
                return time.monotonic() - started
            time.sleep(0.2)
    finally:
        producer.close()
    raise RuntimeError(f"no fact in ClickHouse {timeout:.0f}s after the warm-up events")


def _pace(
    settings: Settings,
    topic: str,
    events: list[tuple[bytes, bytes]],
    rate: float,
    sent_at: list[float],
) -> None:
    """Send `events` at `rate` per second; sent_at[i] is when event i was handed to the client."""
    producer = _producer(settings)
    t0 = time.time()
    for i, (key, value) in enumerate(events):
        wait = t0 + i / rate - time.time()
        if wait > 0:
            time.sleep(wait)
        sent_at[i] = time.time()
        producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()


def run(
    base: Settings,
    warmup: list[tuple[bytes, bytes]],
    events: list[tuple[bytes, bytes]],
    logs: Path,
    rate: float = 200.0,
    extra_env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """p50/p99 seconds from send to fact visible for `events` sent at `rate` per second.

    `events` must be valid (decode() accepts each) and their pathways disjoint from `warmup`.
    """
    ns = open_namespace(base, "fresh", logs)
    ns.extra_env.update(extra_env or {})
    try:
        ns.start("worker", "worker")
        ns.start("sinks", "sink", "all")
        ready_s = _warm_up(ns, warmup, timeout=120)
        # (pathway, k) for event i: the k-th event of its pathway in send order.
        seen: Counter[bytes] = Counter()
        want: list[tuple[str, int]] = []
        for key, _ in events:
            seen[key] += 1
            want.append((key.decode(), seen[key]))
        sent_at = [0.0] * len(events)
        sender = threading.Thread(
            target=_pace, args=(ns.settings, Names(ns.name).events, events, rate, sent_at)
        )
        visible_at = [0.0] * len(events)
        pending = set(range(len(events)))
        sender.start()
        deadline = time.monotonic() + len(events) / rate + 60
        while pending and time.monotonic() < deadline:
            ns.check_alive()
            applied = dict(ns.query(PROGRESS))
            now = time.time()
            for i in list(pending):
                pid, k = want[i]
                if sent_at[i] and applied.get(pid, 0) >= k:
                    visible_at[i] = now
                    pending.discard(i)
            time.sleep(POLL_S)
        sender.join()
        rss = ns.peak_rss()
    finally:
        close_namespace(ns)
    if pending:
        raise RuntimeError(f"{len(pending)} of {len(events)} paced events never became visible")
    lat = [v - s for v, s in zip(visible_at, sent_at, strict=True)]
    return {
        "rate_events_per_s": rate,
        "events": len(events),
        "pipeline_ready_s": round(ready_s, 1),
        "p50_s": round(percentile(lat, 50), 3),
        "p99_s": round(percentile(lat, 99), 3),
        "max_s": round(max(lat), 3),
        "poll_interval_s": POLL_S,
        "env": dict(ns.extra_env),
        "peak_rss_mb": rss,
    }
