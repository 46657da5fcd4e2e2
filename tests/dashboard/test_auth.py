"""Users file, scrypt hashes and scope rules (issue 6.4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.auth import (
    Scope,
    UsersFileError,
    add_user,
    hash_password,
    load_users,
    verify_password,
)


def test_password_hash_verifies_only_the_password() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$")
    assert "correct horse" not in stored
    assert verify_password("correct horse", stored)
    assert not verify_password("correct hors", stored)
    assert not verify_password("correct horse", "scrypt$garbage")
    # Salted: the same password hashes differently twice.
    assert hash_password("correct horse") != stored


def test_region_scope_covers_its_municipalities_only() -> None:
    hovedstaden = Scope("region", "RAR_HOVEDSTADEN")
    assert hovedstaden.allows("region", "RAR_HOVEDSTADEN")
    assert hovedstaden.allows("municipality", "101")  # København
    assert hovedstaden.allows("municipality", "153")  # Brøndby
    assert not hovedstaden.allows("region", "RAR_FYN")
    assert not hovedstaden.allows("municipality", "461")  # Odense, RAR Fyn
    assert not hovedstaden.allows("national", "")
    # The 2007-2014 region of the same municipalities is a different scope.
    old = Scope("region", "BR_HS")
    assert old.allows("municipality", "153")
    assert not old.allows("region", "RAR_HOVEDSTADEN")


def test_municipality_and_national_scopes() -> None:
    brondby = Scope("municipality", "153")
    assert brondby.allows("municipality", "153")
    assert not brondby.allows("municipality", "159")
    assert not brondby.allows("region", "RAR_HOVEDSTADEN")
    national = Scope("national")
    assert national.allows("region", "RAR_FYN")
    assert national.allows("municipality", "461")
    assert national.home == "/national"
    assert brondby.home == "/municipality/153"


def test_users_file_round_trip_keeps_no_plain_password(tmp_path: Path) -> None:
    path = tmp_path / "users.toml"
    add_user(path, "fyn", Scope("region", "RAR_FYN"), "s3cret-pw")
    add_user(path, "nat", Scope("national"), "other-pw")
    text = path.read_text()
    assert "s3cret-pw" not in text
    assert "other-pw" not in text
    assert path.stat().st_mode & 0o077 == 0
    users = load_users(path)
    assert users["fyn"].scope == Scope("region", "RAR_FYN")
    assert verify_password("s3cret-pw", users["fyn"].password_hash)
    assert users["nat"].scope == Scope("national")


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('scope = "region"\ncode = "NOWHERE"\npassword = "scrypt$x"', "unknown region"),
        ('scope = "municipality"\ncode = "999"\npassword = "scrypt$x"', "unknown municipality"),
        ('scope = "root"\npassword = "scrypt$x"', "scope"),
        ('scope = "national"\npassword = "plain"', "scrypt hash"),
    ],
)
def test_users_file_errors_say_where(tmp_path: Path, entry: str, message: str) -> None:
    path = tmp_path / "users.toml"
    path.write_text(f"[users.someone]\n{entry}\n")
    with pytest.raises(UsersFileError, match=message):
        load_users(path)


def test_missing_users_file_means_nobody(tmp_path: Path) -> None:
    assert load_users(tmp_path / "absent.toml") == {}
