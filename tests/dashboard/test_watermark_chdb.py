"""The page's completeness watermark on current ClickHouse (chDB): partition -1 when a single
worker reports it, else the least complete partition over every worker's reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from consumers.rows import PROGRESS_COLUMNS, progress_row
from dashboard import alerts
from pathwatch import PROJECT_ROOT
from pathwatch import migrate as mig
from schemas.progress import NO_EVENT_TIME, OVERALL, Watermark
from tests.chdb_engine import ChdbEngine
from tests.consumers.tables_contract import sql_literal

MIGRATIONS = PROJECT_ROOT / "deploy" / "clickhouse" / "migrations"
T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def mark(partition: int, at: datetime) -> Watermark:
    return Watermark(
        partition=partition,
        watermark=at,
        max_event_time=at,
        events_seen=5,
        events_applied=5,
        emitted_at=T0,
    )


def test_watermark_falls_back_to_the_least_complete_partition() -> None:
    engine = ChdbEngine()
    try:
        db = "pw_wm"
        mig.apply(engine.execute, db, mig.load(MIGRATIONS))

        def insert(*marks: Watermark) -> None:
            values = ", ".join(
                "(" + ", ".join(sql_literal(v) for v in progress_row(m, T0)) + ")" for m in marks
            )
            engine.execute(
                f"INSERT INTO {db}.progress ({', '.join(PROGRESS_COLUMNS)}) VALUES {values}"
            )

        assert alerts.watermark(engine.execute, db)["complete_up_to"] is None
        # Two workers, two partitions each; partition 3 has seen only dead letters so far.
        insert(
            mark(0, T0),
            mark(1, T0 - timedelta(days=2)),
            mark(2, T0 + timedelta(days=1)),
            mark(3, NO_EVENT_TIME),
        )
        got = alerts.watermark(engine.execute, db)
        assert got["complete_up_to"] == int((T0 - timedelta(days=2)).timestamp())
        assert got["max_event_time"] == int((T0 + timedelta(days=1)).timestamp())
        # One worker owning every partition reports partition -1 itself: that one wins.
        insert(mark(OVERALL, T0 - timedelta(days=1)))
        got = alerts.watermark(engine.execute, db)
        assert got["complete_up_to"] == int((T0 - timedelta(days=1)).timestamp())
    finally:
        engine.close()
