"""The benchmark's table and the split of freshness input."""

from __future__ import annotations

import orjson

from bench.report import lines, stage_row
from bench.run import _split_fresh


def test_stage_row_rate() -> None:
    row = stage_row("decode", 1000, 0.5)
    assert row["events_per_s"] == 2000
    assert stage_row("nothing", 10, 0.0)["events_per_s"] == 0


def _report() -> dict[str, object]:
    fresh = {"rate_events_per_s": 200.0, "events": 6000, "p50_s": 0.7, "p99_s": 1.3, "max_s": 1.4}
    return {
        "when": "2026-12-01T09:00:00+00:00",
        "machine": {"cpus": 2, "python": "3.11.7"},
        "input": {"pathways": 5000, "messages": 110481, "valid_events": 16105},
        "stages": [dict(stage_row("ceiling", 100, 0.01), ratio_to_ceiling=1.0)],
        "replay": {
            "wall_s": 139.8,
            "facts_complete_s": 139.8,
            "raw_complete_s": 51.9,
            "startup_s": 6.9,
            "events_per_s_after_startup": 831,
            "peak_rss_mb": {"worker": 105.7, "sinks": 127.9},
            "cpu_s": {"worker": 80.2, "sinks": 40.1},
        },
        "freshness": fresh,
        "freshness_short_sink_batch": dict(
            fresh, p99_s=0.9, env={"PATHWATCH_SINK__BATCH_MAX_SECONDS": "0.25"}
        ),
        "dashboard": {
            "pathways": 1000000,
            "fact_rows": 1100000,
            "load_s": 3.1,
            "queries": {"funnel": {"p50_ms": 90.0, "p95_ms": 99.5}},
        },
        "replay_two_processes": {
            "wall_s": 70.1,
            "events_per_s_after_startup": 1662,
            "peak_rss_mb": {"worker": 211.4, "sinks": 127.9},
            "cpu_s": {"worker": 96.5, "sinks": 40.1},
        },
        "profile_top": [{"share": 0.37, "function": "re.search"}],
        "fold": {
            "rows": [
                {
                    "events_per_pathway": 20,
                    "us_per_event": 301.5,
                    "events": 6000,
                    "facts": 9,
                    "alerts": 7,
                },
                {
                    "events_per_pathway": 100,
                    "us_per_event": 333.0,
                    "events": 30000,
                    "facts": 9,
                    "alerts": 7,
                },
            ],
            "growth": 1.1,
        },
        "bench_seconds": 300.0,
    }


def test_lines_show_every_headline_figure() -> None:
    text = "\n".join(lines(_report()))
    expected: tuple[str, ...] = ("10000", "worker 105.7 MiB", "worker 80.2", "p99 1.3 s")
    expected += ("p99 0.9 s", "99.5", "301.5", "333.0", "shortest: 1.1", "wall 70.1 s", "1662")
    expected += ("worker 211.4 MiB", "worker 96.5")
    for figure in (*expected, "37.0%"):
        assert figure in text


def test_split_fresh_keeps_valid_events_and_disjoint_pathways() -> None:
    def msg(key: str, eid: str) -> tuple[bytes, bytes]:
        return key.encode(), orjson.dumps({"event_id": eid})

    pairs = [msg("a", "1"), msg("b", "2"), msg("a", "3"), msg("c", "bad"), msg("c", "4")]
    warm, paced = _split_fresh(pairs, {"1", "2", "3", "4"}, n=10, warm_pathways=1)
    assert warm == [msg("a", "1"), msg("a", "3")]
    assert paced == [msg("b", "2"), msg("c", "4")]
