"""decode(): every failure becomes a dead letter with a specific reason."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from schemas.deadletter import DeadLetter, Reason
from schemas.decode import (
    EARLIEST_EVENT_DATE,
    MAX_MESSAGE_BYTES,
    Coordinates,
    dead_letter_key,
    decode,
)
from schemas.events import ContactInitiated
from schemas.reference import municipalities, region_of
from tests.factories import T0, contact, offer

WHERE = Coordinates("t", 2, 41)
NOW = T0 + timedelta(days=1)


def enc(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def reason_of(raw: bytes | None) -> Reason:
    result = decode(raw, WHERE, NOW)
    assert isinstance(result, DeadLetter), result
    assert (result.source_topic, result.source_partition, result.source_offset) == ("t", 2, 41)
    return result.reason


def test_valid_event_decodes() -> None:
    result = decode(enc(contact()), WHERE, NOW)
    assert isinstance(result, ContactInitiated)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (None, Reason.EMPTY),
        (b"", Reason.EMPTY),
        (b"\xff\xfe{", Reason.INVALID_UTF8),
        (b"{not json", Reason.MALFORMED_JSON),
        (b"[1, 2]", Reason.NOT_AN_OBJECT),
        (b"x" * (MAX_MESSAGE_BYTES + 1), Reason.OVERSIZED),
    ],
)
def test_bytes_level_failures(raw: bytes | None, reason: Reason) -> None:
    assert reason_of(raw) is reason


def test_contract_level_failures() -> None:
    assert reason_of(enc({**contact(), "event_type": "made.up"})) is Reason.UNKNOWN_EVENT_TYPE
    assert reason_of(enc(contact(schema_version=7))) is Reason.FUTURE_SCHEMA_VERSION
    missing = contact()
    del missing["channel"]
    assert reason_of(enc(missing)) is Reason.MISSING_FIELD
    assert reason_of(enc(contact(channel=5))) is Reason.VALIDATION_ERROR  # not one of the enum
    assert reason_of(enc(contact(extra_field="x"))) is Reason.UNEXPECTED_FIELD
    assert reason_of(enc(contact(occurred_at="2024-03-04T09:30:00"))) is Reason.NAIVE_TIMESTAMP
    assert reason_of(enc(contact(job_centre_id=["jc_153"]))) is Reason.WRONG_TYPE
    assert reason_of(enc(offer(planned_weeks="twelve"))) is Reason.WRONG_TYPE
    assert reason_of(enc(offer(planned_weeks=1.5))) is Reason.WRONG_TYPE
    assert reason_of(enc(contact(event_id="not-a-uuid"))) is Reason.WRONG_TYPE
    # Two kinds of error in one message: the generic reason, the detail names both fields.
    both = contact(extra_field="x")
    del both["channel"]
    result = decode(enc(both), WHERE, NOW)
    assert isinstance(result, DeadLetter)
    assert result.reason is Reason.VALIDATION_ERROR
    assert "channel" in result.detail
    assert "extra_field" in result.detail


def test_future_timestamp() -> None:
    future = datetime(2030, 1, 1, tzinfo=UTC)
    assert reason_of(enc(contact(at=future))) is Reason.TIMESTAMP_IN_FUTURE


def test_timestamp_before_the_reference_data() -> None:
    # 2006-12-31 23:30 UTC is already 2007-01-01 in Copenhagen: the first accepted instant.
    first = datetime(2006, 12, 31, 23, 0, tzinfo=UTC)
    assert isinstance(decode(enc(contact(at=first)), WHERE, NOW), ContactInitiated)
    assert reason_of(enc(contact(at=first - timedelta(seconds=1)))) is Reason.TIMESTAMP_TOO_OLD
    # A number where a timestamp belongs is read as epoch seconds: 1970, also too old.
    assert reason_of(enc(contact(occurred_at=1_700))) is Reason.TIMESTAMP_TOO_OLD


def test_every_municipality_has_a_region_from_the_earliest_accepted_date() -> None:
    # The guard above is only right if the reference data cover that first day (§2.3).
    for code in municipalities():
        assert region_of(code, EARLIEST_EVENT_DATE).region_code
        assert region_of(code, datetime.now(UTC).date()).region_code


def test_validation_detail_names_fields_without_values() -> None:
    result = decode(enc(contact(channel="TELEPATHY")), WHERE, NOW)
    assert isinstance(result, DeadLetter)
    assert "channel" in result.detail
    assert "TELEPATHY" not in result.detail


@pytest.mark.parametrize(
    "raw",
    [
        enc(contact(job_centre_id="0101701234")),
        b'{"broken": "010170-1234"',  # even in malformed JSON
    ],
)
def test_cpr_is_dead_lettered_and_not_kept(raw: bytes) -> None:
    result = decode(raw, WHERE, NOW)
    assert isinstance(result, DeadLetter)
    assert result.reason is Reason.CPR_DETECTED
    assert result.payload is None
    assert "0101701234" not in result.model_dump_json()
    assert "010170-1234" not in result.model_dump_json()


def test_cpr_hidden_by_json_unicode_escapes_is_rejected_and_not_kept() -> None:
    payload = contact()
    # "110190-1234" with its digits written as JSON \u escapes: invisible to the raw-text scan.
    escaped = "".join(f"\\u{ord(c):04x}" for c in "110190") + "-1234"
    raw = json.dumps(payload).replace('"jc_153"', f'"{escaped}"').encode()
    result = decode(raw, Coordinates("t", 0, 0), datetime.now(UTC))
    assert isinstance(result, DeadLetter)
    assert result.reason is Reason.CPR_DETECTED
    assert result.payload is None
    assert "1234" not in result.model_dump_json()


def test_dead_letter_key_drops_a_cpr_shaped_key() -> None:
    assert dead_letter_key(b"pw_000123") == b"pw_000123"
    assert dead_letter_key(b"0101701234") is None
    assert dead_letter_key(b"pw-010170-1234") is None
    assert dead_letter_key(b"\xff0101701234") is None
    assert dead_letter_key(None) is None
