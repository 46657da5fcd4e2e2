"""What `pathwatch demo` needs for the dashboard: two fresh logins and a health wait."""

from __future__ import annotations

import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Sequence
from typing import Any

from dashboard.auth import Scope, add_user
from pathwatch.settings import Settings

DEFAULT_REGION = "RAR_HOVEDSTADEN"


def busiest_region(execute: Callable[[str], Sequence[Sequence[Any]]], db: str) -> str:
    """The region with the most pathways so far (the demo's regional login), or a default."""
    rows = execute(
        f"SELECT region_code, count() AS n FROM {db}.pathway_facts FINAL "
        "WHERE region_code LIKE 'RAR_%' GROUP BY region_code ORDER BY n DESC, region_code LIMIT 1"
    )
    return str(rows[0][0]) if rows else DEFAULT_REGION


def demo_logins(settings: Settings, region: str) -> list[tuple[str, str, Scope]]:
    """Create (or replace) one regional and one national demo user with new random passwords."""
    logins = [
        ("region-demo", secrets.token_urlsafe(9), Scope("region", region)),
        ("national-demo", secrets.token_urlsafe(9), Scope("national")),
    ]
    for name, password, scope in logins:
        add_user(settings.dashboard.users_file, name, scope, password)
    return logins


def wait_healthy(url: str, timeout: float, alive: Callable[[], bool]) -> bool:
    """True once GET url/health answers 200; False on timeout or when `alive()` turns False."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive():
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    return False
