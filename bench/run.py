"""`make bench`: every figure of the benchmark in one run, printed and written as JSON.

Order: simulate the input; the in-memory stages and the fold's cost per event against the
pathway's length (bench/fold.py); the sink insert; then, on the real stack,
the ceiling and the end-to-end replay of the same topic, freshness at a paced rate, and the
dashboard queries at 1 million pathways. docs/benchmarks.md explains each figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import dashboard, data, fold, freshness, replay, stages
from bench.pipeline import close_namespace, open_namespace
from bench.profile import profile
from bench.report import print_report, stage_row
from consumers.clickhouse import connect
from pathwatch.settings import Settings, get_settings

RESULTS = Path(__file__).parent / "results"
SHORT_BATCH_S = 0.25


def _step(began: float, what: str) -> None:
    """Progress on stderr, so the table on stdout stays clean."""
    print(f"[{time.monotonic() - began:6.1f} s] {what}", file=sys.stderr, flush=True)


def _in_memory(pairs: list[tuple[bytes, bytes]], settings: Settings) -> dict[str, Any]:
    """Decode, fold, fact emission and sink insert, each alone."""
    values = [v for _, v in pairs]
    decode_s, events = stages.decode_validate(values)
    fold_s, _table = stages.fold(events)
    emit_s, facts = stages.emit_facts(events)
    rows_s, fact_rows = stages.sink_rows(facts)
    ns = open_namespace(settings, "sink", RESULTS / "logs")
    try:
        client = connect(ns.settings)
        insert_s = stages.sink_insert(client, fact_rows, settings.sink.batch_max_rows)
        client.disconnect()
    finally:
        close_namespace(ns)
    return {
        "events": events,
        "pathways": len({e.pathway_id for e in events}),
        "rows": [
            stage_row("decode + validate (schemas.decode)", len(values), decode_s),
            stage_row("fold: streams.processor (facts, alerts, table)", len(events), fold_s),
            stage_row("fact emission: fact() + JSON", len(events), emit_s),
            stage_row("sink: parse fact + map to row", len(facts), rows_s),
            stage_row(
                f"sink: INSERT pathway_facts ({settings.sink.batch_max_rows}-row batches)",
                len(fact_rows),
                insert_s,
            ),
        ],
    }


def _split_fresh(
    pairs: list[tuple[bytes, bytes]], valid_ids: set[str], n: int, warm_pathways: int = 20
) -> tuple[list[tuple[bytes, bytes]], list[tuple[bytes, bytes]]]:
    """Valid events of a few pathways for warm-up, and the next `n` valid events of others."""
    import orjson

    valid = [(k, v) for k, v in pairs if orjson.loads(v).get("event_id") in valid_ids]
    warm_keys: list[bytes] = []
    for key, _ in valid:
        if key not in warm_keys:
            warm_keys.append(key)
        if len(warm_keys) == warm_pathways:
            break
    warm = [p for p in valid if p[0] in warm_keys]
    rest = [p for p in valid if p[0] not in warm_keys][:n]
    return warm, rest


def main() -> None:
    """Run the benchmark, print its table, write bench/results/latest.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pathways", type=int, default=5000, help="simulated national pathways")
    parser.add_argument("--fresh-seconds", type=float, default=30.0)
    parser.add_argument("--fresh-rate", type=float, default=200.0)
    parser.add_argument("--dashboard-pathways", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json")
    parser.add_argument(
        "--no-prototype",
        dest="prototype",
        action="store_false",
        help="skip the replay through the batched prototype worker (bench/proto_worker.py)",
    )
    args = parser.parse_args()
    settings = get_settings()
    began = time.monotonic()
    RESULTS.mkdir(exist_ok=True)

    _step(began, f"simulating {args.pathways} national pathways")
    pairs = data.national(args.pathways)
    _step(began, f"{len(pairs)} messages; stages in memory and the sink insert")
    mem = _in_memory(pairs, settings)
    events = mem["events"]
    hot = profile([v for _, v in pairs[:20_000]], RESULTS / "profile-hotpath.txt")
    _step(began, "fold cost per event at 20, 50 and 100 events per pathway")
    folded = fold.run([20, 50, 100], pathways=300)
    _step(began, "ceiling, then replay through worker and sink")
    e2e = replay.run(settings, pairs, len(events), mem["pathways"], RESULTS / "logs")
    _step(began, f"replay done in {e2e['wall_s']} s; again with two worker processes")
    e2e_two = replay.run(
        settings, pairs, len(events), mem["pathways"], RESULTS / "logs", worker=replay.TWO_WORKERS
    )
    proto = None
    if args.prototype:
        _step(began, f"replay done in {e2e['wall_s']} s; again with bench/proto_worker.py")
        proto = replay.run(
            settings,
            pairs,
            len(events),
            mem["pathways"],
            RESULTS / "logs",
            worker=replay.PROTO_WORKER,
        )
    _step(began, f"freshness at {args.fresh_rate:.0f}/s")

    fresh_pairs = data.national(max(600, int(args.fresh_rate * args.fresh_seconds) // 5), seed=11)
    _, fresh_events = stages.decode_validate([v for _, v in fresh_pairs])
    warm, paced = _split_fresh(
        fresh_pairs,
        {str(e.event_id) for e in fresh_events},
        int(args.fresh_rate * args.fresh_seconds),
    )
    fresh = freshness.run(settings, warm, paced, RESULTS / "logs", rate=args.fresh_rate)
    # The same with a shorter sink batch age: how much of the latency is the sink's batching.
    fresh_short = freshness.run(
        settings,
        warm,
        paced,
        RESULTS / "logs",
        rate=args.fresh_rate,
        extra_env={"PATHWATCH_SINK__BATCH_MAX_SECONDS": str(SHORT_BATCH_S)},
    )
    _step(began, f"dashboard queries at {args.dashboard_pathways} pathways")
    dash = dashboard.run(settings, RESULTS / "logs", pathways=args.dashboard_pathways)

    ceiling = e2e["ceiling_events_per_s"]
    rows = [
        stage_row("ceiling: bare consumption (aiokafka + orjson)", len(pairs), e2e["ceiling_s"])
    ]
    rows += mem["rows"]
    rows.append(stage_row("end to end: worker + sink all -> ClickHouse", len(pairs), e2e["wall_s"]))
    rows.append(
        stage_row("end to end: worker --processes 2 + sink all", len(pairs), e2e_two["wall_s"])
    )
    if proto is not None:
        rows.append(
            stage_row(
                "end to end, prototype batched worker (bench/proto_worker.py)",
                len(pairs),
                proto["wall_s"],
            )
        )
    for row in rows:
        row["ratio_to_ceiling"] = round(row["events_per_s"] / ceiling, 4)
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "input": {
            "scenario": "national",
            "pathways": args.pathways,
            "messages": len(pairs),
            "valid_events": len(events),
            "pathways_with_valid_events": mem["pathways"],
        },
        "stages": rows,
        "replay": e2e,
        "replay_two_processes": e2e_two,
        "replay_prototype": proto,
        "freshness": fresh,
        "freshness_short_sink_batch": fresh_short,
        "dashboard": dash,
        "profile_top": hot,
        "fold": folded,
        "bench_seconds": round(time.monotonic() - began, 1),
    }
    print_report(report)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
