"""The streaming path without Faust: per-event fold, partition clock, alert sweep, watermark.

The Faust agent (streams/agents.py) drives a Processor over its table; unit tests drive one
over a plain dict. State lives only in the table (JSON values, so the changelog restores it):
one entry per pathway, and one `__clock__:<partition>` entry per events partition with the
highest event time seen there and the reconciliation counters.

Clock: per events partition, the highest `occurred_at` seen on that partition minus the rules
file's allowed lateness. A pathway's events all share one partition (key = pathway id), so its
alerts depend only on its partition's clock, which the batch reference reproduces from the
partition of each event (streams/batch.py). When an event advances the clock, every pathway of
the partition whose next state change is now due is evaluated again ("clock-tick sweep"), so
alerts move on even for pathways that receive no new events.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator, MutableMapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from schemas.alerts import Alert, AlertState
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from schemas.progress import NO_EVENT_TIME, OVERALL, Watermark
from streams.alerts import AlertView, alert_of, evaluate
from streams.metrics import fact_of
from streams.ruleset import RuleSet
from streams.state import PathwayState
from streams.timeline import Timeline, build

CLOCK_PREFIX = "__clock__:"


@dataclass
class Output:
    """What one input produced."""

    facts: list[PathwayFact] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)


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

    def __init__(self, table: MutableMapping[str, Any], ruleset: RuleSet) -> None:
        self.table = table
        self.ruleset = ruleset
        self._pending: dict[int, list[tuple[str, str]]] = {}

    # --- partition clock and counters ---
    def _clock_entry(self, partition: int) -> dict[str, Any]:
        entry = self.table.get(f"{CLOCK_PREFIX}{partition}")
        if entry is None:
            return {"max": None, "applied": 0, "duplicates": 0, "dead_letters": 0}
        return dict(entry)

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
        entry = self._clock_entry(partition)
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
        entry = self._clock_entry(partition)
        entry["dead_letters"] += 1
        self.table[f"{CLOCK_PREFIX}{partition}"] = entry

    # --- events ---
    def on_event(self, event: Envelope, partition: int) -> Output:
        """Fold one valid event; its pathway's fact, and every alert that changed."""
        self._index(partition)
        entry = self._clock_entry(partition)
        before = entry["max"]
        at = event.occurred_at.isoformat()
        advanced = before is None or at > before
        if advanced:
            entry["max"] = at
        pid = event.pathway_id
        stored = self.table.get(pid)
        state = PathwayState.from_dict(stored) if stored else PathwayState(pathway_id=pid)
        state.partition = partition
        applied = state.apply(event)
        entry["applied" if applied else "duplicates"] += 1
        self.table[f"{CLOCK_PREFIX}{partition}"] = entry
        out = Output()
        tl = build(state.record.sorted_items())  # shared by the fact and the alert rules
        fact = fact_of(state.record, tl)
        # Emitted also for duplicates: if a crash lost the earlier send, the replay repairs it;
        # the sink's ReplacingMergeTree(version) makes the repeat harmless.
        out.facts.append(fact)
        if not applied:
            # A redelivery: re-send the alerts too, in case a crash lost them after the table
            # write (same alert_key and version, so the sink keeps one row).
            out.alerts += [Alert.model_validate(a) for _, a in sorted(state.emitted.items())]
        clock = self.clock(partition)
        if clock is not None:
            out.alerts += self._alerts(state, lambda: fact, clock, partition, tl)
        self.table[pid] = state.to_dict()
        if advanced and clock is not None:
            out.alerts += self.sweep(partition, clock, skip=pid)
        return out

    def _alerts(
        self,
        state: PathwayState,
        fact_fn: Callable[[], PathwayFact],
        clock: datetime,
        partition: int,
        tl: Timeline,
    ) -> list[Alert]:
        views, upcoming = evaluate(state.record, clock, self.ruleset, tl)
        if upcoming is not None:
            heapq.heappush(
                self._pending.setdefault(partition, []), (upcoming.isoformat(), state.pathway_id)
            )
        fact: PathwayFact | None = None
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
            fact = fact or fact_fn()  # only when an alert changed
            alert = alert_of(view, fact, self.ruleset, version)
            state.emitted[rule_id] = alert.model_dump(mode="json")
            out.append(alert)
        return out

    def sweep(self, partition: int, clock: datetime, skip: str = "") -> list[Alert]:
        """Evaluate again every pathway of the partition whose next state change is due."""
        heap = self._pending.get(partition, [])
        due: set[str] = set()
        limit = clock.isoformat()
        while heap and heap[0][0] <= limit:
            due.add(heapq.heappop(heap)[1])
        due.discard(skip)
        out: list[Alert] = []
        for pid in sorted(due):
            stored = self.table.get(pid)
            if stored is None:
                continue
            state = PathwayState.from_dict(stored)
            tl = build(state.record.sorted_items())
            alerts = self._alerts(state, partial(fact_of, state.record, tl), clock, partition, tl)
            if alerts:
                self.table[pid] = state.to_dict()
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
                state = PathwayState.from_dict(value)
                _views, upcoming = evaluate(state.record, clock, self.ruleset)
                if upcoming is not None:
                    self._pending[partition].append((upcoming.isoformat(), key))
        heapq.heapify(self._pending[partition])

    def forget(self) -> None:
        """Drop the pending heaps (call on rebalance: another worker may have moved them on)."""
        self._pending.clear()


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
