"""`pathwatch schemas export`: JSON Schema files of the event contract (docs/events.md)."""

from __future__ import annotations

from pathlib import Path

import click


@click.group("schemas")
def command() -> None:
    """The event contract as JSON Schema, for producers in any language."""


@command.command("export")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Directory to write into (default: schemas/json/ of the installed package).",
)
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if any file is stale.")
def export(out: Path | None, check: bool) -> None:
    """Write one JSON Schema per registered event type plus envelope.json."""
    import schemas.events  # noqa: F401  (registers every event type)
    from schemas import jsonschema

    directory = out or jsonschema.DEFAULT_DIR
    if check:
        problems = jsonschema.differences(directory)
        for line in problems:
            click.echo(line, err=True)
        if problems:
            raise click.ClickException(
                f"{len(problems)} schema file(s) out of date; run `pathwatch schemas export`"
            )
        click.echo(f"{directory}: up to date")
        return
    changed = jsonschema.write(directory)
    for line in changed:
        click.echo(line)
    click.echo(f"{directory}: {len(jsonschema.render())} files, {len(changed)} changed")
