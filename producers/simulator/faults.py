"""Fault injection: late, out-of-order, duplicate, corrected, invalid messages (docs/simulator.md).

Faults are drawn per pathway from their own random stream, so changing a fault rate never
changes the valid events of a run. Invalid messages are extra messages (the valid event is
still sent); each kind produces one dead-letter reason of schemas/decode.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import orjson

from schemas.deadletter import Reason

INVALID_KINDS: tuple[Reason, ...] = (
    Reason.MALFORMED_JSON,
    Reason.NOT_AN_OBJECT,
    Reason.UNKNOWN_EVENT_TYPE,
    Reason.FUTURE_SCHEMA_VERSION,
    Reason.VALIDATION_ERROR,
    Reason.CPR_DETECTED,
    Reason.TIMESTAMP_IN_FUTURE,
    Reason.EMPTY,
    Reason.OVERSIZED,
)
# A made-up CPR-shaped value: day 01, month 01 (never a real person's number in a test).
FAKE_CPR = "0101001234"


@dataclass(frozen=True)
class Rates:
    """Per-event probabilities of each fault."""

    late: float = 0.0
    out_of_order: float = 0.0
    duplicate: float = 0.0
    invalid: float = 0.0
    late_days_max: int = 21  # register data arrive weeks late (§5.2 alert design notes)
    # A wrong version (occurred_at 1-14 days early) is sent first and the event itself follows as
    # its correction (§4.1 supersedes_event_id); sometimes a chain of two wrong versions.
    correction: float = 0.0


@dataclass(frozen=True)
class Message:
    """One Kafka message: when it is delivered (simulated time), key, value, and what it is."""

    deliver_at: datetime
    key: str
    value: bytes
    kind: str  # "event", "duplicate", "superseded", or a dead-letter reason for invalid ones


def _dump(payload: object) -> bytes:
    # orjson (3.13) returns each bytes object inside an ~8 KB allocation; a national run keeps
    # millions of messages queued until their delivery time, so copy each to its own size
    # (about 10x less memory: `make scale`, docs/benchmarks.md).
    return bytes(memoryview(orjson.dumps(payload)))


def invalid_value(kind: Reason, payload: dict[str, Any], rng: random.Random) -> bytes:
    """A message that decode() turns into a dead letter with reason `kind`."""
    bad = dict(payload, event_id=str(_uuid(rng)))
    if kind is Reason.MALFORMED_JSON:
        return _dump(bad)[:-7]
    if kind is Reason.NOT_AN_OBJECT:
        return _dump([bad["event_type"], bad["pathway_id"]])
    if kind is Reason.UNKNOWN_EVENT_TYPE:
        return _dump(dict(bad, event_type="citizen.teleported"))
    if kind is Reason.FUTURE_SCHEMA_VERSION:
        return _dump(dict(bad, schema_version=99))
    if kind is Reason.VALIDATION_ERROR:
        return _dump(dict(bad, municipality_code="MUNICIPALITY?"))
    if kind is Reason.CPR_DETECTED:
        return _dump(dict(bad, citizen_id=FAKE_CPR))
    if kind is Reason.TIMESTAMP_IN_FUTURE:
        return _dump(dict(bad, occurred_at="2999-01-01T00:00:00Z"))
    if kind is Reason.EMPTY:
        return b""
    if kind is Reason.OVERSIZED:
        return _dump(dict(bad, job_centre_id="x" * (70 * 1024)))
    raise ValueError(f"no invalid message for {kind}")


def _uuid(rng: random.Random) -> object:
    import uuid

    return uuid.UUID(int=rng.getrandbits(128), version=4)


def corrected(
    payload: dict[str, Any], at: datetime, rng: random.Random
) -> tuple[dict[str, Any], list[Message]]:
    """The payload as a correction, and the wrong versions it supersedes (a chain of 1-2)."""
    key, wrong, previous = payload["pathway_id"], [], None
    # The wrong versions are sent first; the correction supersedes the last of them.
    occurred = datetime.fromisoformat(payload["occurred_at"])
    for _ in range(rng.randint(1, 2)):
        early = occurred - timedelta(days=rng.randint(1, 14), minutes=rng.randint(0, 600))
        bad = dict(payload, event_id=str(_uuid(rng)), occurred_at=early.isoformat())
        if previous is not None:
            bad["supersedes_event_id"] = previous
        wrong.append(Message(at, key, _dump(bad), "superseded"))
        previous = bad["event_id"]
    return dict(payload, supersedes_event_id=previous), wrong


def apply(
    payloads: list[dict[str, Any]],
    delivered: list[datetime],
    rates: Rates,
    rng: random.Random,
    kinds: tuple[Reason, ...] = INVALID_KINDS,
) -> list[Message]:
    """Messages for one pathway's payloads (in occurred order) with faults applied."""
    msgs: list[Message] = []
    times = list(delivered)
    for i in range(len(times) - 1):
        # Out of order: swap delivery with the pathway's next event (same key, same partition).
        if rates.out_of_order and rng.random() < rates.out_of_order:
            times[i], times[i + 1] = times[i + 1] + timedelta(seconds=1), times[i]
    for payload, at in zip(payloads, times, strict=True):
        key = payload["pathway_id"]
        if rates.late and rng.random() < rates.late:
            at = at + timedelta(days=rng.randint(1, rates.late_days_max))
        if rates.correction and rng.random() < rates.correction:
            payload, wrong = corrected(payload, at, rng)
            msgs += wrong
            at = at + timedelta(minutes=rng.randint(1, 600))  # the correction comes later
        value = _dump(payload)
        msgs.append(Message(at, key, value, "event"))
        if rates.duplicate and rng.random() < rates.duplicate:
            msgs.append(
                Message(at + timedelta(minutes=rng.randint(1, 120)), key, value, "duplicate")
            )
        if rates.invalid and rng.random() < rates.invalid:
            kind = kinds[rng.randrange(len(kinds))]
            bad = invalid_value(kind, payload, rng)
            msgs.append(Message(at + timedelta(seconds=rng.randint(1, 600)), key, bad, kind.value))
    return msgs
