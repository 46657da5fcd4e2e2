"""Privacy at the edge (domain.md §8): CPR numbers never pass, only pseudonyms do."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# A CPR number is DDMMYY-SSSS (the dash optional). We match any ten-digit run with a plausible
# day and month, not glued to further digits, anywhere in any string: better a false alarm
# (which becomes a dead letter with reason cpr_detected) than a CPR number on the bus.
CPR_PATTERN = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}[-\s]?\d{4}(?!\d)")
# Canonical UUIDs (event ids) are removed before scanning: one in a few thousand random UUIDs
# has a ten-digit run that is shaped like a CPR number.
UUID_PATTERN = re.compile(
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
)


def looks_like_cpr(text: str) -> bool:
    """True if `text` contains something shaped like a CPR number."""
    return CPR_PATTERN.search(UUID_PATTERN.sub("-", text)) is not None


def _walk(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(str(key), f"{path}.<key>" if path else "<key>")
            yield from _walk(item, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def find_cpr(value: Any) -> str | None:
    """Return the path of the first field holding a CPR-like value, or None. Never the value."""
    for path, text in _walk(value, ""):
        if looks_like_cpr(text):
            return path or "<root>"
    return None


CPR_MARKER = "holds a value shaped like a CPR number"
"""Text every CPR rejection carries, so callers can recognise one inside a ValidationError."""


class CprDetectedError(ValueError):
    """A CPR-like value was found; the message names the field, never the value."""

    def __init__(self, path: str) -> None:
        super().__init__(
            f"field '{path}' {CPR_MARKER}; "
            "the event is rejected and the value is not stored (domain.md §8)"
        )
        self.path = path
