"""The read API's answers: every panel of a selection in one payload, cached per data version.

ClickHouse is read through clickhouse-driver (one client per thread: the client is not
thread-safe). The web app calls `Service` from a small thread pool so the event loop never
blocks; an overview's independent panel queries run side by side on `query_threads` threads.
Answers are reused while the database's data is unchanged (dashboard.cache, issue 8).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from dashboard import alerts, cache, panels, regions, trial, weekly
from dashboard.sql import Selection
from pathwatch.settings import Settings

JSON = dict[str, Any]


class Service:
    """Computes panel payloads for selections; an answer is reused until the data changes."""

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
        # An injected `execute` (tests, chDB) may not be thread-safe: its panels run in turn.
        threads = settings.dashboard.query_threads if execute is None else 1
        self._pool = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="dash-panel")
        self._cache: cache.AnswerCache | None = None
        if settings.dashboard.cache_seconds > 0:
            self._cache = cache.AnswerCache(
                lambda: cache.signature(self.execute, self.db), settings.dashboard.serve_stale
            )

    def close(self) -> None:
        """Stop the panel threads and the cache's refresher."""
        if self._cache is not None:
            self._cache.close()
        self._pool.shutdown(wait=False, cancel_futures=True)

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
        if self._cache is None:
            return build()
        return self._cache.get(key, build)

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
        # The panels are independent queries; trial reuses the conversation series.
        run: Callable[..., Future[Any]] = self._pool.submit
        conversation = run(weekly.conversation_rate, ex, db, sel, now, mc)
        jobs = {
            "breakdown": run(panels.breakdown, ex, db, sel, now, mc),
            "alert_units": run(alerts.open_alerts_by_unit, ex, db, sel, mc),
            "headline": run(panels.headline, ex, db, sel, now, mc),
            "cohorts": run(panels.cohorts, ex, db, sel, now, mc),
            "funnel": run(panels.funnel, ex, db, sel, mc),
            "placement": run(panels.placement_survival, ex, db, sel, now, mc),
            "hours": run(weekly.hours_progression, ex, db, sel, now, mc),
            "outcomes": run(panels.outcomes, ex, db, sel, mc),
        }
        conv = conversation.result()
        got = {name: job.result() for name, job in jobs.items()}
        units, alert_units = got.pop("breakdown"), got.pop("alert_units")
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
            "headline": got["headline"],
            "breakdown": units,
            "cohorts": got["cohorts"],
            "funnel": got["funnel"],
            "placement": got["placement"],
            "conversation": conv,
            "hours": got["hours"],
            "outcomes": got["outcomes"],
            "trial": trial.treatment_vs_control(ex, db, sel, conv, mc),
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
