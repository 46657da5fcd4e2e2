"""The read API's fast path (cached per data version, panels in parallel, issue 8) answers exactly
what the uncached panels and a direct query over pathway_facts FINAL answer, on the 18.16 server:
after re-emitted facts (same version written again) and after an update of a pathway."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest

from consumers.clickhouse import connect
from dashboard.service import Service
from dashboard.sql import Selection
from pathwatch.settings import Settings
from tests.dashboard import factories
from tests.e2e.conftest import Pipeline

pytestmark = pytest.mark.e2e

SCOPES = (Selection("national"), Selection("region", factories.REGION))


def _service(settings: Settings, **dashboard: Any) -> Service:
    dash = settings.dashboard.model_copy(update=dashboard)
    return Service(settings.model_copy(update={"dashboard": dash}))


def _numbers(answer: dict[str, Any]) -> dict[str, Any]:
    """The payload without its wall-clock stamp and freshness flag."""
    return {k: v for k, v in answer.items() if k not in ("generated_at", "stale")}


def _fresh(svc: Service, sel: Selection, timeout: float = 60) -> dict[str, Any]:
    """The first answer computed from the current data (waits out a background refresh)."""
    deadline = time.monotonic() + timeout
    while True:
        answer = svc.overview(sel)
        if not answer["stale"]:
            return answer
        assert time.monotonic() < deadline, "no fresh answer within the timeout"
        time.sleep(0.05)


def _direct(pipeline: Pipeline) -> dict[str, tuple[int, int]]:
    """Reference: per region, (pathways, citizens with an open pathway) from pathway_facts FINAL."""
    client = connect(pipeline.settings)
    rows = client.execute(
        "SELECT region_code, count(), uniqExactIf(citizen_id, exit_at IS NULL)"
        f" FROM {pipeline.settings.clickhouse.database}.pathway_facts FINAL GROUP BY region_code"
    )
    client.disconnect()
    return {str(r): (int(n), int(o)) for r, n, o in rows}


def _check(fast: Service, ref: Service, pipeline: Pipeline) -> dict[Selection, dict[str, Any]]:
    out = {}
    direct = _direct(pipeline)
    for sel in SCOPES:
        got = _fresh(fast, sel)
        assert _numbers(got) == _numbers(ref.overview(sel))
        out[sel] = got
    units = {u["unit"]: u for u in out[SCOPES[0]]["breakdown"]}
    assert set(units) == set(direct)
    for region, (pathways, open_) in direct.items():
        assert units[region]["pathways"]["value"] == pathways
        assert units[region]["open"]["value"] == open_
    return out


def test_fast_path_equals_reference_after_duplicates_and_an_update(pipeline: Pipeline) -> None:
    pipeline.cli("migrate")
    facts = factories.population()
    factories.load(pipeline.settings, facts, factories.alerts_for(facts), [factories.watermark()])
    fast = _service(pipeline.settings, cache_seconds=1.0, serve_stale=True, query_threads=2)
    ref = _service(pipeline.settings, cache_seconds=0.0, query_threads=1)
    strict = _service(pipeline.settings, cache_seconds=1.0, serve_stale=False, query_threads=2)
    try:
        first = _check(fast, ref, pipeline)
        for sel in SCOPES:  # a hit: the same answer object's numbers, no recomputation needed
            assert _numbers(fast.overview(sel)) == _numbers(first[sel])
            strict.overview(sel)

        # Re-emitted facts (at-least-once): every fact written again at its version.
        factories.load(pipeline.settings, facts)
        again = _check(fast, ref, pipeline)
        for sel in SCOPES:
            assert _numbers(again[sel]) == _numbers(first[sel])

        # An update: an open Brøndby pathway exits (a newer version of its fact).
        target = next(f for f in facts if f.municipality_code == "153" and f.exit_at is None)
        assert target.entry_at is not None
        exit_at = target.entry_at + timedelta(days=30)
        updated = target.model_copy(
            update={
                "outcome": "DROPOUT_MOTIVATION",
                "exit_at": exit_at,
                "current_state": "EXITED",
                "lost_at_stage": target.stage_reached,
                "last_event_at": max(exit_at, target.last_event_at or exit_at),
                "version": target.version + 1,
            }
        )
        factories.load(pipeline.settings, [updated])
        stale = fast.overview(SCOPES[1])
        assert stale["stale"] is True  # answered at once from the data before the update
        assert _numbers(stale) == _numbers(first[SCOPES[1]])
        # Without serve_stale the first request after the update already sees it.
        assert _numbers(strict.overview(SCOPES[1])) == _numbers(ref.overview(SCOPES[1]))
        after = _check(fast, ref, pipeline)
        before_open = first[SCOPES[1]]["headline"]["open"]["value"]
        assert after[SCOPES[1]]["headline"]["open"]["value"] == before_open - 1
    finally:
        fast.close()
        ref.close()
        strict.close()
