"""schemas/json/ is generated from the models and committed; stale files fail the suite."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from pathwatch.cli import cli
from schemas.events import EVENT_TYPES
from schemas.jsonschema import DEFAULT_DIR, differences, render, write


def test_committed_schema_files_are_up_to_date() -> None:
    assert differences(DEFAULT_DIR) == [], "run `pathwatch schemas export` and commit schemas/json"


def test_one_file_per_event_type_plus_the_envelope() -> None:
    names = {p.name for p in DEFAULT_DIR.glob("*.json")}
    assert names == {f"{t}.json" for t in EVENT_TYPES} | {"envelope.json"}


def test_check_reports_stale_missing_and_left_over_files(tmp_path: Path) -> None:
    shutil.copytree(DEFAULT_DIR, tmp_path / "json")
    out = tmp_path / "json"
    held = out / "conversation.held.json"
    schema = json.loads(held.read_text("utf-8"))
    schema["properties"].pop("mode")
    held.write_text(json.dumps(schema), "utf-8")
    (out / "offer.ended.json").unlink()
    (out / "citizen.teleported.json").write_text("{}", "utf-8")
    assert differences(out) == [
        "missing: offer.ended.json",
        "left over: citizen.teleported.json",
        "stale: conversation.held.json",
    ]
    result = CliRunner().invoke(cli, ["schemas", "export", "--check", "--out", str(out)])
    assert result.exit_code == 1
    assert "3 schema file(s) out of date" in result.output

    result = CliRunner().invoke(cli, ["schemas", "export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert differences(out) == []
    assert not (out / "citizen.teleported.json").exists()


def test_export_writes_what_render_produces(tmp_path: Path) -> None:
    changed = write(tmp_path)
    assert len(changed) == len(render())
    held = json.loads((tmp_path / "conversation.held.json").read_text("utf-8"))
    assert held["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert held["properties"]["schema_version"]["const"] == 2
    assert held["properties"]["event_type"]["const"] == "conversation.held"
    assert held["additionalProperties"] is False
    # The type is always required; the version where a missing one (= 1) would be wrong.
    assert {"event_type", "schema_version"} <= set(held["required"])
    contact = json.loads((tmp_path / "contact.initiated.json").read_text("utf-8"))
    assert "event_type" in contact["required"]
    assert "schema_version" not in contact["required"]
    # Each code carries its Danish term (§4.3).
    assert held["$defs"]["ConversationMode"]["x-danish"]["IN_PERSON"] == "personligt fremmøde"
    assert "153" in held["properties"]["municipality_code"]["enum"]
    assert len(held["properties"]["municipality_code"]["enum"]) == 98
    changed_again = write(tmp_path)
    assert changed_again == []
