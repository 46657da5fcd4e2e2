"""The local stack: Kafka (KRaft) and ClickHouse, started by the project itself on loopback."""

from __future__ import annotations

import logging

from pathwatch.settings import Settings
from pathwatch.stack.clickhouse import ClickHouseService
from pathwatch.stack.common import Service, StackError
from pathwatch.stack.kafka import KafkaService

logger = logging.getLogger(__name__)

__all__ = ["StackError", "down", "services", "status", "up"]


def services(settings: Settings) -> list[Service]:
    """The stack's services in start order."""
    return [KafkaService(settings), ClickHouseService(settings)]


def up(settings: Settings) -> list[str]:
    """Install what is missing, start what is not running, wait until all accept connections."""
    report = []
    for svc in services(settings):
        report.append(svc.up())
    return report


def down(settings: Settings) -> list[str]:
    """Stop every service this project started."""
    return [svc.down() for svc in reversed(services(settings))]


def status(settings: Settings) -> list[str]:
    """One line per service."""
    return [svc.status() for svc in services(settings)]
