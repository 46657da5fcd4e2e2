"""Old payloads keep parsing: every stored old shape is lifted to the current version."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, decode
from schemas.events import EVENT_TYPES, ConversationHeld, PathwayExited
from schemas.events.registry import UPCASTERS, upcast

OLD = Path(__file__).resolve().parent / "old_payloads"
FILES = sorted(OLD.glob("*.json"))
NOW = datetime(2030, 1, 1, tzinfo=UTC)
WHERE = Coordinates("old", 0, 0)


def _load(name: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((OLD / name).read_text("utf-8"))
    return payload


def test_every_event_type_has_a_stored_version_1_payload() -> None:
    stored = {json.loads(p.read_text("utf-8"))["event_type"] for p in FILES}
    assert stored == set(EVENT_TYPES)


def test_every_upcaster_has_a_type_and_a_stored_payload_of_its_version() -> None:
    for event_type, version in UPCASTERS:
        assert version < EVENT_TYPES[event_type].SCHEMA_VERSION
        assert (OLD / f"{event_type}.v{version}.json").exists()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_old_payload_decodes_at_the_current_version(path: Path) -> None:
    raw = path.read_bytes()
    event_type = json.loads(raw)["event_type"]
    event = decode(raw, WHERE, NOW)
    assert not isinstance(event, DeadLetter), event
    assert isinstance(event, EVENT_TYPES[event_type])
    assert event.schema_version == EVENT_TYPES[event_type].SCHEMA_VERSION


def test_conversation_held_v1_danish_codes_become_english_codes() -> None:
    event = decode((OLD / "conversation.held.v1.json").read_bytes(), WHERE, NOW)
    assert isinstance(event, ConversationHeld)
    assert (event.mode.value, event.location and event.location.value) == ("PHONE", "HOME")
    unversioned = _load("conversation.held.v1.no-version.json")
    assert "schema_version" not in unversioned  # a missing version means 1
    event = decode(json.dumps(unversioned).encode(), WHERE, NOW)
    assert isinstance(event, ConversationHeld)
    assert event.mode.value == "IN_PERSON"
    assert event.location is not None
    assert event.location.value == "COMPANY_CENTRE"


def test_pathway_exited_v1_flat_counts_move_into_the_summary() -> None:
    old = _load("pathway.exited.v1.json")
    event = decode(json.dumps(old).encode(), WHERE, NOW)
    assert isinstance(event, PathwayExited)
    summary = event.prior_efforts_summary
    assert summary is not None
    assert (summary.internships_count, summary.parallel_efforts_count) == (1, 1)
    assert summary.mentor_support
    assert summary.municipal_follow_up


def test_upcasters_are_pure_and_current_payloads_pass_unchanged() -> None:
    old = _load("pathway.exited.v1.json")
    before = json.dumps(old, sort_keys=True)
    _, lifted = upcast(old)
    assert json.dumps(old, sort_keys=True) == before  # the input is not mutated
    assert lifted["schema_version"] == 2
    assert "internships_count" not in lifted
    _, again = upcast(lifted)
    assert again == lifted


def test_v2_shape_sent_as_v1_is_not_silently_accepted_with_v1_fields() -> None:
    """A v1 payload that mixes in a v2-only field name is still checked field by field."""
    old = _load("pathway.exited.v1.json")
    old["prior_efforts_summary"] = {"internships_count": 3}
    letter = decode(json.dumps(old).encode(), WHERE, NOW)
    assert isinstance(letter, DeadLetter)
    assert letter.reason.value == "validation_error"


def test_future_version_is_a_dead_letter() -> None:
    old = _load("offer.started.v1.json")
    letter = decode(json.dumps({**old, "schema_version": 2}).encode(), WHERE, NOW)
    assert isinstance(letter, DeadLetter)
    assert letter.reason.value == "future_schema_version"
    held = _load("conversation.held.v1.json")
    letter = decode(json.dumps({**held, "schema_version": 3}).encode(), WHERE, NOW)
    assert isinstance(letter, DeadLetter)
    assert letter.reason.value == "future_schema_version"
