"""The bad-input cases of issue 7: what a messy source system sends, and what must happen.

Each case is one Kafka message on the raw topic and the dead-letter reason it must get, or
None when the event is accepted. Expectations are written from the contract (domain.md §4.1,
§8; docs/reliability.md), not computed with the decoder under test.
"""

from __future__ import annotations

import json
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from schemas.deadletter import Reason
from schemas.events import EVENT_TYPES
from tests.factories import T0, contact, offer
from tests.reliability.support import scenario_messages

R = Reason


@dataclass(frozen=True)
class Case:
    """One message: its name, Kafka key and value, and the reason it must be dead-lettered."""

    name: str
    key: str
    value: bytes
    reason: Reason | None  # None: accepted and applied (or ignored as a duplicate)


def fake_cpr(rng: random.Random) -> str:
    """A CPR-shaped number (plausible day and month), different in every test run."""
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    return f"{day:02d}{month:02d}{rng.randint(0, 99):02d}{rng.randint(0, 9999):04d}"


def _pid(name: str) -> str:
    return f"pw_case_{name}".replace("-", "_")


def _dump(payload: dict[str, Any]) -> bytes:
    return orjson.dumps(payload)


def _exit_payload(pathway_id: str, at: datetime) -> dict[str, Any]:
    """A pathway.exited (E29) shaped like the simulator's, moved onto our pathway and date."""
    for msg in scenario_messages():
        if msg.kind != "event" or b'"pathway.exited"' not in msg.value:
            continue
        payload: dict[str, Any] = orjson.loads(msg.value)
        payload.update(
            event_id=str(uuid.uuid4()),
            pathway_id=pathway_id,
            citizen_id="cz_case_exit_0001",
            municipality_code="153",
            job_centre_id="jc_153",
            occurred_at=at.isoformat(),
            recorded_at=(at + timedelta(hours=1)).isoformat(),
            exit_date=at.date().isoformat(),
        )
        return payload
    raise AssertionError("the simulator produced no pathway.exited")


def _bad(name: str, payload: dict[str, Any] | bytes, reason: Reason) -> Case:
    value = payload if isinstance(payload, bytes) else _dump(payload)
    return Case(name, f"case-{name}", value, reason)


def bad_input_cases(cpr: str, now: datetime) -> list[Case]:
    """Every case of issue 7 item 4, in sending order; `cpr` is a fake CPR-shaped number."""
    dashed = f"{cpr[:6]}-{cpr[6:]}"
    hidden = "".join(f"\\u{ord(c):04x}" for c in cpr)
    missing = contact(pathway_id=_pid("missing"))
    del missing["channel"]
    cases = [
        _bad(
            "malformed-json",
            b'{"event_type": "contact.initiated", "pathway_id": ',
            R.MALFORMED_JSON,
        ),
        _bad("invalid-utf8", b'{"event_type": "contact.initiated\xff\xfe"}', R.INVALID_UTF8),
        _bad("empty", b"", R.EMPTY),
        _bad("not-an-object", b'["contact.initiated", "pw_case"]', R.NOT_AN_OBJECT),
        _bad(
            "unknown-event-type",
            {**contact(), "event_type": "citizen.teleported"},
            R.UNKNOWN_EVENT_TYPE,
        ),
        _bad("missing-field", missing, R.MISSING_FIELD),
        _bad(
            "unexpected-field", contact(pathway_id=_pid("extra"), shoe_size=42), R.UNEXPECTED_FIELD
        ),
        _bad(
            "wrong-type", contact(pathway_id=_pid("type"), job_centre_id=["jc_153"]), R.WRONG_TYPE
        ),
        _bad("naive-timestamp", contact(occurred_at="2024-03-04T09:30:00"), R.NAIVE_TIMESTAMP),
        _bad("far-future", contact(at=now + timedelta(days=30)), R.TIMESTAMP_IN_FUTURE),
        _bad("far-past", contact(at=datetime(1999, 1, 1, tzinfo=UTC)), R.TIMESTAMP_TOO_OLD),
        _bad("epoch-number", contact(occurred_at=86_400), R.TIMESTAMP_TOO_OLD),
        _bad("unknown-municipality", contact(municipality_code="999"), R.UNKNOWN_MUNICIPALITY),
        _bad("future-schema-version", contact(schema_version=99), R.FUTURE_SCHEMA_VERSION),
        _bad("oversized", contact(producer_id="p" * 100_000), R.OVERSIZED),
        # A CPR-shaped number anywhere: plain, with a dash, in an unknown field, as a field
        # name, inside broken JSON, hidden by JSON \u escapes, and as the pathway id (= key).
        _bad("cpr-citizen-id", contact(citizen_id=cpr), R.CPR_DETECTED),
        _bad("cpr-dashed", contact(job_centre_id=dashed), R.CPR_DETECTED),
        _bad("cpr-extra-field", contact(note=f"cpr {cpr}"), R.CPR_DETECTED),
        _bad("cpr-field-name", {**contact(), cpr: "x"}, R.CPR_DETECTED),
        _bad("cpr-malformed", f'{{"citizen_id": "{cpr}", '.encode(), R.CPR_DETECTED),
        _bad(
            "cpr-escaped",
            json.dumps(contact()).replace("cz_test_0001", hidden).encode(),
            R.CPR_DETECTED,
        ),
        Case("cpr-key", cpr, _dump(contact(pathway_id=cpr)), Reason.CPR_DETECTED),
    ]
    return cases + accepted_cases()


def accepted_cases() -> list[Case]:
    """Valid input that must be applied once: a duplicate, and events after a pathway's exit."""
    dup = contact(pathway_id=_pid("duplicate"), citizen_id="cz_case_dup_0001")
    out = [
        Case("duplicate", dup["pathway_id"], _dump(dup), None),
        Case("duplicate-again", dup["pathway_id"], _dump(dup), None),
    ]
    # The same four events for two pathways; one gets the post-exit placement before the exit,
    # the other after it. Both must end with the same fact (order independence).
    for order in ("exit-first", "exit-last"):
        pid = _pid(f"after_{order}")
        start = contact(T0, pathway_id=pid, citizen_id="cz_case_exit_0001")
        exit_event = _exit_payload(pid, T0 + timedelta(days=10))
        late = offer(T0 + timedelta(days=20), pathway_id=pid, citizen_id="cz_case_exit_0001")
        events = [start, exit_event, late] if order == "exit-first" else [start, late, exit_event]
        for i, payload in enumerate(events):
            out.append(Case(f"{order}-{i}", pid, _dump(payload), _exit_reason(payload)))
    return out


def _exit_reason(payload: dict[str, Any]) -> Reason | None:
    """pathway.exited (E29) is dead-lettered until the contract registers it (issue 3)."""
    if payload["event_type"] == "pathway.exited" and "pathway.exited" not in EVENT_TYPES:
        return Reason.UNKNOWN_EVENT_TYPE
    return None


def control_event(now: datetime) -> Case:
    """A valid event sent after all bad ones: the worker must still be there to apply it."""
    payload = contact(now - timedelta(days=1), pathway_id="pw_case_control_0001")
    return Case("control", payload["pathway_id"], _dump(payload), None)


def utc_now() -> datetime:
    """The pipeline's clock."""
    return datetime.now(UTC)
