"""docs/metrics.md's queries on the stack's ClickHouse server (18.16)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import ServerDb
from tests.streams import metrics_doc

pytestmark = pytest.mark.e2e


def test_documented_queries_run_on_the_server(server_db: ServerDb) -> None:
    db = server_db
    metrics_doc.load_rows(db.insert)
    metrics_doc.check(db.query, db.name)
