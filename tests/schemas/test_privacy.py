"""CPR detection (domain.md §8.1)."""

import pytest

from schemas.privacy import find_cpr, looks_like_cpr


@pytest.mark.parametrize(
    "text", ["0101701234", "010170-1234", "id 311299-9999 here", "x1512851111y"]
)
def test_cpr_shapes_are_found(text: str) -> None:
    assert looks_like_cpr(text)


@pytest.mark.parametrize(
    "text",
    [
        "3201701234",  # day 32
        "0113701234",  # month 13
        "01017012345",  # eleven digits
        "pw_1_000123",
        "2024-03-04T09:30:00+00:00",
        "6f1c2a7e-9d4b-4c1e-8b7a-0a1b2c3d4e5f",
    ],
)
def test_non_cpr_values_pass(text: str) -> None:
    assert not looks_like_cpr(text)


def test_uuids_never_look_like_cpr() -> None:
    # 12-hex-digit group holding a CPR-shaped run: must not trip the check.
    assert not looks_like_cpr("6f1c2a7e-9d4b-4c1e-8b7a-a010170123b4")
    assert looks_like_cpr("6f1c2a7e-9d4b-4c1e-8b7a-a010170123b4 and 0101701234")


def test_find_cpr_names_the_field_not_the_value() -> None:
    payload = {"a": "ok", "nested": {"list": ["fine", "020202-2222"]}}
    path = find_cpr(payload)
    assert path == "nested.list[1]"
    assert find_cpr({"a": "ok"}) is None
