"""dashboard.sql.per_citizen (one GROUP BY citizen pass, issue 8) equals the direct
countIf / uniqExactIf / quantileExact it replaces, for any rows: several pathways per citizen,
citizens in several units, duplicate rows, NULLs (property test on chDB)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.sql import per_citizen
from tests.chdb_engine import ChdbEngine

COUNTS = [("a", "a = 1"), ("ab", "a = 1 AND b = 1"), ("any", "1"), ("d", "d IS NOT NULL")]
ROW = st.tuples(
    st.sampled_from(["c1", "c2", "c3", "c4", "c5"]),
    st.sampled_from(["u1", "u2", "u3"]),
    st.integers(0, 1),
    st.integers(0, 1),
    st.one_of(st.none(), st.integers(-5, 120)),
)


@pytest.fixture(scope="module")
def engine() -> Iterator[ChdbEngine]:
    eng = ChdbEngine()
    eng.execute("CREATE DATABASE IF NOT EXISTS pw_pc")
    yield eng
    eng.close()


def _load(engine: ChdbEngine, rows: list[tuple[Any, ...]]) -> None:
    engine.execute("DROP TABLE IF EXISTS pw_pc.t")
    engine.execute(
        "CREATE TABLE pw_pc.t (citizen_id String, unit String, a UInt8, b UInt8,"
        " d Nullable(Int32)) ENGINE = MergeTree ORDER BY citizen_id"
    )
    if rows:
        values = ", ".join(
            f"('{c}', '{u}', {a}, {b}, {'NULL' if d is None else d})" for c, u, a, b, d in rows
        )
        engine.execute(f"INSERT INTO pw_pc.t VALUES {values}")


def _direct(unit: bool) -> str:
    cols = ", ".join(f"countIf({c}), uniqExactIf(citizen_id, {c})" for _, c in COUNTS)
    if not unit:
        return f"SELECT {cols}, quantileExact(0.5)(d), countIf(d IS NOT NULL) FROM pw_pc.t"
    return (
        f"SELECT unit, {cols}, quantileExact(0.5)(d), countIf(d IS NOT NULL) FROM pw_pc.t"
        " GROUP BY unit ORDER BY unit"
    )


def _same(got: tuple[Any, ...], want: tuple[Any, ...]) -> None:
    *want_counts, want_median, with_d = want
    *got_counts, got_median = got
    assert [int(x) for x in got_counts] == [int(x) for x in want_counts]
    if int(with_d) == 0:
        assert got_median is None
    else:
        assert int(got_median) == int(want_median)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(ROW, max_size=25))
def test_per_citizen_equals_the_direct_counts(engine: ChdbEngine, rows: list[Any]) -> None:
    _load(engine, rows)
    total = engine.execute(per_citizen("pw_pc.t", "1", COUNTS, median="d"))
    assert len(total) == 1
    _same(total[0], engine.execute(_direct(unit=False))[0])
    by_unit = engine.execute(per_citizen("pw_pc.t", "1", COUNTS, unit="unit", median="d"))
    want = engine.execute(_direct(unit=True))
    assert [r[0] for r in by_unit] == [r[0] for r in want]
    for got_row, want_row in zip(by_unit, want, strict=True):
        _same(got_row[1:], want_row[1:])
