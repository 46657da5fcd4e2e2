"""The read API's answer cache, keyed by the data it was computed from (issue 8).

Every panel is a function of the database's contents only: the reference time is the watermark
or the latest fact time (dashboard.service.reference_time), never the wall clock. So an answer
stays right for as long as no table of the database changed, and a change is cheap to see in
`system.parts`: every INSERT writes a part with a new block number from the table's increment,
and every mutation gives its parts a new data version from the same increment, so the greatest
of the two over a table's active parts grows with each write. A background merge keeps it (the
merged part spans its sources' blocks), so merges do not invalidate answers; dropping a partition
changes the count of partitions. The signature is that pair per table.

Answers are computed once per (key, signature) at a time (single flight). With `serve_stale`, a
request that finds only an answer for an older signature gets that answer at once, marked
`"stale": true` and still carrying its own watermark and reference time (its "as of"), while one
background recomputation brings the entry up to date; without it, the request waits for it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from dashboard.panels import Execute

log = logging.getLogger(__name__)
JSON = dict[str, Any]
Signature = tuple[Any, ...]
MAX_ENTRIES = 512


def signature(execute: Execute, db: str) -> Signature:
    """The identity of the database's current data: per table, its newest block and partitions."""
    rows: Sequence[Sequence[Any]] = execute(
        "SELECT table, max(greatest(max_block_number, toInt64(data_version))),"
        " uniqExact(partition_id)"
        f" FROM system.parts WHERE database = '{db}' AND active GROUP BY table ORDER BY table"
    )
    return tuple(tuple(r) for r in rows)


@dataclass
class _Entry:
    sig: Signature
    value: JSON
    refreshing: bool = False


class AnswerCache:
    """Answers per key, valid while the data signature is unchanged (see module docstring)."""

    def __init__(self, current: Callable[[], Signature], serve_stale: bool) -> None:
        self._current = current
        self._serve_stale = serve_stale
        self._entries: dict[tuple[Any, ...], _Entry] = {}
        self._locks: dict[tuple[Any, ...], threading.Lock] = {}
        self._lock = threading.Lock()
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dash-refresh")

    def get(self, key: tuple[Any, ...], build: Callable[[], JSON]) -> JSON:
        """The answer for `key` at the current data, computed by `build` when there is none."""
        sig = self._current()
        with self._lock:
            entry = self._entries.get(key)
            key_lock = self._locks.setdefault(key, threading.Lock())
            if entry is not None and entry.sig == sig:
                return entry.value
            if entry is not None and self._serve_stale:
                if not entry.refreshing:
                    entry.refreshing = True
                    self._background.submit(self._refresh, key, build)
                return {**entry.value, "stale": True}
        with key_lock:  # single flight: one computation per key, the others wait and share it
            with self._lock:
                entry = self._entries.get(key)
            if entry is not None and entry.sig == sig:
                return entry.value
            return self._compute(key, build, key_lock)

    def _compute(
        self, key: tuple[Any, ...], build: Callable[[], JSON], key_lock: threading.Lock
    ) -> JSON:
        # The signature is read before the queries: data written while they run leaves the
        # entry behind the next signature, so the next request recomputes (never the reverse).
        sig = self._current()
        value = {**build(), "stale": False}
        with self._lock:
            if len(self._entries) >= MAX_ENTRIES and key not in self._entries:
                self._entries.clear()
                self._locks = {key: key_lock}
            self._entries[key] = _Entry(sig, value)
        return value

    def _refresh(self, key: tuple[Any, ...], build: Callable[[], JSON]) -> None:
        with self._lock:
            key_lock = self._locks.setdefault(key, threading.Lock())
        try:
            with key_lock:
                self._compute(key, build, key_lock)
        except Exception:
            log.exception("refreshing a dashboard answer failed; the next request retries")
            with self._lock:
                entry = self._entries.get(key)
                if entry is not None:
                    entry.refreshing = False

    def close(self) -> None:
        """Stop the background refresher (a running refresh finishes on its own)."""
        self._background.shutdown(wait=False, cancel_futures=True)
