"""The simulator's messages cost about their own size in memory (a national run queues millions)."""

from __future__ import annotations

import tracemalloc

from producers.simulator import Options, Rates, load, stream


def test_queued_messages_take_about_their_own_size() -> None:
    options = Options("national", seed=5, pathways=20, rates=Rates(duplicate=0.1, correction=0.1))
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        messages = list(stream(load(), options))
        used = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    payload = sum(len(m.value) for m in messages)
    # orjson's bytes sit in ~8 KB allocations unless copied: 10x the payload (about 800 bytes).
    assert used < 3 * payload, (used, payload, len(messages))
