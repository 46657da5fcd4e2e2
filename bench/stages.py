"""Each stage alone, in memory, on the same serialised events as the ceiling."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from schemas.envelope import Envelope
from streams.decode import Coordinates, decode


def decode_validate(values: list[bytes]) -> tuple[float, list[Envelope]]:
    """Seconds to decode and validate every value; the valid events."""
    where = Coordinates("bench", 0, 0)
    now = datetime.now(UTC)
    out: list[Envelope] = []
    start = time.perf_counter()
    for value in values:
        result = decode(value, where, now)
        if isinstance(result, Envelope):
            out.append(result)
    return time.perf_counter() - start, out


def fold(events: list[Envelope]) -> tuple[float, int]:
    """Seconds to fold every event into per-pathway state and derive the facts; pathway count."""
    from streams.state import PathwayState

    states: dict[str, PathwayState] = {}
    start = time.perf_counter()
    for event in events:
        state = states.get(event.pathway_id)
        if state is None:
            state = states[event.pathway_id] = PathwayState(pathway_id=event.pathway_id)
        if state.apply(event):
            state.fact()
    return time.perf_counter() - start, len(states)
