"""The `pathwatch` command line."""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

import click

from pathwatch import PROJECT_ROOT, logconfig
from pathwatch.settings import Settings, get_settings

logger = logging.getLogger("pathwatch.cli")


def _settings(ctx: click.Context) -> Settings:
    obj: Settings = ctx.obj
    return obj


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--log-level", envvar="PATHWATCH_LOG_LEVEL", default="INFO", show_envvar=True)
@click.pass_context
def cli(ctx: click.Context, log_level: str) -> None:
    """Pathwatch: citizen pathways in Danish job centres, as they happen.

    Settings come from PATHWATCH_<SECTION>__<FIELD> environment variables; see `pathwatch config`.
    """
    logconfig.configure(log_level)
    ctx.obj = get_settings()


@cli.command()
@click.pass_context
def config(ctx: click.Context) -> None:
    """Print the effective settings (secrets masked)."""
    click.echo(json.dumps(_settings(ctx).masked(), indent=2))


@cli.group()
def stack() -> None:
    """The local Kafka broker and ClickHouse server."""


@stack.command("up")
@click.pass_context
def stack_up(ctx: click.Context) -> None:
    """Install (if needed) and start Kafka and ClickHouse; wait until both accept connections."""
    from pathwatch import stack as st

    try:
        for line in st.up(_settings(ctx)):
            click.echo(line)
    except st.StackError as exc:
        raise click.ClickException(str(exc)) from exc


@stack.command("down")
@click.pass_context
def stack_down(ctx: click.Context) -> None:
    """Stop pipeline processes, ClickHouse and Kafka."""
    from pathwatch import procs
    from pathwatch import stack as st

    settings = _settings(ctx)
    # "sink-facts" is the name demos before `sink all` used; stop it too if still running.
    for name in ("dashboard", "simulator", "sinks", "sink-facts", "worker"):
        if procs.stop(settings, name):
            click.echo(f"{name}: stopped")
    for line in st.down(settings):
        click.echo(line)


@stack.command("status")
@click.pass_context
def stack_status(ctx: click.Context) -> None:
    """Show whether each service runs."""
    from pathwatch import procs
    from pathwatch import stack as st

    settings = _settings(ctx)
    for line in st.status(settings):
        click.echo(line)
    for name in ("worker", "sinks", "simulator", "dashboard"):
        pid = procs.running(settings, name)
        click.echo(f"{name}: " + (f"running (pid {pid})" if pid else "not running"))


@cli.command()
@click.option("--database", default=None, help="Override PATHWATCH_CLICKHOUSE__DATABASE.")
@click.option("--cluster", default=None, help="Cluster name: Replicated + Distributed DDL.")
@click.option("--print", "print_only", is_flag=True, help="Print the DDL instead of applying it.")
@click.pass_context
def migrate(
    ctx: click.Context, database: str | None, cluster: str | None, print_only: bool
) -> None:
    """Apply versioned ClickHouse DDL from deploy/clickhouse/migrations (idempotent)."""
    from consumers.clickhouse import connect
    from pathwatch import migrate as mig

    settings = _settings(ctx)
    db = database or settings.clickhouse.database
    if cluster or print_only:
        from pathwatch.cluster import cluster_statements

        if not (cluster and print_only):
            raise click.UsageError("use --cluster NAME together with --print (review, then apply)")
        found = mig.load(settings.stack.deploy_dir / "clickhouse" / "migrations")
        for statement in cluster_statements(found, db, cluster):
            click.echo(statement + ";\n")
        return
    client = connect(settings, database="default")
    migrations = mig.load(settings.stack.deploy_dir / "clickhouse" / "migrations")
    applied = mig.apply(lambda sql: list(client.execute(sql)), db, migrations)
    click.echo(f"{db}: {len(applied)} migration(s) applied, {len(migrations)} known")


@cli.command()
@click.pass_context
def topics(ctx: click.Context) -> None:
    """Create the namespace's Kafka topics if missing."""
    from pathwatch.topics import ensure_topics

    created = ensure_topics(_settings(ctx))
    click.echo(f"created: {', '.join(created) or 'none (all exist)'}")


@cli.command()
@click.option(
    "--processes",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Worker processes in the consumer group, one core each (pathwatch/workers.py).",
)
@click.pass_context
def worker(ctx: click.Context, processes: int) -> None:
    """Run the Faust stream worker (same as `faust -A streams.app worker`)."""
    from pathwatch.topics import ensure_topics

    settings = _settings(ctx)
    ensure_topics(settings)
    if processes > 1:
        from pathwatch import workers

        sys.exit(workers.run(settings, processes))
    from streams.app import app

    web = settings.streams
    # The worker command's own flags decide whether Faust's web server runs.
    web_args = (
        ["--web-host", "127.0.0.1", "--web-port", str(web.web_port)]
        if web.web_enabled
        else ["--without-web"]
    )
    sys.argv = ["pathwatch-worker", "worker", "--loglevel", "info", *web_args]
    app.main()


@cli.command("emit-sample")
@click.option("--pathways", default=200, show_default=True, help="Number of pathways.")
@click.option("--seed", default=1, show_default=True)
@click.pass_context
def emit_sample(ctx: click.Context, pathways: int, seed: int) -> None:
    """Emit a small deterministic batch of pathway events (E1, E3, E12)."""
    from pathwatch.topics import ensure_topics
    from producers.emitter import Emitter
    from producers.sample import sample_events

    settings = _settings(ctx)
    ensure_topics(settings)
    events = sample_events(pathways, seed=seed)
    with Emitter(settings) as emitter:
        for event in events:
            emitter.emit(event)
    click.echo(f"emitted {len(events)} events for {pathways} pathways to {emitter.topic}")


