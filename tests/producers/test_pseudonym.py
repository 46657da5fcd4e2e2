"""Pseudonyms: keyed, stable, distinct per kind, never CPR-shaped."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from producers.pseudonym import MissingKeyError, Pseudonymiser
from schemas.privacy import looks_like_cpr

KEY = SecretStr("test-key-0123456789abcdef")


def test_stable_and_keyed() -> None:
    p = Pseudonymiser(KEY)
    token = p.token("citizen", "0101701234")
    assert token == p.token("citizen", "0101701234")
    assert token != Pseudonymiser(SecretStr("another-key-0123456789")).token(
        "citizen", "0101701234"
    )
    assert token != p.token("pathway", "0101701234")
    assert token.startswith("cz_")
    assert "0101701234" not in token


def test_tokens_never_look_like_cpr() -> None:
    p = Pseudonymiser(KEY)
    for n in range(5000):
        assert not looks_like_cpr(p.token("citizen", f"{n:010d}"))


def test_short_or_missing_key_is_refused() -> None:
    with pytest.raises(MissingKeyError, match="PSEUDONYM_KEY"):
        Pseudonymiser(SecretStr(""))
