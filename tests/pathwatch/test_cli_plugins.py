"""Subcommands in pathwatch/commands/ are registered without touching cli.py."""

from click.testing import CliRunner

from pathwatch.cli import cli
from schemas.events import EVENT_TYPES


def test_plugin_command_is_registered_and_runs() -> None:
    result = CliRunner().invoke(cli, ["version"])
    assert result.exit_code == 0, result.output
    for name in EVENT_TYPES:
        assert name in result.output
