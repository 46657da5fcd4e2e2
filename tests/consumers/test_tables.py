"""Sink tables and read views on current ClickHouse (chDB); the same scenario runs on the real
18.16 server in tests/e2e/test_clickhouse_tables.py."""

from __future__ import annotations

from collections.abc import Sequence

from consumers.rows import Row
from tests.chdb_engine import migrated
from tests.consumers import tables_contract as contract


def test_tables_and_views_on_current_clickhouse() -> None:
    db = "pw_tables"
    with migrated(db) as engine:

        def insert(table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
            values = ", ".join(
                "(" + ", ".join(contract.sql_literal(v) for v in row) + ")" for row in rows
            )
            engine.execute(f"INSERT INTO {db}.{table} ({', '.join(columns)}) VALUES {values}")

        contract.load(insert)
        contract.check(engine.execute, db)
