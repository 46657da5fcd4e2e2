"""The streaming path without Faust: per-event fold, partition clock, alert sweep, watermark.

The Faust agent (streams/agents.py) drives a Processor over its table; unit tests drive one
over a plain dict. State lives in the table (JSON values, so the changelog restores it): one
entry per pathway, and one `__clock__:<partition>` entry per events partition with the highest
event time seen there and the reconciliation counters. Decoded records are kept in a bounded
cache (streams/cache.py) that `forget()` drops on every rebalance; the table is written after
every event, or once per key per batch between `begin()` and `flush()` (issue 8).

Clock: per events partition, the highest `occurred_at` seen on that partition minus the rules
file's allowed lateness. A pathway's events all share one partition (key = pathway id), so its
alerts depend only on its partition's clock, which the batch reference reproduces from the
partition of each event (streams/batch.py). When an event advances the clock, every pathway of
the partition whose next state change is now due is evaluated again ("clock-tick sweep"), so
alerts move on even for pathways that receive no new events.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from schemas.alerts import Alert, AlertState
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from schemas.progress import NO_EVENT_TIME, OVERALL, Watermark
from streams.alerts import AlertView, alert_of, evaluate
from streams.cache import Cached, StateCache
from streams.metrics import fact_of
from streams.ruleset import RuleSet
from streams.state import PathwayState

CLOCK_PREFIX = "__clock__:"
# Events per batch the agent folds between begin() and flush(): one table write per touched
# key and one fact per touched pathway per batch (issue 8).
BATCH_MAX = 500


@dataclass
class Output:
    """What one input produced."""

    facts: list[PathwayFact] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)


@dataclass
class Flushed:
    """What a batch leaves to write: table entries by events partition, one fact per pathway."""

    writes: list[tuple[int, str, Any]] = field(default_factory=list)  # (partition, key, value)
    facts: list[PathwayFact] = field(default_factory=list)


def view_of(alert: dict[str, Any]) -> AlertView:
    """The AlertView of an emitted alert's JSON form."""

    def ts(value: str | None) -> datetime | None:
        return datetime.fromisoformat(value) if value else None

    since = datetime.fromisoformat(alert["since"])
    state_since = datetime.fromisoformat(alert["state_since"])
    return AlertView(
        alert["rule_id"], AlertState(alert["state"]), since, ts(alert["deadline"]), state_since
    )


