"""docs/events.md cannot drift: every example is decoded by the worker's decoder and validated
by the committed JSON Schema, and every section's field lists match the model."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import jsonschema
import pytest

from schemas.decode import Coordinates, decode
from schemas.envelope import Envelope
from schemas.events import EVENT_TYPES
from schemas.jsonschema import DEFAULT_DIR, file_name
from tests.schemas.docs_examples import EVENTS_MD, Section, sections

SECTIONS = sections()
NOW = datetime(2030, 1, 1, tzinfo=UTC)
WHERE = Coordinates("docs", 0, 0)


def _schema(event_type: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((DEFAULT_DIR / file_name(event_type)).read_text("utf-8"))
    return loaded


def test_every_registered_type_has_exactly_one_section() -> None:
    documented = [s.event_type for s in SECTIONS]
    assert len(documented) == len(set(documented))
    assert set(documented) == set(EVENT_TYPES)


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.event_type)
def test_example_is_accepted_by_the_decoder(section: Section) -> None:
    event = decode(section.example.encode(), WHERE, NOW)
    assert isinstance(event, EVENT_TYPES[section.event_type]), event
    assert event.schema_version == EVENT_TYPES[section.event_type].SCHEMA_VERSION
    payload = json.loads(section.example)
    assert payload["event_type"] == section.event_type
    # The example is a full message: its own JSON equals what the model keeps of it.
    dumped = json.loads(event.model_dump_json(exclude_unset=True))
    for key, value in payload.items():
        if key in ("occurred_at", "recorded_at", "scheduled_for", "randomised_at"):
            assert datetime.fromisoformat(dumped[key]) == datetime.fromisoformat(value)
        else:
            assert dumped[key] == value, key


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.event_type)
def test_example_is_valid_against_the_committed_json_schema(section: Section) -> None:
    schema = _schema(section.event_type)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(section.example))


@pytest.mark.parametrize("section", SECTIONS, ids=lambda s: s.event_type)
def test_section_names_the_model_and_its_fields(section: Section) -> None:
    cls = EVENT_TYPES[section.event_type]
    assert cls.__name__ == section.class_name
    assert section.module == cls.__module__.replace(".", "/") + ".py"
    assert section.version == cls.SCHEMA_VERSION
    own = {n: f for n, f in cls.model_fields.items() if n not in Envelope.model_fields}
    own.pop("event_type")
    required = {f.alias or n for n, f in own.items() if f.is_required()}
    optional = {f.alias or n for n, f in own.items() if not f.is_required()}
    assert section.required == required
    assert section.optional == optional


def test_versions_table_lists_every_type_above_version_1() -> None:
    text = EVENTS_MD.read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `([a-z_.]+)` \| (\d+) \|", text, re.MULTILINE))
    bumped = {name: str(cls.SCHEMA_VERSION) for name, cls in EVENT_TYPES.items()}
    assert table == {n: v for n, v in bumped.items() if v != "1"}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"note": "citizen was upset"}, "unexpected_field"),  # unknown field (free text)
        ({"occurred_at": "2024-03-15T09:00:00"}, "naive_timestamp"),  # no offset
        ({"municipality_code": "999"}, "unknown_municipality"),
    ],
)
def test_json_schema_and_decoder_reject_the_same_mistakes(
    change: dict[str, str], reason: str
) -> None:
    """What a producer in another language can check before sending, the pipeline checks too."""
    held = next(s for s in SECTIONS if s.event_type == "conversation.held")
    bad = {**json.loads(held.example), **change}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, _schema("conversation.held"))
    letter = decode(json.dumps(bad).encode(), WHERE, NOW)
    assert not isinstance(letter, Envelope)
    assert letter.reason.value == reason


def test_envelope_table_lists_every_envelope_field_with_its_requiredness() -> None:
    text = EVENTS_MD.read_text(encoding="utf-8")
    table = text.split("## The envelope", 1)[1].split("\n## ", 1)[0]
    documented: dict[str, bool] = {}
    for row in re.findall(r"^\| (`[^|]+`) \| [^|]+ \| (yes|no)\b", table, re.MULTILINE):
        for name in re.findall(r"`(\w+)`", row[0]):
            documented[name] = row[1] == "yes"
    fields = dict(Envelope.model_fields)
    expected = {n: f.is_required() for n, f in fields.items()}
    expected["event_type"] = True  # declared by every event type, not by the envelope
    assert documented == expected
