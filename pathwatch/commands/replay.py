"""`pathwatch replay FILE`: JSON Lines or CSV events onto the raw topic (docs/replay.md)."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command("replay")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "jsonl", "csv"]),
    default="auto",
    show_default=True,
    help="Input format; auto = csv for *.csv, JSON Lines otherwise.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Also write the rejected lines (line number and reason) to this JSON file.",
)
@click.pass_context
def command(ctx: click.Context, file: Path, fmt: str, report: Path | None) -> None:
    """Validate each line as the worker would and send the valid ones, keyed by pathway id.

    Rejected lines are listed on stderr by line number and reason, never with their content.
    A `citizen_cpr` field is replaced by the keyed pseudonym (PATHWATCH_PRIVACY__PSEUDONYM_KEY)
    before anything else. Exit code 0 even when lines are rejected.
    """
    from pathwatch.settings import Settings
    from pathwatch.topics import ensure_topics
    from producers.emitter import Emitter
    from producers.pseudonym import MissingKeyError, Pseudonymiser
    from producers.replay import Format, Replayer, count_lines, detect_format, read_records

    settings: Settings = ctx.obj
    form = detect_format(file) if fmt == "auto" else Format(fmt)
    ensure_topics(settings)
    total = count_lines(file)
    with Emitter(settings) as emitter:
        replayer = Replayer(
            emitter, lambda: Pseudonymiser(settings.privacy.pseudonym_key), source=file.name
        )
        done = 0
        stderr = click.get_text_stream("stderr")
        with click.progressbar(length=max(total, 1), label=file.name, file=stderr) as bar:
            for record in read_records(file, form):
                try:
                    rejected = replayer.replay(record)
                except MissingKeyError as exc:
                    raise click.ClickException(
                        f"line {record.line} carries citizen_cpr: {exc} "
                        f"(stopped after {replayer.result.summary()})"
                    ) from exc
                if rejected is not None:
                    click.echo(
                        f"line {rejected.line}: {rejected.reason}: {rejected.detail}", err=True
                    )
                bar.update(record.line - done)
                done = record.line
    result = replayer.result
    if report is not None:
        report.write_text(json.dumps(result.report(file, emitter.topic), indent=2) + "\n")
    click.echo(f"{result.summary()} ({file.name} -> {emitter.topic})")
