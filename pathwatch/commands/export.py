"""`pathwatch export`: an event log of a region or cohort for process-mining tools."""

from __future__ import annotations

from pathlib import Path

import click

from pathwatch.settings import Settings


@click.command("export")
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "xes", "ocel"]), required=True, help="Log format."
)
@click.option("--region", default=None, help="Region code (pathway_facts.region_code).")
@click.option("--municipality", default=None, help="Three-digit municipality code.")
@click.option("--cohort", default=None, help="Entry month YYYY-MM (month of first contact).")
@click.option(
    "--out", "out", type=click.Path(path_type=Path), default=None, help="File; - = stdout."
)
@click.pass_obj
def command(
    settings: Settings,
    fmt: str,
    region: str | None,
    municipality: str | None,
    cohort: str | None,
    out: Path | None,
) -> None:
    """Write raw events of the selected pathways as CSV, XES or OCEL 2.0 JSON."""
    from consumers.clickhouse import connect
    from pathwatch import export

    selection = export.Selection(region=region, municipality=municipality, cohort_month=cohort)
    events = export.query(connect(settings), settings.clickhouse.database, selection)
    text = export.FORMATS[fmt](events)
    if out is None or str(out) == "-":
        click.echo(text, nl=False)
    else:
        out.write_text(text)
        cases = len({e.case_id for e in events})
        click.echo(f"{len(events)} events of {cases} pathways written to {out}", err=True)
