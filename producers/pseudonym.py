"""Keyed pseudonyms at the edge (domain.md §8.1): a CPR number goes in, a token comes out.

HMAC-SHA256 with a key from settings (`PATHWATCH_PRIVACY__PSEUDONYM_KEY`), never from code.
Tokens are RFC 4648 base32 (letters and the digits 2-7), so a token can never look like a CPR
number, whose month field needs a 0 or a 1.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from pydantic import SecretStr

PREFIXES = {"citizen": "cz", "pathway": "pw", "actor": "ac", "company": "co"}


class MissingKeyError(RuntimeError):
    """No pseudonym key is configured."""


class Pseudonymiser:
    """Derives stable, non-reversible tokens per kind of identifier."""

    def __init__(self, key: SecretStr) -> None:
        secret = key.get_secret_value()
        if len(secret) < 16:
            raise MissingKeyError(
                "set PATHWATCH_PRIVACY__PSEUDONYM_KEY to a secret of at least 16 characters"
            )
        self._key = secret.encode()

    def token(self, kind: str, identifier: str) -> str:
        """`<prefix>_<32 base32 chars>` for `identifier`; the same input gives the same token."""
        prefix = PREFIXES[kind]
        mac = hmac.new(self._key, f"{kind}:{identifier}".encode(), hashlib.sha256).digest()
        return f"{prefix}_{base64.b32encode(mac[:20]).decode()}"
