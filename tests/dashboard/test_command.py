"""`pathwatch dashboard add-user` as docs/dashboard.md shows it (serve runs in the e2e tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dashboard.auth import Scope, load_users, verify_password
from pathwatch.cli import cli


@pytest.fixture
def users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "users.toml"
    monkeypatch.setenv("PATHWATCH_DASHBOARD__USERS_FILE", str(path))
    return path


def test_add_user_commands_of_the_docs(users: Path) -> None:
    runner = CliRunner()
    for args, password in (
        (["--scope", "region", "--code", "RAR_FYN", "fyn"], "pw-fyn-1"),
        (["--scope", "municipality", "--code", "153", "brondby"], "pw-brondby-2"),
        (["--scope", "national", "star"], "pw-star-3"),
    ):
        # The password prompt asks twice (confirmation).
        result = runner.invoke(cli, ["dashboard", "add-user", *args], input=f"{password}\n" * 2)
        assert result.exit_code == 0, result.output
    got = load_users(users)
    assert got["fyn"].scope == Scope("region", "RAR_FYN")
    assert got["brondby"].scope == Scope("municipality", "153")
    assert got["star"].scope == Scope("national")
    assert verify_password("pw-brondby-2", got["brondby"].password_hash)
    assert "pw-" not in users.read_text()


def test_add_user_refuses_an_unknown_region(users: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["dashboard", "add-user", "x", "--scope", "region", "--code", "RAR_MARS"],
        env={"PATHWATCH_DASHBOARD_PASSWORD": "pw"},
    )
    assert result.exit_code != 0
    assert "unknown region" in result.output
    assert not users.exists()


def test_serve_help_shows_env_vars() -> None:
    result = CliRunner().invoke(cli, ["dashboard", "serve", "--help"])
    assert "PATHWATCH_DASHBOARD__PORT" in result.output
