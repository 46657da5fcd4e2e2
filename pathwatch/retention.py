"""Retention: drop whole monthly partitions of the history tables older than a cutoff.

Only `schemas.tables.PARTITIONED` tables have monthly partitions (toYYYYMM of a time that never
changes for a row); pathway_facts is current state and is never pruned here. Dropping a
partition is instant and portable (18.16 has no TTL we may rely on); docs/clickhouse.md says
how to schedule it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta

from schemas import tables

logger = logging.getLogger(__name__)

Execute = Callable[[str], list[tuple[object, ...]]]


def cutoff_month(today: date, older_than_days: int) -> int:
    """YYYYMM of the month holding the cutoff; months strictly before it are entirely older."""
    cut = today - timedelta(days=older_than_days)
    return cut.year * 100 + cut.month


def plan(
    execute: Execute, database: str, today: date, older_than_days: int
) -> list[tuple[str, str]]:
    """(table, partition) pairs that lie entirely before the cutoff."""
    cut = cutoff_month(today, older_than_days)
    names = ", ".join(f"'{t}'" for t in tables.PARTITIONED)
    rows = execute(
        f"SELECT DISTINCT table, partition FROM system.parts WHERE database = '{database}' "
        f"AND table IN ({names}) AND active ORDER BY table, partition"
    )
    out = []
    for table, partition in rows:
        text = str(partition).strip("'")
        if text.isdigit() and int(text) < cut:
            out.append((str(table), text))
    return out


def drop(execute: Execute, database: str, partitions: list[tuple[str, str]]) -> None:
    """Drop the given partitions."""
    for table, partition in partitions:
        execute(f"ALTER TABLE {database}.{table} DROP PARTITION {partition}")
        logger.info("dropped %s.%s partition %s", database, table, partition)
