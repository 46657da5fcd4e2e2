"""`pathwatch version`: the package version and the event schema versions."""

from __future__ import annotations

import click


@click.command("version")
def command() -> None:
    """Print the Pathwatch version and each event type's schema version."""
    from pathwatch import __version__
    from schemas.events import EVENT_TYPES

    click.echo(f"pathwatch {__version__}")
    for name, cls in sorted(EVENT_TYPES.items()):
        click.echo(f"  {name} v{cls.SCHEMA_VERSION}")
