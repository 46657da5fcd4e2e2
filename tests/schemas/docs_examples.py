"""Reads the event sections of docs/events.md: heading, field lists and example message."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pathwatch import PROJECT_ROOT

EVENTS_MD = PROJECT_ROOT / "docs" / "events.md"
SECTION = re.compile(
    r"^### (?P<id>E\d+) `(?P<type>[a-z_.]+)`\n\n"
    r"`(?P<cls>\w+)` in `(?P<module>[\w/]+\.py)`, schema_version (?P<version>\d+)\. [^\n]+\n\n"
    r"Required: (?P<required>[^\n]+)\.  \nOptional: (?P<optional>[^\n]+)\.\n\n"
    r"```json\n(?P<json>.*?)\n```",
    re.MULTILINE | re.DOTALL,
)


@dataclass(frozen=True)
class Section:
    """One documented event type."""

    domain_id: str
    event_type: str
    class_name: str
    module: str
    version: int
    required: frozenset[str]
    optional: frozenset[str]
    example: str


def _names(text: str) -> frozenset[str]:
    return frozenset() if text == "(none)" else frozenset(re.findall(r"`([\w]+)`", text))


def sections(text: str | None = None) -> list[Section]:
    """Every `### E.. \\`type\\`` section of docs/events.md, in order."""
    body = text if text is not None else EVENTS_MD.read_text(encoding="utf-8")
    return [
        Section(
            m["id"],
            m["type"],
            m["cls"],
            m["module"],
            int(m["version"]),
            _names(m["required"]),
            _names(m["optional"]),
            m["json"],
        )
        for m in SECTION.finditer(body)
    ]
