"""The read API on the real server: login, scope (403), suppression, no anonymous data."""

from __future__ import annotations

import base64
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.dashboard.conftest import Dashboard

pytestmark = pytest.mark.e2e

STATIC = Path(__file__).resolve().parents[2] / "dashboard" / "static"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def call(dash: Dashboard, path: str, user: str | None = None, **kw: Any) -> tuple[int, Any]:
    """(status, parsed JSON or text) of a GET, as `user` via HTTP Basic, or anonymously."""
    req = urllib.request.Request(dash.url + path, **kw)
    if user:
        token = base64.b64encode(f"{user}:{dash.password(user)}".encode()).decode()
        req.add_header("Authorization", f"Basic {token}")
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=20) as r:
            body = r.read().decode()
            status = r.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read().decode(), exc.code
    try:
        return status, json.loads(body)
    except json.JSONDecodeError:
        return status, body


def test_only_health_is_anonymous(dashboard: Dashboard) -> None:
    assert call(dashboard, "/health") == (200, {"status": "ok"})
    for path in ("/api/national/overview", "/api/region/RAR_HOVEDSTADEN/overview", "/api/me"):
        assert call(dashboard, path)[0] == 401
    assert call(dashboard, "/region/RAR_HOVEDSTADEN")[0] == 302  # to the login form
    assert call(dashboard, "/static/app.js")[0] == 302
    wrong = base64.b64encode(b"hovedstaden:not-the-password").decode()
    status, _ = call(
        dashboard,
        "/api/region/RAR_HOVEDSTADEN/overview",
        headers={"Authorization": f"Basic {wrong}"},
    )
    assert status == 401


@pytest.mark.parametrize(
    ("user", "path", "status"),
    [
        ("hovedstaden", "/api/region/RAR_HOVEDSTADEN/overview", 200),
        ("hovedstaden", "/api/municipality/153/overview", 200),
        ("hovedstaden", "/api/region/RAR_FYN/overview", 403),
        ("hovedstaden", "/api/municipality/461/overview", 403),
        ("hovedstaden", "/api/municipality/461/alerts", 403),
        ("hovedstaden", "/api/region/RAR_HOVEDSTADEN/alerts?municipality=461", 403),
        ("hovedstaden", "/api/national/overview", 403),
        ("hovedstaden", "/region/RAR_FYN", 403),
        ("fyn", "/api/region/RAR_HOVEDSTADEN/overview", 403),
        ("fyn", "/api/municipality/461/overview", 200),
        ("brondby", "/api/municipality/153/overview", 200),
        ("brondby", "/api/municipality/101/overview", 403),
        ("brondby", "/api/region/RAR_HOVEDSTADEN/overview", 403),
        ("national", "/api/region/RAR_FYN/overview", 200),
        ("national", "/api/national/overview", 200),
        ("national", "/api/region/rar_fyn';DROP/overview", 400),
    ],
)
def test_scope_is_enforced_on_the_server(
    dashboard: Dashboard, user: str, path: str, status: int
) -> None:
    assert call(dashboard, path, user)[0] == status


def test_region_overview_figures_and_suppression(dashboard: Dashboard) -> None:
    status, data = call(dashboard, "/api/region/RAR_HOVEDSTADEN/overview", "hovedstaden")
    assert status == 200
    # factories: 60 + 30 + 3 pathways in Hovedstaden; Odense's 20 are not there.
    assert data["headline"]["citizens"]["value"] == 93
    units = {u["unit"]: u for u in data["breakdown"]}
    assert set(units) == {"101", "153", "161"}
    assert units["101"]["citizens"]["value"] == 60
    # Glostrup has 3 citizens: every figure of it is suppressed (or over nobody), no count leaks.
    figures = {k: f for k, f in units["161"].items() if isinstance(f, dict)}
    assert figures["citizens"] == {"value": None, "n": None, "suppressed": True}
    assert figures["m01"] == {"value": None, "n": None, "suppressed": True}
    assert all(f["suppressed"] or f["n"] == 0 for f in figures.values()), figures
    assert data["watermark"]["complete_up_to"] == 1751284800  # 2025-06-30 12:00 UTC
    assert data["trial"]["arms"]["TREATMENT"]["citizens"]["value"] == 15

    status, national = call(dashboard, "/api/national/overview", "national")
    assert {u["unit"] for u in national["breakdown"]} == {"RAR_HOVEDSTADEN", "RAR_FYN"}


def test_alerts_filter_and_sort(dashboard: Dashboard) -> None:
    base = "/api/region/RAR_HOVEDSTADEN/alerts"
    _, all_alerts = call(dashboard, base, "hovedstaden")
    ages = [a["age_days"] for a in all_alerts["alerts"]]
    assert ages == sorted(ages, reverse=True)
    assert ages
    assert {a["municipality_code"] for a in all_alerts["alerts"]} <= {"101", "153", "161"}
    _, a23 = call(dashboard, f"{base}?rule=A23&sort=age&order=asc", "hovedstaden")
    assert {a["rule_id"] for a in a23["alerts"]} == {"A23"}
    _, brondby = call(dashboard, f"{base}?municipality=153", "hovedstaden")
    assert {a["municipality_code"] for a in brondby["alerts"]} == {"153"}
    assert all(re.fullmatch(r"pw_\d{3}_\d{4}", a["pathway_id"]) for a in all_alerts["alerts"])


def test_login_form_sets_a_session(dashboard: Dashboard) -> None:
    form = urllib.parse.urlencode({"user": "brondby", "password": "wrong", "next": "/"}).encode()
    assert call(dashboard, "/login", data=form)[0] == 401
    form = urllib.parse.urlencode(
        {"user": "brondby", "password": dashboard.password("brondby"), "next": "/"}
    ).encode()
    req = urllib.request.Request(dashboard.url + "/login", data=form)
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as found:
        opener.open(req, timeout=20)
    assert found.value.code == 302
    assert found.value.headers["Location"] == "/municipality/153"
    cookie = found.value.headers["Set-Cookie"].split(";")[0]
    assert "HttpOnly" in found.value.headers["Set-Cookie"]
    status, me = call(dashboard, "/api/me", headers={"Cookie": cookie})
    assert status == 200
    assert me["scope"] == {"level": "municipality", "code": "153"}


def test_static_files_load_nothing_from_elsewhere() -> None:
    for path in STATIC.iterdir():
        text = path.read_text()
        # The only absolute URL allowed is the SVG namespace, an identifier, not a download.
        urls = set(re.findall(r"(?:https?:)?//[A-Za-z0-9.-]+\.[a-z]{2,}[^\s\"')]*", text))
        assert urls <= {"http://www.w3.org/2000/svg"}, f"{path.name}: {urls}"
        assert "@import" not in text