FACTS_SUMMARY = """
SELECT municipality_code,
       count() AS pathways,
       countIf(days_to_first_company_placement IS NOT NULL) AS placed,
       round(avg(days_to_first_company_placement), 1) AS mean_days_to_placement
FROM {db}.pathway_facts FINAL
GROUP BY municipality_code
ORDER BY municipality_code
"""


@cli.command()
@click.pass_context
def facts(ctx: click.Context) -> None:
    """Summarise pathway facts in ClickHouse by municipality (M04)."""
    from consumers.clickhouse import connect

    settings = _settings(ctx)
    rows = connect(settings).execute(FACTS_SUMMARY.format(db=settings.clickhouse.database))
    click.echo(f"{'municipality':>12} {'pathways':>9} {'placed':>7} {'mean days':>10}")
    for muni, n, placed, mean in rows:
        click.echo(f"{muni:>12} {n:>9} {placed:>7} {mean!s:>10}")


@cli.command()
@click.option("--pathways", default=200, show_default=True)
@click.option("--timeout", default=180.0, show_default=True, help="Seconds to wait for facts.")
@click.option(
    "--speed",
    default=86400.0,
    show_default=True,
    help="Live simulator: simulated seconds per wall second (86400 = a day per second).",
)
@click.pass_context
def demo(ctx: click.Context, pathways: int, timeout: float, speed: float) -> None:
    """Stack up, migrate, start worker and sink, emit events, show facts; serve the dashboard."""
    from consumers.clickhouse import connect
    from pathwatch import procs

    settings = _settings(ctx)
    ctx.invoke(stack_up)
    ctx.invoke(migrate)
    ctx.invoke(topics)
    for name, args in (("worker", ["worker"]), ("sinks", ["sink", "all"])):
        pid = procs.spawn(settings, name, args)
        click.echo(f"{name}: running (pid {pid}), log {procs.log_path(settings, name)}")
    ctx.invoke(emit_sample, pathways=pathways, seed=1)
    client = connect(settings)
    query = f"SELECT count() FROM {settings.clickhouse.database}.pathway_facts FINAL"
    deadline = time.monotonic() + timeout
    count = 0
    while time.monotonic() < deadline:
        count = int(client.execute(query)[0][0])
        if count >= pathways:
            break
        for name in ("worker", "sinks"):
            if procs.running(settings, name) is None:
                raise click.ClickException(f"{name} exited; see {procs.log_path(settings, name)}")
        time.sleep(1)
    if count < pathways:
        raise click.ClickException(
            f"only {count}/{pathways} pathway facts reached ClickHouse after {timeout:.0f}s; "
            f"see logs in {settings.stack.state_dir}/logs"
        )
    ctx.invoke(facts)
    ch = settings.clickhouse
    click.echo(
        f"\n{count} pathway facts are in ClickHouse ({ch.host}:{ch.port}, "
        f"database {ch.database}).\nLook at them with:\n"
        f"  .venv/bin/pathwatch facts\n"
        f"  clickhouse-client --port {ch.port} -q "
        f"'SELECT * FROM {ch.database}.pathway_facts FINAL LIMIT 10'\n"
        f"Worker and sink keep running; stop everything with `make down`. "
        f"(project: {PROJECT_ROOT})"
    )
    _demo_dashboard(settings, client, speed)


def _demo_dashboard(settings: Settings, client: Any, speed: float) -> None:
    """Paced simulator feeding the pipeline, dashboard serving it; print URL and two logins."""
    from dashboard import demo as dd
    from pathwatch import procs

    sim = ["simulate", "--scenario", "national", "--mode", "paced", "--speed", str(speed)]
    for name, args in (("simulator", sim), ("dashboard", ["dashboard", "serve"])):
        pid = procs.spawn(settings, name, args)
        click.echo(f"{name}: running (pid {pid}), log {procs.log_path(settings, name)}")
    region = dd.busiest_region(client.execute, settings.clickhouse.database)
    logins = dd.demo_logins(settings, region)
    url = f"http://{settings.dashboard.host}:{settings.dashboard.port}/"
    alive = lambda: procs.running(settings, "dashboard") is not None  # noqa: E731
    if not dd.wait_healthy(url.rstrip("/"), 30, alive):
        raise click.ClickException(
            f"dashboard did not start; see {procs.log_path(settings, 'dashboard')}"
        )
    click.echo(f"\nDashboard (live, simulated data flowing at {speed:g}x): {url}")
    for name, password, scope in logins:
        where = f"{scope.level} {scope.code}".strip()
        click.echo(f"  {where + ' login:':<32} user {name}  password {password}")


def _register_plugins() -> None:
    """Add every `command` found in a `pathwatch.commands.<name>` module to the CLI.

    Each subcommand lives in its own module so that adding one touches no shared file.
    """
    import importlib
    import pkgutil

    from pathwatch import commands

    for info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"pathwatch.commands.{info.name}")
        command = getattr(module, "command", None)
        if isinstance(command, click.Command):
            cli.add_command(command)


_register_plugins()


def main() -> None:
    """Console-script entry point."""
    cli()


if __name__ == "__main__":
    main()
