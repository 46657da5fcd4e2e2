"""JSON Schema files for producers in any language: one per event type plus the envelope.

`pathwatch schemas export` writes them into schemas/json/ (committed); `--check` and
tests/schemas/test_jsonschema.py fail when the committed files differ from the models.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

from schemas.enums import DANISH
from schemas.envelope import Envelope
from schemas.events.registry import EVENT_TYPES

DEFAULT_DIR = Path(__file__).resolve().parent / "json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENVELOPE_FILE = "envelope.json"


def _enums_by_name() -> dict[str, type[StrEnum]]:
    out: dict[str, type[StrEnum]] = {}
    for member in DANISH:
        cls = type(member)
        if out.setdefault(cls.__name__, cls) is not cls:
            raise ValueError(f"two enums are named {cls.__name__}; JSON Schema $defs would clash")
    return out


def _add_danish(schema: dict[str, Any]) -> None:
    """Give each coded enum in $defs an `x-danish` map: English code -> Danish term (§4.3)."""
    enums = _enums_by_name()
    for name, definition in schema.get("$defs", {}).items():
        cls = enums.get(name)
        if cls is not None and "enum" in definition:
            definition["x-danish"] = {m.value: DANISH[m] for m in cls}


def schema_of(cls: type[Envelope]) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one model, with Danish terms for its codes."""
    schema = cls.model_json_schema(by_alias=True, mode="validation")
    _add_danish(schema)
    return {"$schema": DIALECT, **schema}


def file_name(event_type: str) -> str:
    """`conversation.held` -> `conversation.held.json`."""
    return f"{event_type}.json"


def render() -> dict[str, str]:
    """File name -> text of every schema file, for the event types registered right now."""
    files = {ENVELOPE_FILE: schema_of(Envelope)}
    for name, cls in sorted(EVENT_TYPES.items()):
        files[file_name(name)] = schema_of(cls)
    return {
        name: json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
        for name, schema in files.items()
    }


def differences(directory: Path = DEFAULT_DIR) -> list[str]:
    """Files that are missing, stale or left over in `directory` (empty when up to date)."""
    wanted = render()
    present = {p.name for p in directory.glob("*.json")} if directory.is_dir() else set()
    out = [f"missing: {n}" for n in sorted(wanted.keys() - present)]
    out += [f"left over: {n}" for n in sorted(present - wanted.keys())]
    for name in sorted(wanted.keys() & present):
        if (directory / name).read_text(encoding="utf-8") != wanted[name]:
            out.append(f"stale: {name}")
    return out


def write(directory: Path = DEFAULT_DIR) -> list[str]:
    """Write every schema file into `directory`, remove left-over ones; return what changed."""
    changed = differences(directory)
    directory.mkdir(parents=True, exist_ok=True)
    wanted = render()
    for name, text in wanted.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    for path in directory.glob("*.json"):
        if path.name not in wanted:
            path.unlink()
    return changed
