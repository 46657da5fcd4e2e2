"""The read API's answers: every panel of a selection in one payload, briefly cached.

ClickHouse is read through clickhouse-driver (one client per worker thread: the client is not
thread-safe); the web app calls `Service` from a small thread pool so the event loop never blocks.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from dashboard import alerts, panels, regions, trial, weekly
from dashboard.sql import Selection
from pathwatch.settings import Settings

JSON = dict[str, Any]


class Service:
    """Computes panel payloads for selections; answers within `cache_seconds` are reused."""

    def __init__(
        self,
        settings: Settings,
        execute: Callable[[str], Sequence[Sequence[Any]]] | None = None,
    ) -> None:
        self.settings = settings
        self.db = settings.clickhouse.database
        self.min_cell = settings.dashboard.min_cell
        self._execute = execute
        self._local = threading.local()
        self._cache: dict[tuple[Any, ...], tuple[float, JSON]] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[tuple[Any, ...], threading.Lock] = {}

    def execute(self, sql: str) -> Sequence[Sequence[Any]]:
        """Run one read query on this thread's client."""
        if self._execute is not None:
            return self._execute(sql)
        client = getattr(self._local, "client", None)
        if client is None:
            from consumers.clickhouse import connect

            client = self._local.client = connect(self.settings)
        rows: Sequence[Sequence[Any]] = client.execute(sql)
        return rows

    def _cached(self, key: tuple[Any, ...], build: Callable[[], JSON]) -> JSON:
        # One computation per key at a time: screens polling the same scope wait for it and
        # share the answer instead of each running the same queries (single flight).
        ttl = self.settings.dashboard.cache_seconds
        with self._lock:
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            hit = self._cache.get(key)
            if hit and time.monotonic() - hit[0] < ttl:
                return hit[1]
            started = time.monotonic()
            value = build()
            with self._lock:
                if len(self._cache) > 512:
                    self._cache.clear()
                    self._key_locks = {key: key_lock}
                self._cache[key] = (started, value)
        return value

    def reference_time(self) -> tuple[int, JSON]:
        """(now, watermark): the watermark, or the latest fact time while none is reported."""
        wm = alerts.watermark(self.execute, self.db)
        now = wm["complete_up_to"] or alerts.latest_fact_time(self.execute, self.db)
        return now, wm

    def overview(self, sel: Selection) -> JSON:
        """Every panel of the selection."""
        return self._cached(("overview", sel), lambda: self._overview(sel))

    def _overview(self, sel: Selection) -> JSON:
        ex, db, mc = self.execute, self.db, self.min_cell
        now, wm = self.reference_time()
        conversation = weekly.conversation_rate(ex, db, sel, now, mc)
        units = panels.breakdown(ex, db, sel, now, mc)
        alert_units = alerts.open_alerts_by_unit(ex, db, sel, mc)
        child = sel.child_level
        for unit in units:
            unit["label"] = regions.label(child, unit["unit"])
            unit["open_alerts"] = alert_units.get(unit["unit"], {"value": 0, "n": 0})
        return {
            "selection": {
                "level": sel.level,
                "code": sel.code,
                "cohort": sel.cohort,
                "label": regions.label(sel.level, sel.code),
                "child_level": child,
            },
            "watermark": wm,
            "reference_time": now,
            "min_cell": mc,
            "headline": panels.headline(ex, db, sel, now, mc),
            "breakdown": units,
            "cohorts": panels.cohorts(ex, db, sel, now, mc),
            "funnel": panels.funnel(ex, db, sel, mc),
            "placement": panels.placement_survival(ex, db, sel, now, mc),
            "conversation": conversation,
            "hours": weekly.hours_progression(ex, db, sel, now, mc),
            "outcomes": panels.outcomes(ex, db, sel, mc),
            "trial": trial.treatment_vs_control(ex, db, sel, conversation, mc),
            "generated_at": int(time.time()),
        }

    def alerts(self, sel: Selection, **filters: Any) -> JSON:
        """The open-alerts list with filters and sort (see dashboard.alerts.open_alerts)."""
        key = ("alerts", sel, tuple(sorted(filters.items())))

        def build() -> JSON:
            now, wm = self.reference_time()
            data = alerts.open_alerts(self.execute, self.db, sel, now, self.min_cell, **filters)
            data["watermark"] = wm
            data["reference_time"] = now
            return data

        return self._cached(key, build)
