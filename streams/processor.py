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
from streams.alerts import AlertView, alert_of
from streams.cache import Cached, StateCache
from streams.metrics import fact_of
from streams.ruleset import RuleSet
from streams.state import PathwayState

CLOCK_PREFIX = "__clock__:"
# Per pathway with a pending alert change: [partition, next due time, offset of the last sweep
# that changed its alerts]; the sweep heaps are rebuilt from these alone (issue 14).
DUE_PREFIX = "__due__:"
# The due time of a pathway a replay after a crash touched: before any clock (_begin_partition).
REPLAYED = "0001-01-01T00:00:00+00:00"
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
        self._indexed = False
        self._pending: dict[int, list[tuple[str, str]]] = {}
        # pathway -> the time of its next alert change last scheduled: older heap entries are
        # stale (nothing changes for them), so the sweep skips them without evaluating.
        self._due_at: dict[str, str | None] = {}
        # pathway -> offset of the event whose clock sweep last changed its alerts (cleared
        # when the pathway's own event comes): what to send again after a crash (issue 14).
        self._swept_at: dict[str, int] = {}
        # pathway -> its `__due__:` entry as the table holds it (partition, due, swept_at).
        self._stored_due: dict[str, tuple[int, str | None, int | None]] = {}
        self._due_keys: set[str] = set()  # the `__due__:` keys the table holds
        # partition -> (swept_at, pathway) from the table, until the partition's first event.
        self._to_reconcile: dict[int, list[tuple[int, str]]] = {}
        # partition -> its first offset since _index, and the restored clock's offset while a
        # replay after a crash is below it (alert evaluation deferred, see _begin_partition).
        self._first_offset: dict[int, int] = {}
        self._replay_until: dict[int, int] = {}
        self._clocks: dict[int, dict[str, Any]] = {}
        self._offset: int | None = None  # offset of the event being folded
        # Batch mode (begin/flush): keys to write once, and pathways owing a fact. A pathway
        # changed in the batch is read from here, never from the cache or the table.
        self._dirty: dict[str, tuple[int, int, Any]] | None = None  # key -> (partition, kind, obj)
        self._fact_due: dict[str, Cached] = {}

    # --- table access: cached, written through or once per batch ---
    def _put(self, key: str, partition: int, entry: Cached | None = None) -> None:
        if entry is not None:
            self._write(key, partition, _PATHWAY, entry)
        else:
            self._write(key, partition, _CLOCK, self._clocks[partition])

    def _write(self, key: str, partition: int, kind: int, obj: Any) -> None:
        if self._dirty is not None:
            self._dirty[key] = (partition, kind, obj)
            return
        value = _value(kind, obj)
        if value is None:
            self.table.pop(key, None)
        else:
            self.table[key] = value
        self._note_due(key, kind, value)

    def _note_due(self, key: str, kind: int, value: Any) -> bool:
        """Track which `__due__:` keys the table holds; False for a delete of one it lacks."""
        if kind != _DUE:
            return True
        if value is None:
            if key not in self._due_keys:
                return False
            self._due_keys.discard(key)
        else:
            self._due_keys.add(key)
        return True

    def _load(self, pid: str) -> Cached | None:
        if self._dirty is not None:
            # Changed in this batch: the batch holds the only copy until flush() (issue 14).
            pending = self._dirty.get(pid)
            if pending is not None:
                entry: Cached = pending[2]
                self.cache.put(pid, entry)
                return entry
        cached = self.cache.get(pid)
        if cached is None:
            stored = self.table.get(pid)
            if not stored:
                return None
            cached = Cached(PathwayState.from_dict(stored))
            self.cache.put(pid, cached)
        return cached

    def begin(self) -> None:
        """Start a batch: table writes and facts wait for `flush()`."""
        self._dirty = {}

    def flush(self) -> Flushed:
        """End the batch: each touched key's latest value, and each touched pathway's fact.

        Per partition the clock comes first, then the `__due__:` entries, then the pathways:
        the changelog keeps one partition's records in order, so a restored pathway is never
        ahead of its restored clock (evaluating it at an older clock would emit a spurious
        transition) nor of its `__due__:` entry, whose sweep offset says which restored
        pathways have alerts whose sends a crash may have lost (`_catch_up`). A value of
        None deletes the key.
        """
        out = Flushed()
        dirty = self._dirty or {}
        for key, (partition, kind, obj) in sorted(dirty.items(), key=lambda kv: kv[1][1]):
            value = _value(kind, obj)
            if self._note_due(key, kind, value):  # no delete of a key added and gone in-batch
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
            entry = {"max": None, "applied": 0, "duplicates": 0, "dead_letters": 0, "offset": None}
            if stored is not None:
                entry.update(stored)
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

    @staticmethod
    def _counted(entry: dict[str, Any], offset: int | None) -> bool:
        """Whether the message at `offset` is already in the partition's counts: a redelivery
        after a crash whose batch had its clock entry (written first) restored."""
        if offset is None:
            return False
        done = entry.get("offset")
        if done is not None and offset <= done:
            return True
        entry["offset"] = offset
        return False

    def on_dead_letter(self, partition: int, offset: int | None = None) -> list[Alert]:
        """Count a dead letter against its partition (reconciliation, issue 7), once per offset;
        the alerts a replay it ends lets through (see `_begin_partition`)."""
        self._index()
        self._offset = offset
        out = self._begin_partition(partition, offset)
        entry = self._clock_entry(partition)
        if not self._counted(entry, offset):
            entry["dead_letters"] += 1
            self._put(f"{CLOCK_PREFIX}{partition}", partition)
        return out + self._end_replay(partition, offset)

    # --- events ---
    def on_event(self, event: Envelope, partition: int, offset: int | None = None) -> Output:
        """Fold one valid event; its pathway's fact (unless batched), every alert that changed.

        `offset` (the event's offset on its partition) makes the bookkeeping replay-safe: a
        redelivered message is not counted twice, and the first event of a partition after an
        assignment sends again the alerts a clock sweep may have lost in a crash (issue 14).
        """
        self._index()
        self._offset = offset
        out = Output()
        out.alerts += self._begin_partition(partition, offset)
        entry = self._clock_entry(partition)
        replaying = partition in self._replay_until
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
        applied = state.apply(event, offset)
        if applied:
            cached.changed(state.record.appended)
        if not self._counted(entry, offset):
            # Counted from the record: applied if this offset first brought the event in.
            first = applied or (
                offset is not None and state.record.offset_of(str(event.event_id)) == offset
            )
            entry["applied" if first else "duplicates"] += 1
        self._swept_at.pop(pid, None)  # its alerts are evaluated (and re-sent) right here
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
            out.alerts += _emitted(state)
        clock = self.clock(partition)
        if replaying:
            # The restored clock already covers this event, but the pathway may still lack
            # later redelivered events: due at once, so the sweep that ends the replay evaluates
            # it (also after a rebalance: its `__due__:` entry says so).
            self._due_at[pid] = REPLAYED
            heapq.heappush(self._pending.setdefault(partition, []), (REPLAYED, pid))
            self._put(pid, partition, cached)
            self._sync_due(pid, partition)
            out.alerts += self._end_replay(partition, offset)
            return out
        if clock is not None:
            out.alerts += self._alerts(cached, clock, partition)
        self._put(pid, partition, cached)
        self._sync_due(pid, partition)
        if advanced and clock is not None:
            out.alerts += self.sweep(partition, clock, skip=pid)
        self._put(f"{CLOCK_PREFIX}{partition}", partition)
        return out

    def _schedule(self, partition: int, pid: str, upcoming: datetime | None) -> None:
        due = None if upcoming is None else upcoming.isoformat()
        if self._due_at.get(pid) == due:
            return  # already on the heap (or nothing due): no second entry
        self._due_at[pid] = due
        if due is not None:
            heapq.heappush(self._pending.setdefault(partition, []), (due, pid))

    def _sync_due(self, pid: str, partition: int) -> None:
        """Write the pathway's `__due__:` entry if its next due time or sweep offset changed."""
        due, swept = self._due_at.get(pid), self._swept_at.get(pid)
        want = None if due is None and swept is None else (partition, due, swept)
        if self._stored_due.get(pid) == want:
            return
        if want is None:
            del self._stored_due[pid]
        else:
            self._stored_due[pid] = want
        self._write(f"{DUE_PREFIX}{pid}", partition, _DUE, want)

    def _alerts(self, cached: Cached, clock: datetime, partition: int) -> list[Alert]:
        state = cached.state
        views, upcoming = cached.evaluate(clock, self.ruleset)
        self._schedule(partition, state.pathway_id, upcoming)
        out = []
        seen = cached.emitted_views
        for rule_id in sorted(set(views) | set(state.emitted)):
            view, last = views.get(rule_id), state.emitted.get(rule_id)
            before = None
            if last is not None:
                before = seen.get(rule_id)
                if before is None:
                    before = seen[rule_id] = view_of(last)
            if view is None:
                if before is None or before.state == AlertState.RESOLVED:
                    continue
                # Retraction: a late event showed this alert never applied.
                view = AlertView(rule_id, AlertState.RESOLVED, before.since, before.deadline, clock)
            elif before == view:
                continue
            version = 1 if last is None else int(last["version"]) + 1
            alert = alert_of(view, self._fact(cached), self.ruleset, version)
            state.emitted[rule_id] = emitted = alert.model_dump(mode="json")
            seen[rule_id] = view_of(emitted)
            out.append(alert)
        return out

    def sweep(self, partition: int, clock: datetime, skip: str = "") -> list[Alert]:
        """Evaluate again every pathway of the partition whose next state change is due."""
        self._index()
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
        for pid in due:
            self._due_at[pid] = None  # popped: _alerts schedules its next change
        out: list[Alert] = []
        for pid in sorted(due):
            cached = self._load(pid)
            if cached is None:
                continue
            alerts = self._alerts(cached, clock, partition)
            if alerts:
                self._put(pid, partition, cached)
                if self._offset is not None:
                    self._swept_at[pid] = self._offset
                out += alerts
            self._sync_due(pid, partition)
        return out

    def _begin_partition(self, partition: int, offset: int | None) -> list[Alert]:
        """At a partition's first message after an assignment (issue 14).

        If the restored clock already counted this offset, the batches since the committed
        offset are being redelivered after a crash: the clock (written first in each batch) may
        be ahead of pathways whose writes the crash cut off, so alert evaluation waits until
        the replay reaches the clock's offset (`_end_replay`). Otherwise that happens now.
        """
        if offset is None or partition in self._first_offset:
            return []
        self._first_offset[partition] = offset
        done = self._clock_entry(partition).get("offset")
        if done is not None and offset <= done:
            self._replay_until[partition] = done
            return []
        return self._catch_up(partition)

    def _end_replay(self, partition: int, offset: int | None) -> list[Alert]:
        until = self._replay_until.get(partition)
        if until is None or offset is None or offset < until:
            return []
        del self._replay_until[partition]
        return self._catch_up(partition)

    def _catch_up(self, partition: int) -> list[Alert]:
        """Bring a partition's alerts to its restored clock: sweep what is due by it (the
        pathways a replay touched are due at REPLAYED), then evaluate again, and send again, the
        alerts of pathways a clock sweep changed at the first offset after the assignment or
        later: that sweep's batch may not have been committed, and its sends may have been lost
        in a crash while its table writes were kept."""
        clock = self.clock(partition)
        swept = self._to_reconcile.pop(partition, [])
        if clock is None:
            return []
        out = self.sweep(partition, clock)  # the replayed pathways are due at REPLAYED
        first = self._first_offset[partition]
        for pid in sorted({pid for at, pid in swept if at >= first}):
            cached = self._load(pid)
            if cached is None:
                continue
            if self._alerts(cached, clock, partition):
                self._put(pid, partition, cached)
            self._sync_due(pid, partition)
            out += _emitted(cached.state)
        return out

    def _index(self) -> None:
        # After a start or a rebalance: rebuild the sweep heaps from the `__due__:` entries
        # (small values: the pathways themselves are neither loaded nor evaluated, issue 14).
        if self._indexed:
            return
        self._indexed = True
        for key in list(self.table.keys()):
            if not (isinstance(key, str) and key.startswith(DUE_PREFIX)):
                continue
            value = self.table.get(key)
            if not value:
                continue
            pid = key[len(DUE_PREFIX) :]
            self._due_keys.add(key)
            partition, due, swept = int(value[0]), value[1], value[2]
            self._stored_due[pid] = (partition, due, swept)
            self._due_at[pid] = due
            if due is not None:
                self._pending.setdefault(partition, []).append((due, pid))
            if swept is not None:
                self._swept_at[pid] = swept
                self._to_reconcile.setdefault(partition, []).append((swept, pid))
        for heap in self._pending.values():
            heapq.heapify(heap)

    def forget(self) -> None:
        """Drop heaps, clocks and cached records (call on every rebalance: another worker may
        have moved them on, and the table holds what its changelog restored)."""
        self._indexed = False
        self._pending.clear()
        self._due_at.clear()
        self._swept_at.clear()
        self._stored_due.clear()
        self._due_keys.clear()
        self._to_reconcile.clear()
        self._first_offset.clear()
        self._replay_until.clear()
        self._clocks.clear()
        self.cache.clear()


# Kinds of table entry, in the order flush() writes them per partition.
_CLOCK, _DUE, _PATHWAY = 0, 1, 2


def _value(kind: int, obj: Any) -> Any:
    """The JSON value of a table entry (None: delete the key)."""
    if kind == _PATHWAY:
        return obj.state.to_dict()
    if kind == _DUE:
        return None if obj is None else list(obj)
    return dict(obj)


def _emitted(state: PathwayState) -> list[Alert]:
    """The last alert emitted per rule for the pathway, to send again."""
    return [Alert.model_validate(a) for _, a in sorted(state.emitted.items())]


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
