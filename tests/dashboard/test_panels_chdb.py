"""The dashboard's SQL on current ClickHouse (chDB); the same checks run on 18.16 in
test_panels_server.py."""

from __future__ import annotations

from datetime import UTC, datetime

from consumers.rows import ALERT_COLUMNS, FACT_COLUMNS, alert_row, fact_row
from tests.chdb_engine import migrated
from tests.consumers.tables_contract import sql_literal
from tests.dashboard import panels_contract as contract


def test_panels_on_current_clickhouse() -> None:
    db = "pw_dash"
    with migrated(db) as engine:
        now = datetime.now(UTC)
        for table, columns, rows in (
            ("pathway_facts", FACT_COLUMNS, [fact_row(f, now) for f in contract.facts()]),
            ("alerts", ALERT_COLUMNS, [alert_row(a, now) for a in contract.open_alerts()]),
        ):
            values = ", ".join("(" + ", ".join(sql_literal(v) for v in r) + ")" for r in rows)
            engine.execute(f"INSERT INTO {db}.{table} ({', '.join(columns)}) VALUES {values}")
        contract.check(engine.execute, db)
