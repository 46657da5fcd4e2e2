"""Fixtures for the dashboard tests: the real stack (tests/e2e) and a running dashboard server."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard.auth import Scope, add_user
from tests.dashboard import factories
from tests.e2e.conftest import Pipeline, pipeline, stack_up  # noqa: F401  (fixtures)

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"

# One login per scope the tests need; passwords are made up for the test run.
LOGINS = {
    "hovedstaden": (Scope("region", factories.REGION), "hovedstaden-pw-1"),
    "fyn": (Scope("region", factories.OTHER_REGION), "fyn-pw-2"),
    "brondby": (Scope("municipality", "153"), "brondby-pw-3"),
    "national": (Scope("national"), "national-pw-4"),
}


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Dashboard:
    """A dashboard server on its own port over the test's private database."""

    url: str
    pipe: Pipeline

    def password(self, user: str) -> str:
        """The test password of `user`."""
        return LOGINS[user][1]


def _wait_healthy(url: str, pipe: Pipeline, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise AssertionError(f"dashboard did not start:\n{pipe.log_text('dashboard')}")


@pytest.fixture
def dashboard(pipeline: Pipeline, tmp_path: Path) -> Dashboard:  # noqa: F811
    """Migrated database with the synthetic population, users file, server running.

    The `pipeline` fixture stops the server at the end of the test.
    """
    pipeline.cli("migrate")
    facts = factories.population()
    factories.load(pipeline.settings, facts, factories.alerts_for(facts), [factories.watermark()])
    users = tmp_path / "users.toml"
    for name, (scope, password) in LOGINS.items():
        add_user(users, name, scope, password)
    port = free_port()
    pipeline.env["PATHWATCH_DASHBOARD__USERS_FILE"] = str(users)
    pipeline.env["PATHWATCH_DASHBOARD__POLL_SECONDS"] = "1"
    pipeline.start("dashboard", "dashboard", "serve", "--port", str(port))
    url = f"http://127.0.0.1:{port}"
    _wait_healthy(url, pipeline)
    return Dashboard(url, pipeline)
