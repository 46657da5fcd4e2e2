"""docs/metrics.md's queries on the stack's ClickHouse server (18.16)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

import pytest

from consumers.clickhouse import ClickHouseWriter, connect
from consumers.rows import Row
from pathwatch import PROJECT_ROOT
from pathwatch import migrate as mig
from pathwatch.settings import Settings
from tests.streams import metrics_doc

pytestmark = pytest.mark.e2e

MIGRATIONS = PROJECT_ROOT / "deploy" / "clickhouse" / "migrations"


def test_documented_queries_run_on_the_server(stack_up: Settings) -> None:
    db = "t" + uuid.uuid4().hex[:10]
    client = connect(stack_up, database="default")
    try:
        mig.apply(lambda sql: list(client.execute(sql)), db, mig.load(MIGRATIONS))

        def insert(table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
            ClickHouseWriter(client, f"{db}.{table}", columns).write(rows)

        metrics_doc.load_rows(insert)
        metrics_doc.check(lambda sql: list(client.execute(sql)), db)
    finally:
        client.execute(f"DROP DATABASE IF EXISTS {db}")
