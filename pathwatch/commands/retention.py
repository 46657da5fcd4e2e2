"""`pathwatch retention --older-than DAYS`: drop old monthly partitions of history tables."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from pathwatch.settings import Settings


@click.command("retention")
@click.option(
    "--older-than",
    "days",
    type=click.IntRange(min=1),
    required=True,
    help="Drop months that lie entirely more than this many days in the past.",
)
@click.option("--dry-run", is_flag=True, help="Only list what would be dropped.")
@click.pass_obj
def command(settings: Settings, days: int, dry_run: bool) -> None:
    """Drop whole months of raw_events, alerts, dead_letters and progress (never pathway_facts)."""
    from consumers.clickhouse import connect
    from pathwatch import retention

    client = connect(settings)
    db = settings.clickhouse.database

    def execute(sql: str) -> list[tuple[object, ...]]:
        return list(client.execute(sql))

    today = datetime.now(UTC).date()
    found = retention.plan(execute, db, today, days)
    for table, partition in found:
        click.echo(f"{'would drop' if dry_run else 'drop'} {db}.{table} partition {partition}")
    if not dry_run:
        retention.drop(execute, db, found)
    click.echo(f"{len(found)} partition(s) older than {days} days")
