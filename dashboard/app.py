"""The dashboard web app (aiohttp): pages, the read API, login and server-side scope checks.

Everything but /health, the login form and its stylesheet needs a logged-in user (session
cookie from /login, or HTTP Basic for API clients). Every page and API path names its scope
(/region/<code>, /api/municipality/<code>/...) and is answered 403 outside the user's scope.
All scripts, styles and charts are files under dashboard/static (no CDN; CSP 'self').
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import html
import logging
import secrets
import time
import urllib.parse
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import web

from dashboard.auth import LEVELS, Level, User, load_users, verify_password
from dashboard.service import Service
from dashboard.sql import BadSelection, Selection, check_code
from pathwatch.settings import Settings

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
COOKIE = "pathwatch_session"
PUBLIC = {"/health", "/login", "/static/style.css"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass
class Session:
    """A logged-in browser."""

    user: User
    expires: float


class Users:
    """The users file, re-read when it changes (add-user needs no restart)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._mtime = -1.0
        self._users: dict[str, User] = {}

    def get(self, name: str) -> User | None:
        """The user named `name`, from the current file."""
        mtime = self.path.stat().st_mtime if self.path.exists() else 0.0
        if mtime != self._mtime:
            self._users, self._mtime = load_users(self.path), mtime
        return self._users.get(name)


USERS: web.AppKey[Users] = web.AppKey("users", Users)
SERVICE: web.AppKey[Service] = web.AppKey("service", Service)
SESSIONS: web.AppKey[dict[str, Session]] = web.AppKey("sessions", dict)
POOL: web.AppKey[ThreadPoolExecutor] = web.AppKey("pool", ThreadPoolExecutor)
SETTINGS: web.AppKey[Settings] = web.AppKey("settings", Settings)
USER: web.RequestKey[User] = web.RequestKey("user", User)


async def _in_pool(request: web.Request, fn: Callable[..., Any], *args: Any) -> Any:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(request.app[POOL], fn, *args)


async def _check_login(request: web.Request, name: str, password: str) -> User | None:
    user = request.app[USERS].get(name)
    if user is None:
        # Same cost as a real check, so timing does not tell which names exist.
        await _in_pool(request, verify_password, password, _DUMMY_HASH)
        return None
    ok = await _in_pool(request, verify_password, password, user.password_hash)
    return user if ok else None


def _session_user(request: web.Request) -> User | None:
    token = request.cookies.get(COOKIE)
    sessions = request.app[SESSIONS]
    if token and token in sessions:
        session = sessions[token]
        if session.expires > time.time():
            return session.user
        sessions.pop(token, None)
    return None


async def _basic_user(request: web.Request) -> User | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    try:
        name, _, password = base64.b64decode(header[6:]).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return await _check_login(request, name, password)


