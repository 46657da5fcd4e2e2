"""File replay: parsing, reject reports by line and reason, CPR replaced at the edge (§8.1)."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path
from typing import Any

import orjson
import pytest
from pydantic import SecretStr

from pathwatch.settings import Settings
from producers.emitter import Emitter
from producers.pseudonym import MissingKeyError, Pseudonymiser
from producers.replay import Format, Replayer, ReplayResult, detect_format, read_records
from producers.testing import RecordingProducer
from tests.factories import T0, contact, envelope, offer, visitation

KEY = SecretStr("replay-test-key-0123456789")
CPR = "0101701234"


def replay(path: Path, key: SecretStr = KEY) -> tuple[ReplayResult, RecordingProducer]:
    producer = RecordingProducer()
    emitter = Emitter(Settings(), producer=producer)
    replayer = Replayer(emitter, lambda: Pseudonymiser(key), clock=lambda: T0)
    for record in read_records(path, detect_format(path)):
        replayer.replay(record)
    return replayer.result, producer


def jsonl(tmp_path: Path, lines: list[Any]) -> Path:
    path = tmp_path / "events.jsonl"
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    )
    return path


def everything_written(result: ReplayResult, producer: RecordingProducer, path: Path) -> str:
    sent = b"".join((key or b"") + value for _, key, value in producer.sent).decode()
    return sent + json.dumps(result.report(path, "t"))


def test_detect_format() -> None:
    assert detect_format(Path("x.csv")) is Format.CSV
    assert detect_format(Path("x.CSV")) is Format.CSV
    assert detect_format(Path("x.jsonl")) is Format.JSONL
    assert detect_format(Path("x.ndjson")) is Format.JSONL


def test_jsonl_valid_lines_sent_rejects_reported_by_line(tmp_path: Path) -> None:
    path = jsonl(
        tmp_path,
        [
            contact(pathway_id="pw_replay_01"),
            "",
            '{"event_type": "contact.initiated", ',
            visitation(pathway_id="pw_replay_01"),
            contact(municipality_code="999"),
            contact(job_centre_id=CPR),
            offer(pathway_id="pw_replay_02"),
            "[1, 2]",
        ],
    )
    result, producer = replay(path)
    assert result.sent == 3
    assert [(r.line, r.reason) for r in result.rejected] == [
        (3, "malformed_json"),
        (5, "unknown_municipality"),
        (6, "cpr_detected"),
        (8, "not_an_object"),
    ]
    assert result.summary() == "3 sent, 4 rejected"
    assert [key for _, key, _ in producer.sent] == [
        b"pw_replay_01",
        b"pw_replay_01",
        b"pw_replay_02",
    ]
    assert {topic for topic, _, _ in producer.sent} == {"pathwatch.events.v1"}
    assert CPR not in everything_written(result, producer, path)
    report = result.report(path, "t")
    assert report["rejected"] == 4
    assert report["rejects"][1] == {
        "line": 5,
        "reason": "unknown_municipality",
        "detail": "municipality_code: unknown municipality code '999'",
    }


def test_citizen_cpr_is_replaced_by_the_keyed_pseudonym(tmp_path: Path) -> None:
    first = contact()
    del first["citizen_id"]
    dashed = visitation(citizen_cpr="010170-1234")
    del dashed["citizen_id"]
    both = contact(citizen_cpr=CPR)  # keeps citizen_id too: ambiguous
    bad = contact(citizen_cpr="12345")
    del bad["citizen_id"]
    path = jsonl(tmp_path, [{**first, "citizen_cpr": CPR}, dashed, both, bad])
    result, producer = replay(path)
    assert result.sent == 2
    assert [(r.line, r.reason) for r in result.rejected] == [
        (3, "cpr_and_citizen_id"),
        (4, "invalid_cpr"),
    ]
    token = Pseudonymiser(KEY).token("citizen", CPR)
    sent = [orjson.loads(value) for _, _, value in producer.sent]
    assert [s["citizen_id"] for s in sent] == [token, token]
    assert all("citizen_cpr" not in s for s in sent)
    text = everything_written(result, producer, path)
    assert CPR not in text
    assert "010170-1234" not in text
    assert "12345" not in text


def test_cpr_needs_a_key_but_other_files_do_not(tmp_path: Path) -> None:
    plain = jsonl(tmp_path, [contact()])
    assert replay(plain, SecretStr(""))[0].sent == 1
    row = contact()
    del row["citizen_id"]
    with_cpr = jsonl(tmp_path, [{**row, "citizen_cpr": CPR}])
    with pytest.raises(MissingKeyError):
        replay(with_cpr, SecretStr(""))


def test_csv_flat_export(tmp_path: Path) -> None:
    one = offer(pathway_id="pw_csv_01", hours_per_week=12.5, goals_agreed=True, planned_weeks=13)
    columns = [*one.keys(), "trial_arm", "citizen_cpr"]
    header = ",".join(columns)

    def row(values: dict[str, Any]) -> str:
        return ",".join(
            str(values.get(c, "")).lower()
            if isinstance(values.get(c), bool)
            else str(values.get(c, ""))
            for c in columns
        )

    no_citizen = {k: v for k, v in offer(pathway_id="pw_csv_02").items() if k != "citizen_id"}
    lines = [
        header,
        row(one),  # line 2: every column set, trial_arm and citizen_cpr empty = absent
        row({**no_citizen, "citizen_cpr": CPR, "trial_arm": "TREATMENT"}),  # line 3
        row({**one, "municipality_code": "998"}),  # line 4
        row(one) + ",surplus",  # line 5
        row({**one, "planned_weeks": "xyzzy"}),  # line 6
    ]
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result, producer = replay(path)
    assert result.sent == 2
    assert [(r.line, r.reason) for r in result.rejected] == [
        (4, "unknown_municipality"),
        (5, "csv_too_many_cells"),
        (6, "validation_error"),
    ]
    sent = [orjson.loads(value) for _, _, value in producer.sent]
    assert sent[0]["hours_per_week"] == 12.5
    assert sent[0]["goals_agreed"] is True
    assert sent[0]["trial_arm"] is None
    assert sent[1]["trial_arm"] == "TREATMENT"
    assert sent[1]["citizen_id"] == Pseudonymiser(KEY).token("citizen", CPR)
    assert "xyzzy" not in json.dumps(result.report(path, "t"))
    assert CPR not in everything_written(result, producer, path)


def test_csv_cells_with_json_arrays_and_objects_fill_list_and_nested_fields(
    tmp_path: Path,
) -> None:
    """Types with list fields (E2 barriers, E18 indicators) can come from a flat export too."""
    columns = [*envelope("screening.completed").keys(), "barrier_categories", "indicators"]
    columns += ["tool", "assessor", "sensitivity"]
    screening = envelope(
        "screening.completed", barrier_categories='["LANGUAGE_LITERACY","HOUSING"]'
    )
    screening["sensitivity"] = "SOCIAL"
    progression = envelope(
        "progression.measured",
        tool="LOCAL_TOOL",
        assessor="JOINT",
        indicators='[{"code":"MOTIVATION","score":4,"scale_max":5}]',
    )
    broken = dict(screening, event_id=str(uuid.uuid4()), barrier_categories='["HOUSING"')
    with (tmp_path / "lists.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in (screening, progression, broken):
            writer.writerow(row)
    result, producer = replay(tmp_path / "lists.csv")
    assert result.sent == 2
    assert [(r.line, r.reason) for r in result.rejected] == [(4, "validation_error")]
    sent = [orjson.loads(value) for _, _, value in producer.sent]
    assert sent[0]["barrier_categories"] == ["LANGUAGE_LITERACY", "HOUSING"]
    assert sent[1]["indicators"] == [{"code": "MOTIVATION", "score": 4.0, "scale_max": 5.0}]
