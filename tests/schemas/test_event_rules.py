"""Rules of the event models beyond shape: coded values, sensitivity tags, cross-field checks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, get_args

import pytest
from pydantic import BaseModel, ValidationError

from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, decode
from schemas.enums import DANISH, Sensitivity, danish
from schemas.envelope import Envelope
from schemas.events import (
    EVENT_TYPES,
    EmploymentHoursReported,
    ExemptionStarted,
    MatchChanged,
    ParallelEffortStarted,
    PathwayExited,
    ProgressionMeasured,
    ReadinessChanged,
    ScreeningCompleted,
    TrialRandomised,
)
from tests.factories import envelope
from tests.schemas.docs_examples import sections

NOW = datetime(2030, 1, 1, tzinfo=UTC)
WHERE = Coordinates("rules", 0, 0)


def _enums_of(model: type[BaseModel], seen: set[type[Any]]) -> set[type[StrEnum]]:
    """Every enum a model's fields can hold, nested parts included."""
    out: set[type[StrEnum]] = set()
    stack = [f.annotation for f in model.model_fields.values()]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, StrEnum):
            out.add(tp)
        elif isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in seen:
            seen.add(tp)
            out |= _enums_of(tp, seen)
        else:
            stack.extend(get_args(tp))
    return out


def test_every_coded_value_of_every_event_has_a_danish_term() -> None:
    enums: set[type[StrEnum]] = set()
    for cls in EVENT_TYPES.values():
        enums |= _enums_of(cls, set())
    assert len(enums) > 40
    missing = [f"{e.__name__}.{m.name}" for e in enums for m in e if not DANISH.get(m)]
    assert missing == []


def test_no_event_field_takes_free_text() -> None:
    """Strings are codes, pseudonyms or dates: every str field carries a pattern (§8.7)."""
    for name, cls in EVENT_TYPES.items():
        schema = cls.model_json_schema()
        objects = [schema] + [d for d in schema.get("$defs", {}).values() if "properties" in d]
        props = [(f, p) for obj in objects for f, p in obj["properties"].items()]
        assert len(props) > len(Envelope.model_fields)
        for field, prop in props:
            for option in prop.get("anyOf", [prop]):
                if option.get("type") == "string" and not {"enum", "const"} & option.keys():
                    assert "pattern" in option or "format" in option, (name, field)


def test_danish_decorator_refuses_an_enum_with_a_missing_term() -> None:
    with pytest.raises(ValueError, match=r"missing \['B'\]"):

        @danish({"A": "a"})
        class Half(StrEnum):
            A = "A"
            B = "B"


@pytest.mark.parametrize("section", sections(), ids=lambda s: s.event_type)
def test_what_the_emitter_serialises_decodes_to_the_same_event(section: Any) -> None:
    """Emitter.emit() sends model_dump_json(); the worker must read back the same event."""
    event = decode(section.example.encode(), WHERE, NOW)
    assert isinstance(event, Envelope)
    again = decode(event.model_dump_json().encode(), WHERE, NOW)
    assert again == event


def test_from_is_the_wire_name_of_readiness_and_match_changes() -> None:
    change: dict[str, Any] = {"from": "ACTIVITY_READY", "to": "JOB_READY"}
    ev = ReadinessChanged.model_validate(envelope("readiness.changed", **change))
    assert ev.from_ is not None
    assert ev.from_.value == "ACTIVITY_READY"
    assert json.loads(ev.model_dump_json())["from"] == "ACTIVITY_READY"
    with pytest.raises(ValidationError, match="to"):
        MatchChanged.model_validate(envelope("match.changed", to="JOB_READY"))  # 2014 code


