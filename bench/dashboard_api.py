"""The dashboard's read API at scale (issue 8): uncached, cached, and right after an update.

`dashboard.service.Service` is the code behind /api/.../overview and /api/.../alerts, minus HTTP,
login and JSON encoding; each call runs all of its panels' queries (on the service's own
per-thread connections, like the web app). Four figures per call:

- uncached: the cache off, so every call computes (what the first request after a start costs);
- cached: the cache on and the data unchanged (a hit costs one system.parts query);
- after an update: one pathway gets a new fact version, then the first request is timed (with
  `serve_stale` it answers from the previous data, marked stale, while one refresh runs);
- until fresh: from that update to the first answer computed from the new data.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

from bench.stats import percentile
from dashboard.service import Service
from dashboard.sql import Selection
from pathwatch.settings import Settings

Execute = Callable[[str], Any]


class _TimedService(Service):
    """A Service that records how many queries each call ran."""

    queries = 0

    def execute(self, sql: str) -> Sequence[Sequence[Any]]:
        """Run one query, counted."""
        _TimedService.queries += 1
        return super().execute(sql)


def _service(settings: Settings, cache: bool) -> _TimedService:
    dash = settings.dashboard.model_copy(update={"cache_seconds": 1.0 if cache else 0.0})
    return _TimedService(settings.model_copy(update={"dashboard": dash}))


def _stats(ms: list[float], queries: int) -> dict[str, Any]:
    return {
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "queries": queries,
        "n": len(ms),
    }


def _timed(call: Callable[[Service], Any], svc: Service) -> tuple[float, Any]:
    started = time.perf_counter()
    value = call(svc)
    return (time.perf_counter() - started) * 1000, value


def update_one(query: Execute, db: str, number: int) -> None:
    """Write a newer version of one bench pathway (now exited): a fact update, as the sink does."""
    cols = [
        str(r[0])
        for r in query(
            f"SELECT name FROM system.columns WHERE database = '{db}' AND table = 'pathway_facts'"
        )
    ]
    changed = {
        "version": "version + 1000",
        "events_applied": "events_applied + 1",
        "outcome": "'FLEX_JOB'",
        "current_state": "'EXITED'",
        "exit_at": "ifNull(exit_at, last_event_at)",
    }
    select = ", ".join(changed.get(c, c) for c in cols)
    query(
        f"INSERT INTO {db}.pathway_facts ({', '.join(cols)}) SELECT {select}"
        f" FROM {db}.pathway_facts FINAL WHERE pathway_id = 'pw_bench_{number}'"
    )


def run(
    settings: Settings, query: Execute, region: str, municipality: str, reps: int
) -> dict[str, dict[str, Any]]:
    """p50 / p95 in ms of each read API call: uncached, cached, after an update, until fresh."""
    db = settings.clickhouse.database
    calls: dict[str, Callable[[Service], Any]] = {
        "overview, national": lambda s: s.overview(Selection("national")),
        "overview, one region": lambda s: s.overview(Selection("region", region)),
        "overview, one municipality": lambda s: s.overview(Selection("municipality", municipality)),
        "open alerts, one region": lambda s: s.alerts(Selection("region", region)),
    }
    out: dict[str, dict[str, Any]] = {}
    cold, warm = _service(settings, cache=False), _service(settings, cache=True)
    try:
        for name, call in calls.items():
            call(cold)  # warm-up: connections, ClickHouse's caches
            _TimedService.queries = 0
            ms = [_timed(call, cold)[0] for _ in range(reps)]
            out[f"{name}: uncached"] = _stats(ms, _TimedService.queries // reps)
            call(warm)
            _TimedService.queries = 0
            ms = [_timed(call, warm)[0] for _ in range(reps * 10)]
            out[f"{name}: cached, data unchanged"] = _stats(ms, _TimedService.queries // reps // 10)
            first, fresh = [], []
            for i in range(reps):
                update_one(query, db, 1000 * i + 7)
                began = time.perf_counter()
                took, value = _timed(call, warm)
                first.append(took)
                while value.get("stale"):
                    if time.perf_counter() - began > 300:
                        raise RuntimeError(f"{name}: no fresh answer 300 s after an update")
                    time.sleep(0.02)
                    value = call(warm)
                fresh.append((time.perf_counter() - began) * 1000)
            out[f"{name}: first request after an update"] = _stats(first, 0)
            out[f"{name}: update to fresh answer"] = _stats(fresh, 0)
    finally:
        cold.close()
        warm.close()
    return out
