"""Sink tables and read views on current ClickHouse (chDB); the same scenario runs on the real
18.16 server in tests/e2e/test_clickhouse_tables.py."""

from __future__ import annotations

from collections.abc import Sequence

from consumers.rows import Row
from pathwatch import PROJECT_ROOT
from pathwatch import migrate as mig
from tests.chdb_engine import ChdbEngine
from tests.consumers import tables_contract as contract

MIGRATIONS = PROJECT_ROOT / "deploy" / "clickhouse" / "migrations"


def test_tables_and_views_on_current_clickhouse() -> None:
    engine = ChdbEngine()
    try:
        db = "pw_tables"
        mig.apply(engine.execute, db, mig.load(MIGRATIONS))

        def insert(table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
            values = ", ".join(
                "(" + ", ".join(contract.sql_literal(v) for v in row) + ")" for row in rows
            )
            engine.execute(f"INSERT INTO {db}.{table} ({', '.join(columns)}) VALUES {values}")

        contract.load(insert)
        contract.check(engine.execute, db)
    finally:
        engine.close()
