"""docs/metrics.md: every metric and rule is documented, and its queries run on chDB."""

from __future__ import annotations

from collections.abc import Sequence

from consumers.rows import Row
from pathwatch import PROJECT_ROOT
from pathwatch import migrate as mig
from streams.rules_v2 import RULES
from tests.chdb_engine import ChdbEngine
from tests.consumers.tables_contract import sql_literal
from tests.streams import metrics_doc

MIGRATIONS = PROJECT_ROOT / "deploy" / "clickhouse" / "migrations"
ISSUE_METRICS = {
    "M01", "M02", "M03", "M04", "M08", "M09", "M10", "M12", "M14", "M15", "M17", "M18", "M19",
    "M25", "M26", "M28", "M29",
}  # fmt: skip


def test_every_metric_and_rule_is_documented() -> None:
    assert metrics_doc.documented_ids() >= ISSUE_METRICS | set(RULES)


def test_documented_queries_run_on_current_clickhouse() -> None:
    engine = ChdbEngine()
    try:
        db = "pw_metrics_doc"
        mig.apply(engine.execute, db, mig.load(MIGRATIONS))

        def insert(table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
            values = ", ".join("(" + ", ".join(sql_literal(v) for v in row) + ")" for row in rows)
            engine.execute(f"INSERT INTO {db}.{table} ({', '.join(columns)}) VALUES {values}")

        metrics_doc.load_rows(insert)
        metrics_doc.check(engine.execute, db)
    finally:
        engine.close()
