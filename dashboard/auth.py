"""Dashboard users: one scope each (national, one region or one municipality), scrypt hashes.

The users file is TOML, one table per user (docs/dashboard.md):

    [users.hovedstaden]
    scope = "region"            # "national" | "region" | "municipality"
    code = "RAR_HOVEDSTADEN"    # region_code or three-digit municipality code; "" for national
    password = "scrypt$16384$8$1$<salt b64>$<hash b64>"

Passwords are only ever stored as salted scrypt hashes (hashlib, stdlib); `pathwatch dashboard
add-user` writes them. Which data a scope may see is decided here, on the server (issue 6.4).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dashboard import regions

Level = Literal["national", "region", "municipality"]
LEVELS: tuple[Level, ...] = ("national", "region", "municipality")

# scrypt cost: n=2**14, r=8 (about 16 MB and a few tens of ms per check), OWASP's minimum.
_N, _R, _P = 2**14, 8, 1
_NAME = re.compile(r"^[a-z0-9][a-z0-9_.-]{0,63}$")


def hash_password(password: str) -> str:
    """A salted scrypt hash, `scrypt$n$r$p$salt$hash` (base64)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def verify_password(password: str, stored: str) -> bool:
    """True if `password` matches the stored hash (constant-time comparison)."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        want = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode(),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(want),
        )
    except ValueError:
        return False
    return hmac.compare_digest(got, want)


@dataclass(frozen=True)
class Scope:
    """What one user may see: everything, one region, or one municipality."""

    level: Level
    code: str = ""

    def allows(self, level: Level, code: str) -> bool:
        """May this scope read the figures of (level, code)?"""
        if self.level == "national":
            return True
        if self.level == "region":
            if level == "region":
                return code == self.code
            return level == "municipality" and code in regions.municipalities_of(self.code)
        return level == "municipality" and code == self.code

    @property
    def home(self) -> str:
        """The page this user lands on."""
        return "/national" if self.level == "national" else f"/{self.level}/{self.code}"


@dataclass(frozen=True)
class User:
    """A configured dashboard user."""

    name: str
    scope: Scope
    password_hash: str


class UsersFileError(ValueError):
    """The users file is malformed (message says where)."""


def _user(name: str, entry: object) -> User:
    if not _NAME.match(name):
        raise UsersFileError(f"user name {name!r}: use a-z, 0-9, '_', '.', '-'")
    if not isinstance(entry, dict):
        raise UsersFileError(f"users.{name}: expected a table")
    level, code, pw = entry.get("scope"), str(entry.get("code", "")), entry.get("password")
    if level not in LEVELS:
        raise UsersFileError(f"users.{name}.scope: one of {', '.join(LEVELS)}")
    if not isinstance(pw, str) or not pw.startswith("scrypt$"):
        raise UsersFileError(f"users.{name}.password: a scrypt hash (pathwatch dashboard add-user)")
    if level == "region" and code not in regions.names():
        raise UsersFileError(f"users.{name}.code: unknown region {code!r}")
    if level == "municipality" and not regions.is_municipality(code):
        raise UsersFileError(f"users.{name}.code: unknown municipality {code!r}")
    if level == "national":
        code = ""
    return User(name=name, scope=Scope(level, code), password_hash=pw)


def load_users(path: Path) -> dict[str, User]:
    """All users of the file; a missing file means no users (nobody can log in)."""
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsersFileError(f"{path}: {exc}") from exc
    table = data.get("users", {})
    if not isinstance(table, dict):
        raise UsersFileError(f"{path}: [users] must be a table")
    return {name: _user(name, entry) for name, entry in table.items()}


def _toml_string(value: str) -> str:
    # A JSON string with ASCII escapes is a valid TOML basic string.
    return json.dumps(value)


def write_users(path: Path, users: dict[str, User]) -> None:
    """Write the users file (mode 0600: it holds password hashes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Pathwatch dashboard users (docs/dashboard.md). Passwords are scrypt hashes.", ""]
    for name in sorted(users):
        user = users[name]
        lines += [
            f"[users.{_toml_string(name)}]",
            f"scope = {_toml_string(user.scope.level)}",
            f"code = {_toml_string(user.scope.code)}",
            f"password = {_toml_string(user.password_hash)}",
            "",
        ]
    path.touch(mode=0o600, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


def add_user(path: Path, name: str, scope: Scope, password: str) -> None:
    """Add or replace one user in the file."""
    users = load_users(path)
    users[name] = _user(
        name, {"scope": scope.level, "code": scope.code, "password": hash_password(password)}
    )
    write_users(path, users)
