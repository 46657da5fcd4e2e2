"""decode()'s CPR prefilter never hides a CPR-like value from the full scan (issue 8)."""

from __future__ import annotations

import uuid

from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.decode import may_hold_cpr
from schemas.privacy import looks_like_cpr

# Digits (ASCII and other Unicode digits), separators, hex letters and JSON punctuation: the
# characters that make or break a CPR match and the UUIDs removed before it.
ALPHABET = st.sampled_from(list('0123456789012345-  abcdefABCDEF":,{}T\u0661\u0967'))
PIECES = st.one_of(
    st.text(ALPHABET, max_size=30),
    st.uuids().map(str),
    st.sampled_from(["0101001234", "010100-1234", "3112991234", "310199 1234"]),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=8).map("".join))
def test_prefilter_false_means_no_cpr(text: str) -> None:
    if not may_hold_cpr(text):
        assert not looks_like_cpr(text)


def test_prefilter_lets_cpr_shapes_through() -> None:
    for text in ("x0101001234y", '{"a": "010100-1234"}', "\u0661" * 10):
        assert may_hold_cpr(text)
    # A CPR glued between UUIDs is still caught by the full scan behind the prefilter.
    glued = f"{uuid.UUID(int=7)}0101001234{uuid.UUID(int=9)}"
    assert may_hold_cpr(glued)
    assert looks_like_cpr(glued)


def test_typical_event_text_skips_the_full_scan() -> None:
    text = '{"occurred_at":"2016-01-04T08:44:00Z","municipality_code":"751","id":"jc_751"}'
    assert not may_hold_cpr(text)
