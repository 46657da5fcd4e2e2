"""Fixtures of the reliability tests: the e2e ones (real stack, private namespaces) plus an
uninterrupted reference run that the fault tests compare their final tables with."""

from __future__ import annotations

import pytest

from pathwatch.settings import Settings
from tests.e2e.conftest import open_pipeline, pipeline, stack_up
from tests.reliability.support import Reference, scenario_messages, send_paced, settle, snapshot

__all__ = ["pipeline", "reference", "stack_up"]


@pytest.fixture(scope="session")
def reference(stack_up: Settings, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    """The scenario through worker and sinks without a fault: what every fault run must equal."""
    messages = scenario_messages()
    with open_pipeline(tmp_path_factory.mktemp("reference")) as pipe:
        pipe.cli("migrate")
        pipe.cli("topics")
        pipe.start("worker", "worker")
        pipe.start("sink", "sink", "all")
        send_paced(pipe, messages, seconds=1)
        settle(pipe)
        tables = snapshot(pipe)
    assert tables["pathway_facts"], "the reference run produced no facts"
    return Reference(messages, tables)
