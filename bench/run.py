"""`make bench`: every figure of the benchmark in one run, printed and written as JSON."""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import ceiling, data, stages
from pathwatch.settings import get_settings

RESULTS = Path(__file__).parent / "results"


def _row(name: str, events: int, seconds: float, ceiling_rate: float | None) -> dict[str, Any]:
    rate = events / seconds if seconds > 0 else float("inf")
    return {
        "stage": name,
        "events": events,
        "seconds": round(seconds, 3),
        "events_per_s": round(rate),
        "ratio_to_ceiling": round(rate / ceiling_rate, 3) if ceiling_rate else None,
    }


def main() -> None:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    settings = get_settings()

    pairs = data.event_payloads(args.events)
    n = len(pairs)
    topic = data.make_topic(settings, settings.kafka.partitions)
    data.produce(settings, topic, pairs)

    rows: list[dict[str, Any]] = []
    bare_s = ceiling.bare_consumption(settings.kafka.bootstrap, topic, n)
    bare_rate = n / bare_s
    rows.append(_row("ceiling: bare consumption (aiokafka + orjson)", n, bare_s, bare_rate))
    decode_s, events = stages.decode_validate([v for _, v in pairs])
    rows.append(_row("decode + validate (in memory)", n, decode_s, bare_rate))
    fold_s, pathways = stages.fold(events)
    rows.append(_row("per-pathway fold + fact (in memory)", len(events), fold_s, bare_rate))

    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "events": n,
        "pathways": pathways,
        "rows": rows,
        "bench_process_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
    }
    width = max(len(r["stage"]) for r in rows)
    print(f"{'stage':<{width}}  {'events':>9}  {'seconds':>8}  {'events/s':>9}  {'x ceiling':>9}")
    for r in rows:
        ratio = "" if r["ratio_to_ceiling"] is None else f"{r['ratio_to_ceiling']:.2f}"
        print(
            f"{r['stage']:<{width}}  {r['events']:>9}  {r['seconds']:>8.2f}  "
            f"{r['events_per_s']:>9}  {ratio:>9}"
        )
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "latest.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"written {out}")


if __name__ == "__main__":
    main()
