"""The worker's /metrics on the real broker: events by type, dead letters by reason, fold time."""

from __future__ import annotations

import time
import urllib.request
from collections import Counter

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from producers.emitter import Emitter
from producers.sample import sample_events
from schemas.events.registry import event_type_of
from tests.e2e.conftest import Pipeline
from tests.e2e.test_sinks import free_port

pytestmark = pytest.mark.e2e


def scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """The worker's pathwatch_* samples keyed by (name, sorted labels); {} while not serving."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as resp:
            text = resp.read().decode()
    except OSError:
        return {}
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
        if s.name.startswith("pathwatch_")
    }


def test_worker_serves_the_listed_series(pipeline: Pipeline) -> None:
    pipe = pipeline
    pipe.cli("topics")
    port = free_port()
    pipe.env["PATHWATCH_STREAMS__METRICS_PORT"] = str(port)
    pipe.start("worker", "worker")
    events = sample_events(20, seed=11)
    by_type = Counter(event_type_of(type(ev)) for ev in events)
    before = {
        t: REGISTRY.get_sample_value("pathwatch_events_produced_total", {"event_type": t}) or 0.0
        for t in by_type
    }
    with Emitter(pipe.settings) as emitter:
        for ev in events:
            emitter.emit(ev)
        emitter.send_raw("pw_bad_metrics", b"{not json")
    for t, n in by_type.items():
        produced = REGISTRY.get_sample_value("pathwatch_events_produced_total", {"event_type": t})
        assert produced == before[t] + n, t

    def consumed(scraped: dict[tuple[str, tuple[tuple[str, str], ...]], float]) -> float:
        return sum(
            v for (name, _), v in scraped.items() if name == "pathwatch_events_consumed_total"
        )

    deadline = time.monotonic() + 120
    scraped = scrape(port)
    while consumed(scraped) < len(events) and time.monotonic() < deadline:
        time.sleep(1)
        scraped = scrape(port)
    assert scraped, f"worker never served /metrics\n{pipe.log_text('worker')[-3000:]}"
    for t, n in by_type.items():
        key = ("pathwatch_events_consumed_total", (("consumer", "worker"), ("event_type", t)))
        assert scraped.get(key) == n, t
    assert scraped.get(("pathwatch_dead_letters_total", (("reason", "malformed_json"),))) == 1
    fold = ("pathwatch_processing_seconds_count", (("stage", "worker"),))
    assert scraped.get(fold) == len(events)
