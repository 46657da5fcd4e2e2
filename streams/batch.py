"""Batch reference: a complete event log in, the same facts and alerts the stream gives out.

Pure functions with no Faust, no Kafka and no per-event state: group the events by pathway,
deduplicate by event_id, and evaluate the shared metric and rule definitions once on each
pathway's full sorted record (streams/metrics.py, streams/alerts.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from streams.alerts import AlertView, evaluate
from streams.metrics import fact_of
from streams.record import PathwayRecord
from streams.ruleset import RuleSet


def records(events: Iterable[Envelope]) -> dict[str, PathwayRecord]:
    """Deduplicated records per pathway id."""
    out: dict[str, PathwayRecord] = {}
    for ev in events:
        rec = out.get(ev.pathway_id)
        if rec is None:
            rec = out[ev.pathway_id] = PathwayRecord(ev.pathway_id)
        rec.add(ev)
    return out


def batch_facts(events: Iterable[Envelope]) -> dict[str, PathwayFact]:
    """Facts per pathway from a complete event log."""
    return {pid: fact_of(rec) for pid, rec in records(events).items()}


def key_partition(pathway_id: str, partitions: int) -> int:
    """The events partition of a pathway: Kafka's default partitioner on the key (murmur2)."""
    from kafka.partitioner.default import murmur2

    return int((murmur2(pathway_id.encode()) & 0x7FFFFFFF) % partitions)


def partition_clocks(
    events: Iterable[Envelope], partition_of: Callable[[str], int], ruleset: RuleSet
) -> dict[int, datetime]:
    """Per partition: the highest event time of its events minus the allowed lateness."""
    top: dict[int, datetime] = {}
    for ev in events:
        p = partition_of(ev.pathway_id)
        if p not in top or ev.occurred_at > top[p]:
            top[p] = ev.occurred_at
    return {p: t - ruleset.allowed_lateness for p, t in top.items()}


def batch_alerts(
    events: Iterable[Envelope],
    ruleset: RuleSet,
    partition_of: Callable[[str], int] = lambda _pid: 0,
) -> dict[str, AlertView]:
    """Alert states per alert key (`<pathway>:<rule>`) at each partition's final clock."""
    log = list(events)
    clocks = partition_clocks(log, partition_of, ruleset)
    out: dict[str, AlertView] = {}
    for pid, rec in records(log).items():
        views, _next = evaluate(rec, clocks[partition_of(pid)], ruleset)
        out.update({f"{pid}:{rule}": view for rule, view in views.items()})
    return out
