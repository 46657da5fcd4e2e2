"""`pathwatch sink facts|alerts|raw|deadletters|progress|all`: Kafka -> ClickHouse."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

import click

from pathwatch.settings import Settings

logger = logging.getLogger(__name__)

SINK_NAMES = ("facts", "alerts", "raw", "deadletters", "progress")


def _run(settings: Settings, names: list[str]) -> None:
    from consumers.runner import run_sinks
    from pathwatch import metrics
    from pathwatch.topics import ensure_topics

    ensure_topics(settings)
    stop = threading.Event()

    def on_signal(signum: int, _frame: Any) -> None:
        logger.info("signal %d: flushing and stopping", signum)
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    metrics.start_http_server(settings.sink.metrics_port)
    written = run_sinks(settings, names, stop)
    logger.info("rows written: %s", written)


@click.group("sink")
def command() -> None:
    """Sinks from Kafka into ClickHouse (offsets committed only after each insert).

    Batch size, batch age, retry backoff and the /metrics port are the PATHWATCH_SINK__*
    settings (see `pathwatch config`).
    """


def _add(name: str, help_text: str) -> None:
    @command.command(name, help=help_text)
    @click.pass_obj
    def run(settings: Settings) -> None:
        _run(settings, list(SINK_NAMES) if name == "all" else [name])


_add("facts", "Pathway facts into pathway_facts.")
_add("alerts", "Alert transitions into alerts (and the open-alerts gauge).")
_add("raw", "Valid events into raw_events (pseudonymised audit log).")
_add("deadletters", "Dead letters into dead_letters (CPR-like values withheld).")
_add("progress", "Completeness watermarks into progress.")
_add("all", "All five sinks in one process, one consumer group each.")
