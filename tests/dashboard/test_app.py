"""The web app in-process (no ClickHouse): 401/403 before any query, 503 when ClickHouse is gone."""

from __future__ import annotations

import asyncio
import base64
import socket
import urllib.parse
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from dashboard.app import make_app
from dashboard.auth import Scope, add_user
from pathwatch.settings import ClickHouseSettings, DashboardSettings, Settings


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _settings(tmp_path: Path) -> Settings:
    users = tmp_path / "users.toml"
    add_user(users, "fyn", Scope("region", "RAR_FYN"), "pw-fyn")
    # Nothing listens on this port: every ClickHouse read fails.
    return Settings(
        clickhouse=ClickHouseSettings(port=_unused_port()),
        dashboard=DashboardSettings(users_file=users),
    )


def test_answers_without_clickhouse(tmp_path: Path) -> None:
    settings = _settings(tmp_path)

    async def run() -> dict[str, int]:
        async with TestClient(TestServer(make_app(settings))) as client:
            auth = {"Authorization": "Basic " + base64.b64encode(b"fyn:pw-fyn").decode()}
            got = {}
            anon: dict[str, str] = {}
            for name, path, headers in (
                ("health", "/health", anon),
                ("anonymous", "/api/region/RAR_FYN/overview", anon),
                ("other_region", "/api/region/RAR_HOVEDSTADEN/overview", auth),
                ("other_page", "/municipality/101", auth),
                ("bad_code", "/api/region/x%27/overview", auth),
                ("bad_cohort", "/api/region/RAR_FYN/overview?cohort=2025-13", auth),
                ("own_region", "/api/region/RAR_FYN/overview", auth),
                ("own_page", "/region/RAR_FYN", auth),
            ):
                r = await client.get(path, allow_redirects=False, headers=headers)
                got[name] = r.status
                if name == "own_page":
                    assert "default-src 'self'" in r.headers["Content-Security-Policy"]
            return got

    assert asyncio.run(run()) == {
        "health": 200,
        "anonymous": 401,
        "other_region": 403,
        "other_page": 403,
        "bad_code": 400,
        "bad_cohort": 400,
        "own_region": 503,  # allowed, but ClickHouse is unreachable
        "own_page": 200,  # the page itself needs no data; it polls the API
    }


def test_login_redirects_only_within_the_site(tmp_path: Path) -> None:
    settings = _settings(tmp_path)

    async def run() -> list[str]:
        async with TestClient(TestServer(make_app(settings))) as client:
            out = []
            for nxt in ("/region/RAR_FYN?cohort=2025-01", "//evil.example", "/\\evil.example", "/"):
                r = await client.post(
                    "/login",
                    data={"user": "fyn", "password": "pw-fyn", "next": nxt},
                    allow_redirects=False,
                )
                assert r.status == 302
                out.append(r.headers["Location"])
            client.session.cookie_jar.clear()  # log out: the next request is anonymous
            anonymous = await client.get(
                "/region/RAR_FYN?cohort=2025-01&x=1", allow_redirects=False
            )
            where = urllib.parse.urlsplit(anonymous.headers["Location"])
            out.append(f"{where.path} next={urllib.parse.parse_qs(where.query)['next'][0]}")
            return out

    assert asyncio.run(run()) == [
        "/region/RAR_FYN?cohort=2025-01",
        "/region/RAR_FYN",  # not another host: the user's home instead
        "/region/RAR_FYN",
        "/region/RAR_FYN",
        "/login next=/region/RAR_FYN?cohort=2025-01&x=1",  # the whole path and query kept
    ]
