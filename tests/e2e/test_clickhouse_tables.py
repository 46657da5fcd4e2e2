"""Sink tables and read views on the real ClickHouse server (18.16), through the sink writer."""

from __future__ import annotations

import pytest

from tests.consumers import tables_contract as contract
from tests.e2e.conftest import ServerDb

pytestmark = pytest.mark.e2e


def test_tables_and_views_on_the_server(server_db: ServerDb) -> None:
    db = server_db
    contract.load(db.insert)
    contract.check(db.query, db.name)
