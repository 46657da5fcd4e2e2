"""Migrations: ordering rules, and the DDL runs on current ClickHouse (chDB), idempotently."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from pathwatch import PROJECT_ROOT
from pathwatch import migrate as mig
from pathwatch.cli import FACTS_SUMMARY
from tests.chdb_engine import ChdbEngine

MIGRATIONS = PROJECT_ROOT / "deploy" / "clickhouse" / "migrations"


@pytest.fixture
def engine() -> Iterator[ChdbEngine]:
    eng = ChdbEngine()
    yield eng
    eng.close()


def test_load_orders_and_rejects_gaps(tmp_path: Path) -> None:
    (tmp_path / "0001_a.sql").write_text("SELECT 1;")
    (tmp_path / "0003_c.sql").write_text("SELECT 1;")
    with pytest.raises(ValueError, match="without gaps"):
        mig.load(tmp_path)
    (tmp_path / "0002_b.sql").write_text("SELECT 1;")
    assert [m.version for m in mig.load(tmp_path)] == [1, 2, 3]


def test_statements_fill_database_and_drop_comments() -> None:
    m = mig.Migration(1, "x", "-- a comment; with semicolon\nCREATE TABLE {db}.t (a UInt8);\n")
    assert m.statements("dbx") == ["CREATE TABLE dbx.t (a UInt8)"]


def test_migrations_apply_on_current_clickhouse_once(engine: ChdbEngine) -> None:
    migrations = mig.load(MIGRATIONS)
    assert migrations, "no migrations found"
    first = mig.apply(engine.execute, "pw_chdb", migrations)
    assert [m.version for m in first] == [m.version for m in migrations]
    assert mig.apply(engine.execute, "pw_chdb", migrations) == []
    recorded = engine.execute("SELECT count() FROM pw_chdb.schema_migrations")
    assert int(recorded[0][0]) == len(migrations)


def test_latest_fact_version_wins_with_final(engine: ChdbEngine) -> None:
    mig.apply(engine.execute, "pw_chdb", mig.load(MIGRATIONS))
    insert = (
        "INSERT INTO pw_chdb.pathway_facts (pathway_id, citizen_id, municipality_code, "
        "job_centre_id, entry_at, first_company_placement_at, "
        "days_to_first_company_placement, events_applied, version, written_at) VALUES "
    )
    engine.execute(insert + "('p1','c1','153','j',now(),NULL,NULL,1,1,now())")
    engine.execute(insert + "('p1','c1','153','j',now(),now(),12,3,3,now())")
    engine.execute(insert + "('p1','c1','153','j',now(),now(),12,3,3,now())")  # replayed
    engine.execute(insert + "('p2','c2','159','j',now(),NULL,NULL,1,1,now())")
    rows = engine.execute(FACTS_SUMMARY.format(db="pw_chdb"))
    by_muni = {r[0]: (int(r[1]), int(r[2])) for r in rows}
    assert by_muni == {"153": (1, 1), "159": (1, 0)}
