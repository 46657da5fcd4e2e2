"""dashboard.cache: the data signature on current ClickHouse (chDB; the server runs it in
test_cache_server.py) and the cache's reuse, stale answers and refresh."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from typing import Any

from consumers.rows import FACT_COLUMNS, fact_row
from dashboard import cache
from tests.chdb_engine import migrated
from tests.consumers.tables_contract import sql_literal
from tests.dashboard import factories


def test_signature_changes_with_every_insert_on_current_clickhouse() -> None:
    db = "pw_sig"
    with migrated(db) as engine:
        empty = cache.signature(engine.execute, db)
        assert cache.signature(engine.execute, db) == empty
        facts = factories.population()[:3]
        seen = {empty}
        for f in (facts[0], facts[0], facts[1]):  # the second is a re-emitted duplicate
            row = fact_row(f, datetime.now(UTC))
            engine.execute(
                f"INSERT INTO {db}.pathway_facts ({', '.join(FACT_COLUMNS)}) VALUES "
                "(" + ", ".join(sql_literal(v) for v in row) + ")"
            )
            sig = cache.signature(engine.execute, db)
            assert sig not in seen
            seen.add(sig)
        other = cache.signature(engine.execute, "pw_sig_other")
        assert other != sig


class _Data:
    """A stand-in database: a version number the signature reads, and builds that count."""

    def __init__(self) -> None:
        self.version = 1
        self.builds = 0
        self.gate = threading.Event()
        self.gate.set()

    def build(self) -> dict[str, Any]:
        self.gate.wait(10)
        self.builds += 1
        return {"version": self.version}


def test_cache_reuses_until_the_data_changes_then_serves_stale_while_refreshing() -> None:
    data = _Data()
    answers = cache.AnswerCache(lambda: (data.version,), serve_stale=True)
    try:
        assert answers.get(("k",), data.build) == {"version": 1, "stale": False}
        assert answers.get(("k",), data.build) == {"version": 1, "stale": False}
        assert data.builds == 1
        data.version = 2
        data.gate.clear()  # hold the refresh so the stale answer is observable
        assert answers.get(("k",), data.build) == {"version": 1, "stale": True}
        assert answers.get(("k",), data.build) == {"version": 1, "stale": True}
        data.gate.set()
        deadline = time.monotonic() + 10
        while answers.get(("k",), data.build)["stale"]:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        assert answers.get(("k",), data.build) == {"version": 2, "stale": False}
        assert data.builds == 2  # one refresh, however many requests saw the change
    finally:
        answers.close()


def test_without_serve_stale_a_change_is_computed_before_answering() -> None:
    data = _Data()
    answers = cache.AnswerCache(lambda: (data.version,), serve_stale=False)
    try:
        assert answers.get(("k",), data.build)["version"] == 1
        data.version = 2
        assert answers.get(("k",), data.build) == {"version": 2, "stale": False}
        assert answers.get(("other",), data.build) == {"version": 2, "stale": False}
        assert data.builds == 3
    finally:
        answers.close()
