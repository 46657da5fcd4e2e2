"""cProfile of the worker's per-event Python work (decode, fold, fact), written as text."""

from __future__ import annotations

import cProfile
import io
import pstats
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas.envelope import Envelope
from streams.decode import Coordinates, decode
from streams.state import PathwayState


def _hot_path(values: list[bytes]) -> None:
    """What the agent does per message, minus Kafka: decode, fold, fact, serialise."""
    where = Coordinates("bench", 0, 0)
    now = datetime.now(UTC)
    table: dict[str, Any] = {}
    for value in values:
        event = decode(value, where, now)
        if not isinstance(event, Envelope):
            continue
        stored = table.get(event.pathway_id)
        state = (
            PathwayState.from_dict(stored) if stored else PathwayState(pathway_id=event.pathway_id)
        )
        if state.apply(event):
            table[event.pathway_id] = state.to_dict()
        state.fact().model_dump_json()


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
