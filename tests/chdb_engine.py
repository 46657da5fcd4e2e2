"""Run SQL on chDB (embedded current ClickHouse) the way the migrations runner expects."""

from __future__ import annotations

import json
from typing import Any

from chdb import session as chs


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
