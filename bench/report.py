"""The benchmark's printed table (the JSON in bench/results/latest.json has every detail)."""

from __future__ import annotations

from typing import Any


def stage_row(name: str, events: int, seconds: float) -> dict[str, Any]:
    """One throughput row: events per second over `seconds`."""
    return {
        "stage": name,
        "events": events,
        "seconds": round(seconds, 3),
        "events_per_s": round(events / seconds) if seconds > 0 else 0,
    }


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        first = cells[0].ljust(widths[0])
        rest = (c.rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True))
        return "  ".join([first, *rest])

    return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def lines(report: dict[str, Any]) -> list[str]:
    """The report as text lines."""
    out = [
        f"pathwatch benchmark {report['when']}, {report['machine']['cpus']} CPUs, "
        f"Python {report['machine']['python']}",
        "input: national scenario, {pathways} pathways, {messages} messages "
        "({valid_events} valid events)".format(**report["input"]),
        "",
    ]
    out += _table(
        ["stage", "events", "seconds", "events/s", "x ceiling"],
        [
            [
                r["stage"],
                str(r["events"]),
                f"{r['seconds']:.2f}",
                str(r["events_per_s"]),
                f"{r['ratio_to_ceiling']:.3f}",
            ]
            for r in report["stages"]
        ],
    )
    e2e, fresh, dash = report["replay"], report["freshness"], report["dashboard"]
    short = report["freshness_short_sink_batch"]
    out += [
        "",
        f"replay: wall {e2e['wall_s']} s (facts complete {e2e['facts_complete_s']} s, raw events "
        f"{e2e['raw_complete_s']} s, first fact after {e2e['startup_s']} s); "
        f"{e2e['events_per_s_after_startup']} events/s after the first fact",
        "peak RSS (VmHWM) during replay: "
        + ", ".join(f"{k} {v} MiB" for k, v in e2e["peak_rss_mb"].items()),
        "CPU seconds during replay: " + ", ".join(f"{k} {v}" for k, v in e2e["cpu_s"].items()),
    ]
    two = report.get("replay_two_processes")
    if two:
        out += [
            f"replay with two worker processes: wall {two['wall_s']} s, "
            f"{two['events_per_s_after_startup']} events/s after the first fact; peak RSS "
            + ", ".join(f"{k} {v} MiB" for k, v in two["peak_rss_mb"].items())
            + "; CPU s "
            + ", ".join(f"{k} {v}" for k, v in two["cpu_s"].items()),
        ]
    out += [
        f"freshness at {fresh['rate_events_per_s']:.0f} events/s ({fresh['events']} events): "
        f"p50 {fresh['p50_s']} s, p99 {fresh['p99_s']} s, max {fresh['max_s']} s",
        "  with PATHWATCH_SINK__BATCH_MAX_SECONDS={}: p50 {} s, p99 {} s".format(
            short["env"].get("PATHWATCH_SINK__BATCH_MAX_SECONDS"), short["p50_s"], short["p99_s"]
        ),
        f"dashboard at {dash['pathways']} pathways ({dash['fact_rows']} fact rows, loaded in "
        f"{dash['load_s']} s):",
    ]
    out += _table(
        ["query", "p50 ms", "p95 ms"],
        [[name, f"{t['p50_ms']:.1f}", f"{t['p95_ms']:.1f}"] for name, t in dash["queries"].items()],
    )
    out += _table(
        ["read API call (dashboard.service)", "p50 ms", "p95 ms", "queries"],
        [
            [name, f"{t['p50_ms']:.1f}", f"{t['p95_ms']:.1f}", str(t["queries"])]
            for name, t in dash.get("read_api", {}).items()
        ],
    )
    fold = report.get("fold")
    if fold:
        out += ["", "fold cost per event by pathway length (bench/fold.py, in memory):"]
        out += _table(
            ["events/pathway", "µs/event", "events", "facts", "alerts"],
            [
                [
                    str(r["events_per_pathway"]),
                    f"{r['us_per_event']:.1f}",
                    str(r["events"]),
                    str(r["facts"]),
                    str(r["alerts"]),
                ]
                for r in fold["rows"]
            ],
        )
        out.append(f"cost at the longest / cost at the shortest: {fold['growth']}")
    out += ["", "hot path profile (cProfile, tottime):"]
    out += [f"  {p['share']:6.1%}  {p['function']}" for p in report["profile_top"][:8]]
    out.append(f"benchmark took {report['bench_seconds']} s")
    return out


def print_report(report: dict[str, Any]) -> None:
    """Print the report."""
    for line in lines(report):
        print(line)
