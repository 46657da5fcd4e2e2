"""Bytes in, a typed event or a dead letter out: the only place that catches ValidationError."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import orjson
from pydantic import ValidationError

from schemas.deadletter import DeadLetter, Reason
from schemas.envelope import RAW_TEXT_SCANNED, UNKNOWN_MUNICIPALITY, Envelope
from schemas.events.registry import FutureSchemaVersion, UnknownEventType, upcast
from schemas.privacy import CPR_MARKER, find_cpr, looks_like_cpr

MAX_MESSAGE_BYTES = 64 * 1024
# Clocks of source systems drift; an event more than this far ahead of the pipeline's clock
# is a data error (a typo in a year), not an early event.
MAX_FUTURE_SKEW = timedelta(hours=1)
# The employment-region reference data (§2.3) begin with the 2007 reform that created the job
# centres; an event dated before it (a mistyped year, an epoch number read as seconds) has no
# region, and folding it would crash the agent on every retry (issue 7).
EARLIEST_EVENT_DATE = date(2007, 1, 1)
LOCAL_TZ = ZoneInfo("Europe/Copenhagen")  # regions are looked up on the Danish local date

# A CPR match (schemas/privacy.py) starts with six digits in a row (DDMMYY), and removing UUIDs
# before the scan only puts "-" between characters, so a text without six digits in a row
# cannot match. Most messages have none; they skip the full scan, which was half of decode
# (docs/benchmarks.md). Same `\d` (Unicode digits) as the CPR pattern.
SIX_DIGITS = re.compile(r"\d{6}")


def may_hold_cpr(text: str) -> bool:
    """False only if `text` certainly holds no CPR-like value (then find_cpr finds none)."""
    return SIX_DIGITS.search(text) is not None


@dataclass(frozen=True)
class Coordinates:
    """Where a message came from."""

    topic: str
    partition: int
    offset: int


def _describe(exc: ValidationError) -> str:
    """Field paths and messages only: pydantic's str() would echo the input values."""
    parts = []
    for err in exc.errors(include_url=False, include_input=False, include_context=False):
        loc = ".".join(str(p) for p in err["loc"]) or "<root>"
        parts.append(f"{loc}: {err['msg']}")
    return "; ".join(parts)[:2000]


# pydantic error types -> the specific reason they give when they are a message's only errors.
_KINDS = {
    UNKNOWN_MUNICIPALITY: Reason.UNKNOWN_MUNICIPALITY,
    "missing": Reason.MISSING_FIELD,
    "extra_forbidden": Reason.UNEXPECTED_FIELD,
    "timezone_aware": Reason.NAIVE_TIMESTAMP,
}


def _kind(error_type: str) -> Reason:
    """The reason of one pydantic error type: `*_type`/`*_parsing` are wrong JSON types."""
    if error_type in _KINDS:
        return _KINDS[error_type]
    if error_type.endswith(("_type", "_parsing")) or error_type == "int_from_float":
        return Reason.WRONG_TYPE
    return Reason.VALIDATION_ERROR


def _reason(exc: ValidationError) -> Reason:
    """A specific reason when every error is of one known kind, else the generic one."""
    kinds = {_kind(err["type"]) for err in exc.errors(include_url=False, include_input=False)}
    return kinds.pop() if len(kinds) == 1 else Reason.VALIDATION_ERROR


def decode(raw: bytes | None, where: Coordinates, now: datetime) -> Envelope | DeadLetter:
    """Decode and validate one Kafka message value; every failure becomes a dead letter."""

    def dead(reason: Reason, detail: str, keep_payload: bool = True) -> DeadLetter:
        text: str | None = None
        if keep_payload and raw is not None:
            text = raw.decode("utf-8", errors="strict")[:MAX_MESSAGE_BYTES]
        return DeadLetter(
            reason=reason,
            detail=detail,
            source_topic=where.topic,
            source_partition=where.partition,
            source_offset=where.offset,
            payload=text,
        )

    if not raw:
        return dead(Reason.EMPTY, "message value is empty", keep_payload=False)
    if len(raw) > MAX_MESSAGE_BYTES:
        return dead(
            Reason.OVERSIZED, f"{len(raw)} bytes > limit {MAX_MESSAGE_BYTES}", keep_payload=False
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return dead(Reason.INVALID_UTF8, f"invalid UTF-8 at byte {exc.start}", keep_payload=False)
    # Scan the raw text before parsing, so a CPR number in a broken message is not kept either.
    if may_hold_cpr(text) and find_cpr(text) is not None:
        return dead(
            Reason.CPR_DETECTED,
            "a value shaped like a CPR number was found; message withheld (domain.md §8)",
            keep_payload=False,
        )
    try:
        payload: Any = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        return dead(Reason.MALFORMED_JSON, f"malformed JSON: {exc.msg} at position {exc.pos}")
    if not isinstance(payload, dict):
        return dead(Reason.NOT_AN_OBJECT, f"expected a JSON object, got {type(payload).__name__}")
    try:
        cls, lifted = upcast(payload)
    except UnknownEventType as exc:
        return dead(Reason.UNKNOWN_EVENT_TYPE, str(exc))
    except FutureSchemaVersion as exc:
        return dead(Reason.FUTURE_SCHEMA_VERSION, str(exc))
    try:
        # The raw-text scan above saw every value unless JSON \\u escapes hid digits from it;
        # only then does the model repeat the scan field by field (issue 8: it was 85% of decode).
        scanned = b"\\u" not in raw
        event = cls.model_validate(lifted, context={RAW_TEXT_SCANNED: scanned})
    except ValidationError as exc:
        detail = _describe(exc)
        if CPR_MARKER in detail:
            # A CPR hidden from the raw-text scan (JSON \\u escapes): never keep the message.
            return dead(Reason.CPR_DETECTED, detail, keep_payload=False)
        return dead(_reason(exc), detail)
    if event.occurred_at > now + MAX_FUTURE_SKEW:
        return dead(
            Reason.TIMESTAMP_IN_FUTURE,
            f"occurred_at {event.occurred_at.isoformat()} is ahead of the pipeline clock",
        )
    if event.occurred_at.astimezone(LOCAL_TZ).date() < EARLIEST_EVENT_DATE:
        return dead(
            Reason.TIMESTAMP_TOO_OLD,
            f"occurred_at {event.occurred_at.isoformat()} is before {EARLIEST_EVENT_DATE}, "
            "where the reference data (employment regions, §2.3) begin",
        )
    return event


def dead_letter_key(key: bytes | None) -> bytes | None:
    """The Kafka key a dead letter may carry: none if the source's key looks like a CPR (§8.1)."""
    if key is None or looks_like_cpr(key.decode("utf-8", errors="replace")):
        return None
    return key
