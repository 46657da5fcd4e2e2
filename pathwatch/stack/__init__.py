"""The local stack: Kafka (KRaft) and ClickHouse, started by the project itself on loopback."""

from __future__ import annotations

import logging

from pathwatch.settings import Settings
from pathwatch.stack import apt
from pathwatch.stack.clickhouse import ClickHouseService
from pathwatch.stack.common import Service, StackError
from pathwatch.stack.kafka import KafkaService

logger = logging.getLogger(__name__)

__all__ = ["TOOLS", "StackError", "down", "ensure_tools", "services", "status", "up"]

# Command-line tools for poking at the stack by hand (docs, e2e tests); program -> Debian packages.
TOOLS: dict[str, list[str]] = {"kcat": ["kcat"]}


def services(settings: Settings) -> list[Service]:
    """The stack's services in start order."""
    return [KafkaService(settings), ClickHouseService(settings)]


def up(settings: Settings) -> list[str]:
    """Install what is missing, start what is not running, wait until all accept connections."""
    report = []
    for svc in services(settings):
        report.append(svc.up())
    return report + ensure_tools()


def ensure_tools() -> list[str]:
    """Install the TOOLS that are missing; best effort, the pipeline itself does not need them."""
    report = []
    for program, packages in TOOLS.items():
        try:
            report.append(f"{program}: {apt.ensure(program, packages)}")
        except StackError as exc:
            logger.warning("%s", exc)
            report.append(f"{program}: not installed ({str(exc).splitlines()[0]})")
    return report


def down(settings: Settings) -> list[str]:
    """Stop every service this project started."""
    return [svc.down() for svc in reversed(services(settings))]


def status(settings: Settings) -> list[str]:
    """One line per service."""
    return [svc.status() for svc in services(settings)]
