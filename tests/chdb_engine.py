"""Run SQL on chDB (embedded current ClickHouse) the way the migrations runner expects."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chdb import session as chs

from pathwatch import PROJECT_ROOT
from pathwatch import migrate as mig

MIGRATIONS = PROJECT_ROOT / "deploy" / "clickhouse" / "migrations"


class ChdbEngine:
    """`execute(sql) -> rows` over a private chDB session."""

    def __init__(self) -> None:
        self.session = chs.Session()

    def execute(self, sql: str) -> list[tuple[Any, ...]]:
        """Run one statement; rows as tuples (empty for DDL)."""
        raw = self.session.query(sql, "JSONCompact").bytes()
        if not raw.strip():
            return []
        return [tuple(row) for row in json.loads(raw)["data"]]

    def close(self) -> None:
        """Release the session."""
        self.session.close()


@contextmanager
def migrated(db: str) -> Iterator[ChdbEngine]:
    """A chDB session with the project's migrations applied to `db`; closed afterwards."""
    engine = ChdbEngine()
    try:
        mig.apply(engine.execute, db, mig.load(MIGRATIONS))
        yield engine
    finally:
        engine.close()
