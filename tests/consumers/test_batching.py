"""BatchingSink: commit only after a successful write; a failed write keeps the batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest

from consumers.batching import BatchingSink
from consumers.clickhouse import DestinationUnavailable


class FlakyWriter:
    def __init__(self) -> None:
        self.fail = False
        self.batches: list[list[tuple[Any, ...]]] = []

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        if self.fail:
            raise DestinationUnavailable("down")
        self.batches.append(list(rows))


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make() -> tuple[BatchingSink, FlakyWriter, list[int], Clock]:
    writer, commits, clock = FlakyWriter(), [], Clock()
    sink = BatchingSink(writer, lambda: commits.append(1), max_rows=3, max_seconds=1.0, clock=clock)
    return sink, writer, commits, clock


def test_due_by_size_and_by_age() -> None:
    sink, _, _, clock = make()
    assert not sink.due()
    sink.add((1,))
    assert not sink.due()
    clock.now = 1.0
    assert sink.due()
    sink2, _, _, _ = make()
    for i in range(3):
        sink2.add((i,))
    assert sink2.due()


def test_commit_follows_write() -> None:
    sink, writer, commits, _ = make()
    sink.add((1,))
    sink.add((2,))
    assert sink.flush() == 2
    assert writer.batches == [[(1,), (2,)]]
    assert commits == [1]
    assert sink.flush() == 0
    assert commits == [1]


def test_failed_write_keeps_batch_and_does_not_commit() -> None:
    sink, writer, commits, _ = make()
    sink.add((1,))
    writer.fail = True
    with pytest.raises(DestinationUnavailable):
        sink.flush()
    assert commits == []
    assert sink.buffer == [(1,)]
    writer.fail = False
    sink.add((2,))
    assert sink.flush() == 2
    assert writer.batches == [[(1,), (2,)]]
    assert commits == [1]
