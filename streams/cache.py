"""The worker's in-memory cache of decoded pathway records (issue 8: the hot path).

The table stays the source of truth (its changelog restores it); the cache only saves decoding
a pathway's JSON record and rebuilding its timeline and fact when nothing changed. Bounded, so
a worker over millions of pathways keeps only the recently used ones decoded.
"""

from __future__ import annotations

from dataclasses import dataclass

from schemas.facts import PathwayFact
from streams.state import PathwayState
from streams.timeline import Timeline, build

DEFAULT_SIZE = 50_000


@dataclass
class Cached:
    """A pathway's decoded state, with its timeline and fact while the record is unchanged."""

    state: PathwayState
    tl: Timeline | None = None
    fact: PathwayFact | None = None

    def changed(self) -> None:
        """Forget what was derived from the record (call after every apply)."""
        self.tl = self.fact = None

    def timeline(self) -> Timeline:
        """The record's timeline (built once per record version)."""
        if self.tl is None:
            self.tl = build(self.state.record.sorted_items())
        return self.tl


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