@web.middleware
async def security(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Authenticate every non-public path; set security headers on every answer."""
    if request.path not in PUBLIC:
        user = _session_user(request) or await _basic_user(request)
        if user is None:
            if request.path.startswith("/api/"):
                raise web.HTTPUnauthorized(
                    text='{"error": "login required"}', content_type="application/json"
                )
            raise web.HTTPFound(f"/login?next={urllib.parse.quote(request.path_qs)}")
        request[USER] = user
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        _headers(request, exc)
        raise
    _headers(request, response)
    return response


def _headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    if request.path.startswith("/api/"):
        response.headers["Cache-Control"] = "no-store"


def _scope(request: web.Request, level: str, code: str) -> tuple[Level, str]:
    """The (level, code) of the path; 400 if malformed, 403 outside the user's scope."""
    if level not in LEVELS:
        raise web.HTTPNotFound()
    lv: Level = level  # narrowed by the LEVELS check above
    try:
        check_code(lv, code)
    except BadSelection as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc
    user: User = request[USER]
    if not user.scope.allows(lv, code):
        logger.warning("user %s denied %s %s", user.name, lv, code)
        if request.path.startswith("/api/"):
            raise web.HTTPForbidden(
                text='{"error": "outside your scope"}', content_type="application/json"
            )
        raise web.HTTPForbidden(
            text=_page("forbidden.html", home=user.scope.home), content_type="text/html"
        )
    return lv, code


def _page(name: str, **values: str) -> str:
    text = (STATIC / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", html.escape(value))
    return text


async def health(request: web.Request) -> web.Response:
    """Liveness without data (the only anonymous endpoint besides the login form)."""
    return web.json_response({"status": "ok"})


async def login_form(request: web.Request) -> web.Response:
    """The login page."""
    return web.Response(
        text=_page("login.html", error="", next=request.query.get("next", "/")),
        content_type="text/html",
    )


async def login(request: web.Request) -> web.Response:
    """Check name and password; set a session cookie and go to the user's page."""
    form = await request.post()
    name, password = str(form.get("user", "")), str(form.get("password", ""))
    nxt = str(form.get("next", "/"))
    user = await _check_login(request, name, password)
    if user is None:
        await asyncio.sleep(0.3)
        return web.Response(
            status=401,
            text=_page("login.html", error="Wrong user name or password.", next=nxt),
            content_type="text/html",
        )
    token = secrets.token_urlsafe(32)
    hours = request.app[SETTINGS].dashboard.session_hours
    sessions = request.app[SESSIONS]
    for old in [t for t, sess in sessions.items() if sess.expires <= time.time()]:
        del sessions[old]
    sessions[token] = Session(user, time.time() + hours * 3600)
    # Only a path on this site: no scheme, no host, no backslash tricks (open redirect).
    safe = nxt.startswith("/") and not nxt.startswith("//") and "\\" not in nxt
    target = nxt if safe else "/"
    response = web.HTTPFound(target if target != "/" else user.scope.home)
    response.set_cookie(
        COOKIE,
        token,
        httponly=True,
        samesite="Strict",
        secure=request.app[SETTINGS].dashboard.secure_cookie,
        max_age=int(hours * 3600),
    )
    logger.info("user %s logged in", user.name)
    raise response


async def logout(request: web.Request) -> web.Response:
    """End the session."""
    request.app[SESSIONS].pop(request.cookies.get(COOKIE, ""), None)
    response = web.HTTPFound("/login")
    response.del_cookie(COOKIE)
    raise response


async def home(request: web.Request) -> web.Response:
    """Send the user to their scope's page."""
    raise web.HTTPFound(request[USER].scope.home)


async def page(request: web.Request) -> web.Response:
    """The dashboard page of a scope (the data comes from the API, polled)."""
    _scope(request, request.match_info.get("level", "national"), request.match_info.get("code", ""))
    return web.Response(text=_page("index.html"), content_type="text/html")


def _selection(request: web.Request) -> Selection:
    info = request.match_info
    level, code = _scope(request, info.get("level", "national"), info.get("code", ""))
    try:
        return Selection(level, code, request.query.get("cohort") or None)
    except BadSelection as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc


async def _read(request: web.Request, fn: Callable[[], Any]) -> Any:
    """Run a read in the pool; ClickHouse being unreachable is a 503, not a crash."""
    from clickhouse_driver import errors as ch_errors

    try:
        return await _in_pool(request, fn)
    except (ch_errors.Error, OSError, EOFError) as exc:
        logger.warning("ClickHouse read failed: %s", type(exc).__name__)
        raise web.HTTPServiceUnavailable(
            text='{"error": "ClickHouse unavailable, retrying"}', content_type="application/json"
        ) from exc


async def api_overview(request: web.Request) -> web.Response:
    """Every panel of a scope (and optional ?cohort=YYYY-MM)."""
    sel = _selection(request)
    data = await _read(request, lambda: request.app[SERVICE].overview(sel))
    return web.json_response(data)


async def api_alerts(request: web.Request) -> web.Response:
    """Open alerts of a scope: ?rule=A03&state=DUE&municipality=153&sort=age&order=desc."""
    sel = _selection(request)
    q = request.query
    filters = {
        "rule": q.get("rule") or None,
        "state": q.get("state") or None,
        "municipality": q.get("municipality") or None,
        "sort": q.get("sort", "age"),
        "descending": q.get("order", "desc") != "asc",
    }
    if filters["municipality"] and not request[USER].scope.allows(
        "municipality", str(filters["municipality"])
    ):
        raise web.HTTPForbidden(
            text='{"error": "outside your scope"}', content_type="application/json"
        )
    try:
        data = await _read(request, lambda: request.app[SERVICE].alerts(sel, **filters))
    except (BadSelection, ValueError) as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc
    # §8.10: reads of citizen-level lists are logged (who, which scope; never identifiers).
    logger.info("user %s read open alerts of %s %s", request[USER].name, sel.level, sel.code)
    return web.json_response(data)


async def api_me(request: web.Request) -> web.Response:
    """Who is logged in, their scope and the page poll interval."""
    user: User = request[USER]
    settings = request.app[SETTINGS].dashboard
    return web.json_response(
        {
            "user": user.name,
            "scope": {"level": user.scope.level, "code": user.scope.code},
            "home": user.scope.home,
            "poll_seconds": settings.poll_seconds,
            "min_cell": settings.min_cell,
        }
    )


def make_app(settings: Settings, service: Service | None = None) -> web.Application:
    """The web application (routes, middleware, shared state)."""
    app = web.Application(middlewares=[security])
    app[SETTINGS] = settings
    app[USERS] = Users(settings.dashboard.users_file)
    app[SERVICE] = service or Service(settings)
    app[SESSIONS] = {}
    app[POOL] = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dashboard-ch")

    async def close_pool(app: web.Application) -> None:
        app[POOL].shutdown(wait=False, cancel_futures=True)
        app[SERVICE].close()

    app.on_cleanup.append(close_pool)
    app.router.add_static("/static/", STATIC, show_index=False)
    app.router.add_get("/health", health)
    app.router.add_get("/login", login_form)
    app.router.add_post("/login", login)
    app.router.add_post("/logout", logout)
    app.router.add_get("/api/me", api_me)
    app.router.add_get("/api/national/overview", api_overview)
    app.router.add_get("/api/national/alerts", api_alerts)
    app.router.add_get("/api/{level}/{code}/overview", api_overview)
    app.router.add_get("/api/{level}/{code}/alerts", api_alerts)
    app.router.add_get("/", home)
    app.router.add_get("/national", page)
    # Last: the scope pages /region/<code> and /municipality/<code>.
    app.router.add_get("/{level}/{code}", page)
    return app


_DUMMY_HASH = (
    "scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
)
