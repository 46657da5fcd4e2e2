"""Dead letters: what failed, why, and where it came from. Never a CPR number."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Reason(StrEnum):
    """Why a message was dead-lettered; a bounded set, used as a metric label."""

    EMPTY = "empty"
    OVERSIZED = "oversized"
    INVALID_UTF8 = "invalid_utf8"
    MALFORMED_JSON = "malformed_json"
    NOT_AN_OBJECT = "not_an_object"
    CPR_DETECTED = "cpr_detected"
    UNKNOWN_EVENT_TYPE = "unknown_event_type"
    FUTURE_SCHEMA_VERSION = "future_schema_version"
    VALIDATION_ERROR = "validation_error"  # several kinds of error, or a value out of range
    # One kind of validation error only (issue 7); the detail names the fields, never values.
    MISSING_FIELD = "missing_field"
    UNEXPECTED_FIELD = "unexpected_field"  # the contract rejects unknown fields (extra=forbid)
    WRONG_TYPE = "wrong_type"  # e.g. a list where a string belongs, "x" for an integer
    NAIVE_TIMESTAMP = "naive_timestamp"  # a timestamp without UTC offset (§4.1)
    UNKNOWN_MUNICIPALITY = "unknown_municipality"  # valid shape, not one of the 98 (§2.2)
    TIMESTAMP_IN_FUTURE = "timestamp_in_future"
    TIMESTAMP_TOO_OLD = "timestamp_too_old"  # before the reference data start (2007, §2.3)
    # A record on an internal topic (facts, alerts, progress, dead letters) that a sink cannot
    # read: a worker/sink version mismatch or a foreign writer, never a source system's error.
    INVALID_INTERNAL_RECORD = "invalid_internal_record"


class DeadLetter(BaseModel):
    """A rejected message with its reason and Kafka coordinates."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    reason: Reason
    detail: str
    source_topic: str
    source_partition: int
    source_offset: int
    # The original message text, withheld (None) when it may hold a CPR number or is not text.
    payload: str | None = None
