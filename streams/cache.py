"""The worker's in-memory cache of decoded pathway records (issue 8: the hot path).

The table stays the source of truth (its changelog restores it); the cache only saves decoding
a pathway's JSON record and rebuilding its timeline and fact when nothing changed. Bounded, so
a worker over millions of pathways keeps only the recently used ones decoded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from schemas.facts import PathwayFact
from streams.alerts import AlertView, Evaluation
from streams.record import Item
from streams.ruleset import RuleSet
from streams.state import PathwayState
from streams.timeline import Timeline, build

DEFAULT_SIZE = 50_000


@dataclass
class Cached:
    """A pathway's decoded state, with what is derived from it: its timeline and rule runs,
    kept up to date item by item while events come in order, and its fact."""

    state: PathwayState
    tl: Timeline | None = None
    fact: PathwayFact | None = None
    runs: Evaluation = field(default_factory=Evaluation)
    # rule id -> the view of the alert last emitted for it (state.emitted), parsed once.
    emitted_views: dict[str, AlertView] = field(default_factory=dict)

    def changed(self, appended: Item | None = None) -> None:
        """The record changed (call after every apply that added an event): `appended` is the
        item it put after all others (PathwayRecord.appended), which extends the timeline and
        makes only the rules that read what it changed derive their runs again; None (out of
        order, a correction) rebuilds the timeline and every rule's runs when next needed."""
        self.fact = None
        if appended is not None and self.tl is not None:
            self.runs.stale(self.tl.extend(appended))
            return
        self.tl = None
        self.runs = Evaluation()

    def timeline(self) -> Timeline:
        """The record's timeline (built when the record changed other than by an append)."""
        if self.tl is None:
            self.tl = build(self.state.record.sorted_items())
            self.runs = Evaluation()
        return self.tl

    def evaluate(
        self, clock: datetime, ruleset: RuleSet
    ) -> tuple[dict[str, AlertView], datetime | None]:
        """streams/alerts.py `evaluate` of the pathway at `clock`, from the kept rule runs."""
        tl = self.timeline()
        return self.runs.evaluate(self.state.record, clock, ruleset, tl)


class StateCache:
    """Least recently used pathways, by id."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._data: dict[str, Cached] = {}

    def get(self, pathway_id: str) -> Cached | None:
        """The cached entry, marked as just used; None if not cached."""
        entry = self._data.pop(pathway_id, None)
        if entry is not None:
            self._data[pathway_id] = entry
        return entry

    def put(self, pathway_id: str, entry: Cached) -> None:
        """Cache an entry, evicting the least recently used beyond the size."""
        self._data[pathway_id] = entry
        while len(self._data) > self.size:
            del self._data[next(iter(self._data))]

    def clear(self) -> None:
        """Drop everything (partitions revoked or assigned: the table may have moved on)."""
        self._data.clear()
