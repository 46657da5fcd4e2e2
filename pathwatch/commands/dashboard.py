"""`pathwatch dashboard`: serve the web dashboard; manage its users (docs/dashboard.md)."""

from __future__ import annotations

import click

from pathwatch.settings import Settings


@click.group("dashboard")
def command() -> None:
    """The live dashboard for employment offices (reads ClickHouse, never Kafka)."""


@command.command("serve")
@click.option("--host", envvar="PATHWATCH_DASHBOARD__HOST", show_envvar=True, default=None)
@click.option(
    "--port", envvar="PATHWATCH_DASHBOARD__PORT", show_envvar=True, type=int, default=None
)
@click.pass_obj
def serve(settings: Settings, host: str | None, port: int | None) -> None:
    """Serve pages and the read API until stopped (SIGTERM or Ctrl-C)."""
    from aiohttp import web

    from dashboard.app import make_app
    from dashboard.auth import UsersFileError, load_users

    dash = settings.dashboard
    host, port = host or dash.host, port or dash.port
    try:
        users = load_users(dash.users_file)
    except UsersFileError as exc:
        raise click.ClickException(str(exc)) from exc
    if not users:
        click.echo(
            f"no users in {dash.users_file} yet: add one with `pathwatch dashboard add-user`"
        )
    click.echo(f"dashboard on http://{host}:{port}/ ({len(users)} users in {dash.users_file})")
    web.run_app(make_app(settings), host=host, port=port, print=None, access_log=None)


@command.command("add-user")
@click.argument("name")
@click.option(
    "--scope",
    "level",
    type=click.Choice(["national", "region", "municipality"]),
    required=True,
    help="What the user may see.",
)
@click.option("--code", default="", help="Region code (e.g. RAR_HOVEDSTADEN) or municipality code.")
@click.password_option(
    "--password", envvar="PATHWATCH_DASHBOARD_PASSWORD", help="Asked for when not given."
)
@click.pass_obj
def add_user(settings: Settings, name: str, level: str, code: str, password: str) -> None:
    """Add or replace a user in the users file (the password is stored as a scrypt hash)."""
    from dashboard.auth import Scope, UsersFileError
    from dashboard.auth import add_user as add

    try:
        add(settings.dashboard.users_file, name, Scope(level, code), password)  # type: ignore[arg-type]
    except UsersFileError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"{name}: {level} {code} -> {settings.dashboard.users_file}")
