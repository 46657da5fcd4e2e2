"""The dashboard's SQL on the real ClickHouse 18.16 server, rows written by the sinks' writer."""

from __future__ import annotations

import pytest

from consumers.clickhouse import connect
from tests.dashboard import factories
from tests.dashboard import panels_contract as contract
from tests.e2e.conftest import Pipeline

pytestmark = pytest.mark.e2e


def test_panels_on_the_server(pipeline: Pipeline) -> None:
    pipeline.cli("migrate")
    factories.load(pipeline.settings, contract.facts(), contract.open_alerts())
    client = connect(pipeline.settings)
    contract.check(client.execute, pipeline.settings.clickhouse.database)