class Processor:
    """Fold, alerts and progress over a table of JSON values."""

    def __init__(
        self, table: MutableMapping[str, Any], ruleset: RuleSet, cache: StateCache | None = None
    ) -> None:
        self.table = table
        self.ruleset = ruleset
        self.cache = cache or StateCache()
        self._pending: dict[int, list[tuple[str, str]]] = {}
        # pathway -> the time of its next alert change last scheduled: older heap entries are
        # stale (nothing changes for them), so the sweep skips them without evaluating.
        self._due_at: dict[str, str | None] = {}
        self._clocks: dict[int, dict[str, Any]] = {}
        # Batch mode (begin/flush): keys to write once, and pathways owing a fact.
        self._dirty: dict[str, tuple[int, Cached | None]] | None = None
        self._fact_due: dict[str, Cached] = {}

    # --- table access: cached, written through or once per batch ---
    def _put(self, key: str, partition: int, entry: Cached | None = None) -> None:
        if self._dirty is not None:
            self._dirty[key] = (partition, entry)
            return
        self.table[key] = entry.state.to_dict() if entry else dict(self._clocks[partition])

    def _load(self, pid: str) -> Cached | None:
        entry = self.cache.get(pid)
        if entry is None:
            stored = self.table.get(pid)
            if not stored:
                return None
            entry = Cached(PathwayState.from_dict(stored))
            self.cache.put(pid, entry)
        return entry

    def begin(self) -> None:
        """Start a batch: table writes and facts wait for `flush()`."""
        self._dirty = {}

    def flush(self) -> Flushed:
        """End the batch: each touched key's latest value, and each touched pathway's fact."""
        out = Flushed()
        for key, (partition, entry) in (self._dirty or {}).items():
            value = entry.state.to_dict() if entry else dict(self._clocks[partition])
            out.writes.append((partition, key, value))
        out.facts = [self._fact(entry) for entry in self._fact_due.values()]
        self._dirty, self._fact_due = None, {}
        return out

    def _fact(self, entry: Cached) -> PathwayFact:
        if entry.fact is None:
            entry.fact = fact_of(entry.state.record, entry.timeline())
        return entry.fact

    # --- partition clock and counters ---
    def _clock_entry(self, partition: int, keep: bool = True) -> dict[str, Any]:
        # keep=False for readers outside the agent (the progress timer): they may run while
        # the table is still being restored, and must not cache what it held before.
        entry = self._clocks.get(partition)
        if entry is None:
            stored = self.table.get(f"{CLOCK_PREFIX}{partition}")
            entry = (
                dict(stored)
                if stored is not None
                else {"max": None, "applied": 0, "duplicates": 0, "dead_letters": 0}
            )
            if keep:
                self._clocks[partition] = entry
        return entry

    def clock(self, partition: int) -> datetime | None:
        """The partition's alert clock: highest event time seen minus the allowed lateness."""
        top = self._clock_entry(partition)["max"]
        return None if top is None else datetime.fromisoformat(top) - self.ruleset.allowed_lateness

    def partitions(self) -> Iterator[int]:
        """Partitions this table holds a clock for."""
        for key in list(self.table.keys()):
            if isinstance(key, str) and key.startswith(CLOCK_PREFIX):
                yield int(key[len(CLOCK_PREFIX) :])

    def watermark(self, partition: int, now: datetime) -> Watermark | None:
        """Results of this partition are complete up to its clock (schemas/progress.py)."""
        entry = self._clock_entry(partition, keep=False)
        if entry["max"] is None and entry["dead_letters"] == 0:
            return None
        # A partition that saw only dead letters has no event time yet: it reports NO_EVENT_TIME
        # so its counts still reconcile (issue 7); the overall minimum skips it.
        top = NO_EVENT_TIME if entry["max"] is None else datetime.fromisoformat(entry["max"])
        seen = entry["applied"] + entry["duplicates"] + entry["dead_letters"]
        return Watermark(
            partition=partition,
            watermark=top if entry["max"] is None else top - self.ruleset.allowed_lateness,
            max_event_time=top,
            events_seen=seen,
            events_applied=entry["applied"],
            duplicates=entry["duplicates"],
            dead_letters=entry["dead_letters"],
            emitted_at=now,
        )

    def on_dead_letter(self, partition: int) -> None:
        """Count a dead letter against its partition (reconciliation, issue 7)."""
        self._clock_entry(partition)["dead_letters"] += 1
        self._put(f"{CLOCK_PREFIX}{partition}", partition)

    # --- events ---
    def on_event(self, event: Envelope, partition: int) -> Output:
        """Fold one valid event; its pathway's fact (unless batched), every alert that changed."""
        self._index(partition)
        entry = self._clock_entry(partition)
        before = entry["max"]
        at = event.occurred_at.isoformat()
        advanced = before is None or at > before
        if advanced:
            entry["max"] = at
        pid = event.pathway_id
        cached = self._load(pid)
        if cached is None:
            cached = Cached(PathwayState(pathway_id=pid))
            self.cache.put(pid, cached)
        state = cached.state
        state.partition = partition
        applied = state.apply(event)
        cached.changed()
        entry["applied" if applied else "duplicates"] += 1
        self._put(f"{CLOCK_PREFIX}{partition}", partition)
        out = Output()
        # Emitted also for duplicates: if a crash lost the earlier send, the replay repairs it;
        # the sink's ReplacingMergeTree(version) makes the repeat harmless. In a batch, only
        # the pathway's latest fact is sent (its highest version).
        if self._dirty is None:
            out.facts.append(self._fact(cached))
        else:
            self._fact_due[pid] = cached
        if not applied:
            # A redelivery: re-send the alerts too, in case a crash lost them after the table
            # write (same alert_key and version, so the sink keeps one row).
            out.alerts += [Alert.model_validate(a) for _, a in sorted(state.emitted.items())]
        clock = self.clock(partition)
        if clock is not None:
            out.alerts += self._alerts(cached, clock, partition)
        self._put(pid, partition, cached)
        if advanced and clock is not None:
            out.alerts += self.sweep(partition, clock, skip=pid)
        return out

    def _schedule(self, partition: int, pid: str, upcoming: datetime | None) -> None:
        due = None if upcoming is None else upcoming.isoformat()
        self._due_at[pid] = due
        if due is not None:
            heapq.heappush(self._pending.setdefault(partition, []), (due, pid))

    def _alerts(self, cached: Cached, clock: datetime, partition: int) -> list[Alert]:
        state = cached.state
        views, upcoming = evaluate(state.record, clock, self.ruleset, cached.timeline())
        self._schedule(partition, state.pathway_id, upcoming)
        out = []
        for rule_id in sorted(set(views) | set(state.emitted)):
            view, last = views.get(rule_id), state.emitted.get(rule_id)
            if view is None:
                if last is None or last["state"] == AlertState.RESOLVED:
                    continue
                # Retraction: a late event showed this alert never applied.
                view = AlertView(
                    rule_id, AlertState.RESOLVED, view_of(last).since, view_of(last).deadline, clock
                )
            elif last is not None and view_of(last) == view:
                continue
            version = 1 if last is None else int(last["version"]) + 1
            alert = alert_of(view, self._fact(cached), self.ruleset, version)
            state.emitted[rule_id] = alert.model_dump(mode="json")
            out.append(alert)
        return out

    def sweep(self, partition: int, clock: datetime, skip: str = "") -> list[Alert]:
        """Evaluate again every pathway of the partition whose next state change is due."""
        heap = self._pending.get(partition, [])
        due: set[str] = set()
        limit = clock.isoformat()
        while heap and heap[0][0] <= limit:
            at, pid = heapq.heappop(heap)
            # Only the latest scheduled change counts: the pathway was evaluated after an
            # older entry was pushed, and nothing changes for it before its latest one.
            if self._due_at.get(pid) == at:
                due.add(pid)
        due.discard(skip)
        out: list[Alert] = []
        for pid in sorted(due):
            cached = self._load(pid)
            if cached is None:
                continue
            alerts = self._alerts(cached, clock, partition)
            if alerts:
                self._put(pid, partition, cached)
                out += alerts
        return out

    def _index(self, partition: int) -> None:
        # After a start or a rebalance, rebuild the partition's pending heap from the table.
        if partition in self._pending:
            return
        self._pending[partition] = []
        clock = self.clock(partition)
        if clock is None:
            return
        for key, value in list(self.table.items()):
            ours = isinstance(key, str) and not key.startswith(CLOCK_PREFIX)
            if ours and value.get("partition") == partition:
                cached = self._load(key)
                assert cached is not None
                _views, upcoming = evaluate(cached.state.record, clock, self.ruleset)
                self._due_at[key] = None if upcoming is None else upcoming.isoformat()
                if upcoming is not None:
                    self._pending[partition].append((upcoming.isoformat(), key))
        heapq.heapify(self._pending[partition])

    def forget(self) -> None:
        """Drop heaps, clocks and cached records (call on every rebalance: another worker may
        have moved them on, and the table holds what its changelog restored)."""
        self._pending.clear()
        self._due_at.clear()
        self._clocks.clear()
        self.cache.clear()


def overall(marks: list[Watermark], now: datetime) -> Watermark | None:
    """The overall watermark: the least complete partition that has seen an event, all counts.

    A partition that saw only dead letters (NO_EVENT_TIME) constrains nothing yet; None while no
    partition has seen a valid event.
    """
    timed = [m for m in marks if m.max_event_time > NO_EVENT_TIME]
    if not timed:
        return None
    return Watermark(
        partition=OVERALL,
        watermark=min(m.watermark for m in timed),
        max_event_time=max(m.max_event_time for m in timed),
        events_seen=sum(m.events_seen for m in marks),
        events_applied=sum(m.events_applied for m in marks),
        duplicates=sum(m.duplicates for m in marks),
        dead_letters=sum(m.dead_letters for m in marks),
        emitted_at=now,
    )
