"""A driver of the Processor exactly as the Faust agent runs it (streams/agents.py `handle`).

Messages carry their events partition (the real key partitioner) and offset; batches go
through `begin()` / `flush()` and their writes are applied to a table that stores what the
changelog gives back (JSON), deletes included; the cache is as small as a test likes. Between
batches a rebalance (`forget()`) or a crash can happen. A crash models what a SIGKILL can leave:
the batches since the last commit are delivered again from the committed offsets, to a new
Processor over a table that kept, per changelog partition, a prefix of their writes, and the
sends of those batches are lost or kept (Faust flushes the producer before every commit).
The sinks are modelled as ClickHouse keeps rows: per key the highest version, the later
insert winning a tie (ReplacingMergeTree(version)).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from schemas.alerts import Alert
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from schemas.progress import Watermark
from streams.alerts import AlertView
from streams.batch import key_partition
from streams.cache import StateCache
from streams.processor import Processor, view_of
from streams.ruleset import RuleSet
from tests.streams.simulated import JsonTable

NOW = datetime(2030, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Msg:
    """One message on the events topic: an event, or None for a message that dead-letters."""

    partition: int
    offset: int
    event: Envelope | None


def messages(
    delivered: Sequence[Envelope | None],
    partitions: int,
    dead_partition: Callable[[int], int] = lambda i: i,
) -> list[Msg]:
    """Messages in delivery order: each event on its pathway's partition, the i-th dead letter
    (None) on partition dead_partition(i) % partitions, offsets counted per partition."""
    out: list[Msg] = []
    offsets = [0] * partitions
    dead = 0
    for ev in delivered:
        if ev is None:
            p = dead_partition(dead) % partitions
            dead += 1
        else:
            p = key_partition(ev.pathway_id, partitions)
        out.append(Msg(p, offsets[p], ev))
        offsets[p] += 1
    return out


@dataclass
class Step:
    """What happens after a batch: commit it, rebalance, or crash (keep[p] = how many of the
    uncommitted writes of partition p the changelog kept, as a fraction; sends_kept: whether
    the uncommitted batches' messages reached the topics, which implies their writes did)."""

    commit: bool = False
    rebalance: bool = False
    crash: bool = False
    keep: tuple[float, ...] = ()
    sends_kept: bool = False


@dataclass
class Production:
    """The worker (Processor + table + cache) and what the sinks keep."""

    ruleset: RuleSet
    partitions: int = 4
    cache_size: int = 50_000
    table: JsonTable = field(default_factory=JsonTable)
    facts: dict[str, PathwayFact] = field(default_factory=dict)
    alerts: dict[str, Alert] = field(default_factory=dict)
    history: list[Alert] = field(default_factory=list)
    # messages committed -> the facts and alert rows the sinks held then
    committed: dict[int, tuple[dict[str, PathwayFact], dict[str, AlertView]]] = field(
        default_factory=dict
    )
    crashes: int = 0
    rebalances: int = 0

    def __post_init__(self) -> None:
        self.processor = self._start()

    def _start(self) -> Processor:
        return Processor(self.table, self.ruleset, StateCache(self.cache_size))

    def run(
        self, msgs: Sequence[Msg], sizes: Sequence[int], steps: Sequence[Step] = ()
    ) -> Production:
        """Deliver `msgs` in batches of sizes[i % len(sizes)], then steps[i] after batch i."""
        queue = list(msgs)
        committed = 0  # messages of `queue` before the committed offsets
        changelog: list[tuple[int, str, Any]] = []  # writes since the last commit
        base = dict(self.table)  # the table as of the last commit
        unsent: list[tuple[list[PathwayFact], list[Alert]]] = []
        pos = i = 0
        while pos < len(queue):
            batch = queue[pos : pos + sizes[i % len(sizes)]]
            writes, sent = self._handle(batch)
            changelog += writes
            unsent.append(sent)
            pos += len(batch)
            step = steps[i] if i < len(steps) else Step(commit=True)
            i += 1
            if step.commit or (pos >= len(queue) and not step.crash):
                self._deliver(unsent)
                unsent, committed, changelog, base = [], pos, [], dict(self.table)
                self.committed[pos] = (dict(self.facts), self.views())
            elif step.crash:
                # The agent flushes a batch's changelog writes before it sends its facts and
                # alerts: sends that arrived imply the writes before them did.
                if step.sends_kept:
                    self._deliver(unsent)
                unsent = []
                self._crash(base, changelog, (1.0,) if step.sends_kept else step.keep)
                changelog, pos = [], committed  # redelivered from the committed offsets
                base = dict(self.table)
            elif step.rebalance:
                self.rebalances += 1
                self.processor.forget()
        return self

    def _handle(self, batch: Sequence[Msg]) -> tuple[list[Any], tuple[list[Any], list[Any]]]:
        proc = self.processor
        alerts: list[Alert] = []
        proc.begin()
        for msg in batch:
            if msg.event is None:
                alerts += proc.on_dead_letter(msg.partition, msg.offset)
                continue
            alerts += proc.on_event(msg.event, msg.partition, msg.offset).alerts
        flushed = proc.flush()
        for _p, key, value in flushed.writes:
            if value is None:
                del self.table[key]
            else:
                self.table[key] = value
        return flushed.writes, (flushed.facts, alerts)

    def _crash(self, base: dict[str, Any], changelog: list[Any], keep: Sequence[float]) -> None:
        """A new worker over what the changelog kept: per partition a prefix of its writes."""
        self.crashes += 1
        self.table.clear()
        self.table.update(base)
        per: dict[int, list[tuple[str, Any]]] = {}
        for p, key, value in changelog:
            per.setdefault(p, []).append((key, value))
        for p, writes in per.items():
            share = keep[p % len(keep)] if keep else 0.0
            for key, value in writes[: round(share * len(writes))]:
                if value is None:
                    self.table.pop(key, None)
                else:
                    self.table[key] = value
        self.processor = self._start()

    def _deliver(self, sent: list[tuple[list[PathwayFact], list[Alert]]]) -> None:
        for facts, alerts in sent:
            for fact in facts:
                old = self.facts.get(fact.pathway_id)
                if old is None or fact.version >= old.version:
                    self.facts[fact.pathway_id] = fact
            for alert in alerts:
                self.history.append(alert)
                last = self.alerts.get(alert.alert_key)
                if last is None or alert.version >= last.version:
                    self.alerts[alert.alert_key] = alert

    def views(self) -> dict[str, AlertView]:
        """The alert row per key the sink keeps, without its version."""
        return {k: view_of(a.model_dump(mode="json")) for k, a in self.alerts.items()}

    def watermarks(self) -> dict[int, Watermark]:
        """The completeness watermark of every partition the worker has seen."""
        marks = (self.processor.watermark(p, NOW) for p in range(self.partitions))
        return {m.partition: m for m in marks if m is not None}
