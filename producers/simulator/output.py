"""Where messages go: a JSONL file or the raw Kafka topic; accelerated or paced delivery."""

from __future__ import annotations

import itertools
import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from producers.simulator.faults import Message

logger = logging.getLogger(__name__)


def paced(
    messages: Iterable[Message],
    start: datetime,
    speed: float,
    duration_s: float | None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Iterator[Message]:
    """Release each message when the simulated clock reaches its delivery time.

    The simulated clock runs `speed` simulated seconds per wall second from `start`, or from the
    first message's delivery time when that is later, but never ahead of the real clock: events
    are never from the future (decode dead-letters those).
    """
    # Job centres register citizens on working days only: a start on a Saturday (or before the
    # scenario's first entry) would otherwise spend the first simulated days sending nothing.
    pending = iter(messages)
    first = next(pending, None)
    if first is None:
        return
    begin = max(start, first.deliver_at).timestamp()
    t0 = clock()
    for msg in itertools.chain((first,), pending):
        while True:
            elapsed = clock() - t0
            if duration_s is not None and elapsed >= duration_s:
                return
            sim_now = min(begin + elapsed * speed, now().timestamp())
            wait = msg.deliver_at.timestamp() - sim_now
            if wait <= 0:
                break
            sleep(min(wait / speed, 0.5))
        yield msg


def write_jsonl(messages: Iterable[Message], out: BinaryIO) -> Counter[str]:
    """One message value per line (invalid ones as they would go on the wire)."""
    counts: Counter[str] = Counter()
    for msg in messages:
        out.write(msg.value + b"\n")
        counts[msg.kind] += 1
    return counts


def write_file(messages: Iterable[Message], path: Path) -> Counter[str]:
    """Write `messages` to `path` as JSONL."""
    with path.open("wb") as out:
        return write_jsonl(messages, out)


def produce(messages: Iterable[Message], send: Callable[[str, bytes], None]) -> Counter[str]:
    """Send every message with its key (pathway id); the caller flushes."""
    counts: Counter[str] = Counter()
    for msg in messages:
        send(msg.key, msg.value)
        counts[msg.kind] += 1
        if sum(counts.values()) % 10000 == 0:
            logger.info("simulator: %d messages sent", sum(counts.values()))
    return counts
