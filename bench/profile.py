"""cProfile of the worker's Python work per batch (decode, fold, facts, alerts), as text."""

from __future__ import annotations

import cProfile
import io
import pstats
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson

from schemas.decode import Coordinates, decode
from schemas.envelope import Envelope
from streams.batch import key_partition
from streams.processor import BATCH_MAX, Processor
from streams.ruleset import load as load_rules


def _hot_path(values: list[bytes], partitions: int = 4) -> None:
    """What the agent does per batch, minus Kafka: decode, the Processor's fold, facts and
    alerts, the table values' JSON."""
    now = datetime.now(UTC)
    table: dict[str, Any] = {}
    proc = Processor(table, load_rules())
    for i in range(0, len(values), BATCH_MAX):
        proc.begin()
        for offset, value in enumerate(values[i : i + BATCH_MAX], start=i):
            event = decode(value, Coordinates("bench", 0, offset), now)
            if not isinstance(event, Envelope):
                continue
            out = proc.on_event(event, key_partition(event.pathway_id, partitions))
            for alert in out.alerts:
                alert.model_dump_json()
        flushed = proc.flush()
        for _partition, key, value in flushed.writes:
            orjson.dumps(value)  # the changelog's serialisation (Faust uses orjson)
            table[key] = value
        for fact in flushed.facts:
            fact.model_dump_json()


def profile(values: list[bytes], out: Path, top: int = 12) -> list[dict[str, Any]]:
    """Profile `_hot_path(values)`; write the full listing to `out`; the top functions."""
    prof = cProfile.Profile()
    prof.enable()
    _hot_path(values)
    prof.disable()
    text = io.StringIO()
    stats = pstats.Stats(prof, stream=text).sort_stats("tottime")
    stats.print_stats(40)
    out.write_text(text.getvalue())
    total = sum(row[2] for row in stats.stats.values())  # type: ignore[attr-defined]  # pstats internals
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    return [
        {
            "function": f"{Path(file).name}:{line}({name})",
            "calls": nc,
            "tottime_s": round(tt, 3),
            "share": round(tt / total, 3) if total else 0.0,
        }
        for (file, line, name), (_cc, nc, tt, _ct, _callers) in rows
    ]
