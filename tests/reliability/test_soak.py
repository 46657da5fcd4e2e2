"""Soak: paced simulator load through worker and sinks for PATHWATCH_SOAK_SECONDS (default 600).

Reports RSS of worker and sink, consumer lag and end-to-end latency (an event sent by the
emitter until its fact is in ClickHouse) at start and end; fails if the lag keeps growing,
if it does not drain once the load stops, or if a probe takes longer than a minute.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any

import orjson
import pytest

from producers.emitter import Emitter
from schemas.topics import Names
from tests.e2e.conftest import Pipeline
from tests.factories import contact
from tests.reliability.cases import utc_now
from tests.reliability.support import count, offsets, rss_mb, wait_for, worker_group

pytestmark = pytest.mark.e2e

SOAK_S = float(os.environ.get("PATHWATCH_SOAK_SECONDS", "600"))
# Simulated seconds per wall second: ~100-300 events/s from the national scenario (paced mode).
SPEED = float(os.environ.get("PATHWATCH_SOAK_SPEED", "60000"))
SAMPLE_S = 10.0
PROBE_EVERY = 6  # samples between two latency probes
PROBE_TIMEOUT_S = 60.0
# Lag is measured in seconds of input (messages behind / current input rate), since the paced
# load grows as the simulated population does. It is "bounded" if the last quarter of the run
# stays below twice the first quarter's peak, or this floor: the worker commits offsets every
# few seconds, so a few seconds of lag are always there.
LAG_FLOOR_S = 10.0


@dataclass
class Sample:
    """One look at the pipeline."""

    at_s: float
    events: int  # end offset of the raw topic: messages produced so far
    worker_lag: int
    sink_lag: int
    worker_rss_mb: float
    sink_rss_mb: float
    latency_s: float | None = None
    lag_s: float = 0.0  # (worker + sink lag) / input rate since the previous sample


def probe(pipe: Pipeline) -> float:
    """Seconds from sending one event with the emitter until its fact is in ClickHouse."""
    pid = f"pw_probe_{uuid.uuid4().hex[:12]}"
    payload = contact(utc_now() - timedelta(minutes=1), pathway_id=pid, citizen_id="cz_probe_01")
    sql = f"SELECT count() FROM {{db}}.pathway_facts WHERE pathway_id = '{pid}'"
    started = time.monotonic()
    with Emitter(pipe.settings) as emitter:
        emitter.send_raw(pid, orjson.dumps(payload))
    while count(pipe, sql) == 0:
        assert time.monotonic() - started < PROBE_TIMEOUT_S, "probe fact did not arrive in time"
        time.sleep(0.2)
    return time.monotonic() - started


def sample(pipe: Pipeline, t0: float, latency: float | None, prev: Sample | None) -> Sample:
    """Lag of worker and fact sink (messages, and seconds of input), RSS of both processes."""
    names = Names(pipe.settings.kafka.namespace)
    worker_done, events = offsets(pipe, names.events, worker_group(names))
    sink_done, facts = offsets(pipe, names.facts, names.fact_sink_group)
    at = time.monotonic() - t0
    lag = events - worker_done + facts - sink_done
    rate = (events - prev.events) / max(at - prev.at_s, 1.0) if prev else 0.0
    return Sample(
        at_s=round(at, 1),
        events=events,
        worker_lag=events - worker_done,
        sink_lag=facts - sink_done,
        worker_rss_mb=round(rss_mb(pipe.procs["worker"].pid), 1),
        sink_rss_mb=round(rss_mb(pipe.procs["sink"].pid), 1),
        latency_s=None if latency is None else round(latency, 2),
        lag_s=round(lag / max(rate, 1.0), 2),
    )


@pytest.mark.timeout(SOAK_S + 600)
def test_soak_lag_stays_bounded(pipeline: Pipeline, capsys: pytest.CaptureFixture[str]) -> None:
    pipe = pipeline
    pipe.cli("migrate")
    pipe.cli("topics")
    pipe.start("worker", "worker")
    pipe.start("sink", "sink", "all")
    load = pipe.start(
        "simulate",
        *("simulate", "--mode", "paced", "--seed", "23"),
        *("--speed", str(SPEED), "--duration", str(SOAK_S)),
    )
    t0 = time.monotonic()
    samples: list[Sample] = []
    while load.poll() is None:
        n = len(samples)
        latency = probe(pipe) if n % PROBE_EVERY == 1 else None
        samples.append(sample(pipe, t0, latency, samples[-1] if samples else None))
        time.sleep(max(0.0, (n + 1) * SAMPLE_S - (time.monotonic() - t0)))
    assert load.returncode == 0, pipe.log_text("simulate")[-2000:]
    samples.append(sample(pipe, t0, probe(pipe), samples[-1]))
    names = Names(pipe.settings.kafka.namespace)
    wait_for(
        pipe,
        "lag to drain after the load stopped",
        lambda: (
            offsets(pipe, names.events, worker_group(names))[0] == offsets(pipe, names.events)[1]
        ),
        120,
    )
    report = _report(samples)
    with capsys.disabled():
        print("\nsoak:", json.dumps(report["summary"], indent=1))
    out = pipe.settings.stack.state_dir / "reports" / "soak.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n")

    assert len(samples) >= 5, "the soak ran too briefly to judge its lag"
    assert samples[-1].events > SOAK_S, "the simulator produced almost nothing"
    loaded = samples[1:]  # the first look is before any load
    quarter = max(1, len(loaded) // 4)
    first = max(s.lag_s for s in loaded[:quarter])
    last = max(s.lag_s for s in loaded[-quarter:])
    assert last <= max(2 * first, LAG_FLOOR_S), f"lag grew from {first} s to {last} s of input"
    assert pipe.procs["worker"].poll() is None
    assert pipe.procs["sink"].poll() is None


def _report(samples: list[Sample]) -> dict[str, Any]:
    """Start and end figures, plus every sample."""
    probes = [s for s in samples if s.latency_s is not None]
    # "Start" is the first look with the load running (the very first is before warm-up).
    start, end = samples[1], samples[-1]
    rate = end.events / end.at_s if end.at_s else 0.0
    summary = {
        "duration_s": end.at_s,
        "events": end.events,
        "events_per_s": round(rate, 1),
        "rss_mb": {
            "worker": [start.worker_rss_mb, end.worker_rss_mb],
            "sink": [start.sink_rss_mb, end.sink_rss_mb],
        },
        "lag": {
            "worker": [start.worker_lag, end.worker_lag],
            "sink": [start.sink_lag, end.sink_lag],
            "max": max(s.worker_lag + s.sink_lag for s in samples),
            "max_s": max(s.lag_s for s in samples),
        },
        "latency_s": [probes[0].latency_s, probes[-1].latency_s],
    }
    return {"summary": summary, "samples": [asdict(s) for s in samples]}