@pytest.mark.parametrize(
    ("model", "fields", "tag", "ok"),
    [
        (ScreeningCompleted, {"barrier_categories": ["HEALTH_MENTAL"]}, "NORMAL", False),
        (ScreeningCompleted, {"barrier_categories": ["HEALTH_MENTAL"]}, "SOCIAL", False),
        (ScreeningCompleted, {"barrier_categories": ["HEALTH_MENTAL"]}, "HEALTH", True),
        (ScreeningCompleted, {"barrier_categories": ["DEBT_ECONOMY"]}, "NORMAL", False),
        (ScreeningCompleted, {"barrier_categories": ["DEBT_ECONOMY"]}, "HEALTH", True),
        (ScreeningCompleted, {"barrier_categories": ["LANGUAGE_LITERACY"]}, "NORMAL", True),
        (ScreeningCompleted, {"barrier_categories": ["NONE"]}, "NORMAL", True),
        (
            ParallelEffortStarted,
            {"effort_type": "PSYCHIATRIC_TREATMENT", "legal_basis": "HEALTH_LEGISLATION"},
            "SOCIAL",
            False,
        ),
        (
            ParallelEffortStarted,
            {"effort_type": "HOUSING_SUPPORT", "legal_basis": "SERVICELOVEN"},
            "NORMAL",
            False,
        ),
        (
            ParallelEffortStarted,
            {"effort_type": "HOUSING_SUPPORT", "legal_basis": "SERVICELOVEN"},
            "SOCIAL",
            True,
        ),
        (ExemptionStarted, {"reason": "ILLNESS"}, "NORMAL", False),
        (ExemptionStarted, {"reason": "PARENTAL_LEAVE"}, "NORMAL", True),
        (
            ProgressionMeasured,
            {
                "tool": "MINVURDERING_DK",
                "assessor": "CITIZEN_SELF",
                "indicators": [{"code": "HEALTH_SYMPTOMS", "score": 3, "scale_max": 5}],
            },
            "NORMAL",
            False,
        ),
        (PathwayExited, {"outcome": "PRISON", "exit_date": "2024-05-01"}, "HEALTH", False),
        (PathwayExited, {"outcome": "PRISON", "exit_date": "2024-05-01"}, "CRIMINAL", True),
    ],
)
def test_special_category_codes_need_their_sensitivity_tag(
    model: type[Envelope], fields: dict[str, Any], tag: str, ok: bool
) -> None:
    """§8.2-§8.4: the tag routes the event to restricted storage, so it must match the codes."""
    event_type = next(n for n, c in EVENT_TYPES.items() if c is model)
    payload = envelope(event_type, sensitivity=tag, **fields)
    if ok:
        assert model.model_validate(payload).sensitivity is Sensitivity(tag)
    else:
        with pytest.raises(ValidationError, match="needs sensitivity"):
            model.model_validate(payload)


def test_none_barrier_cannot_be_combined() -> None:
    with pytest.raises(ValidationError, match="NONE cannot be combined"):
        ScreeningCompleted.model_validate(
            envelope("screening.completed", barrier_categories=["NONE", "LANGUAGE_LITERACY"])
        )


def test_trial_arm_in_payload_and_envelope_must_agree() -> None:
    fields: dict[str, Any] = {
        "trial_id": "PRVIJ_2010",
        "arm": "TREATMENT",
        "randomised_at": "2010-11-03T10:12:00+01:00",
    }
    assert TrialRandomised.model_validate(envelope("trial.randomised", **fields)).arm.value
    with pytest.raises(ValidationError, match="contradicts trial_arm"):
        TrialRandomised.model_validate(envelope("trial.randomised", trial_arm="CONTROL", **fields))


def test_score_above_its_scale_and_reversed_period_are_rejected() -> None:
    with pytest.raises(ValidationError, match="above scale_max"):
        ProgressionMeasured.model_validate(
            envelope(
                "progression.measured",
                tool="LOCAL_TOOL",
                assessor="JOINT",
                indicators=[{"code": "MOTIVATION", "score": 11, "scale_max": 10}],
            )
        )
    with pytest.raises(ValidationError, match="period_end is before"):
        EmploymentHoursReported.model_validate(
            envelope(
                "employment.hours_reported",
                period_start="2025-03-31",
                period_end="2025-03-01",
                ordinary_hours=10,
            )
        )


def test_nested_parts_reject_unknown_fields_too() -> None:
    payload = envelope(
        "pathway.exited",
        outcome="SELF_SUFFICIENT_JOB",
        exit_date="2025-03-01",
        destination_detail={"employer_name": "Brøndby Rengøring"},
    )
    letter = decode(json.dumps(payload).encode(), WHERE, NOW)
    assert isinstance(letter, DeadLetter)
    assert letter.reason.value == "unexpected_field"
    assert "destination_detail.employer_name" in letter.detail
    assert "Rengøring" not in letter.detail  # the detail never echoes a value
