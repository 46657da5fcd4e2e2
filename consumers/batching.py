"""Batching with commit-after-write: `add()` buffers, `flush()` writes, then offsets commit."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol


class Writer(Protocol):
    """Anything that writes a batch of rows or raises."""

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None: ...


class BatchingSink:
    """Buffers rows; flushes by size or age; calls `commit` only after a successful write."""

    def __init__(
        self,
        writer: Writer,
        commit: Callable[[], None],
        max_rows: int,
        max_seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.writer = writer
        self.commit = commit
        self.max_rows = max_rows
        self.max_seconds = max_seconds
        self.clock = clock
        self.buffer: list[tuple[Any, ...]] = []
        self.oldest: float | None = None
        self.rows_written = 0
        self.batches_written = 0

    def add(self, row: tuple[Any, ...]) -> None:
        """Buffer one row."""
        if self.oldest is None:
            self.oldest = self.clock()
        self.buffer.append(row)

    def due(self) -> bool:
        """True when the buffer is full or its oldest row has waited long enough."""
        if not self.buffer:
            return False
        full = len(self.buffer) >= self.max_rows
        old = self.oldest is not None and self.clock() - self.oldest >= self.max_seconds
        return full or old

    def flush(self) -> int:
        """Write the buffer, then commit. On failure the buffer is kept and nothing commits."""
        if not self.buffer:
            return 0
        self.writer.write(self.buffer)
        count = len(self.buffer)
        self.buffer = []
        self.oldest = None
        self.rows_written += count
        self.batches_written += 1
        self.commit()
        return count
