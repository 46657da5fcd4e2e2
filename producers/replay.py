"""Replay a file of events onto the raw topic (issue 3 item 8; domain.md §4.1, §8).

JSON Lines (one event object a line) or CSV (a flat export: one column per envelope or payload
field, empty cell = field absent; see docs/replay.md). Each record is checked with the worker's
own `schemas.decode.decode`, so a line that replays is a line the worker accepts. Rejected lines
are reported by line number and reason only: never their values, which may hold a CPR number.

A record may carry `citizen_cpr` instead of `citizen_id` (edge input, §8.1): it is replaced by the
keyed HMAC pseudonym before anything else looks at the record, and the CPR number never leaves
the process.
"""

from __future__ import annotations

import csv
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import orjson

from producers.emitter import Emitter
from producers.pseudonym import Pseudonymiser
from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, decode
from schemas.privacy import looks_like_cpr

logger = logging.getLogger(__name__)

CPR_FIELD = "citizen_cpr"


class Format(StrEnum):
    """Input file formats."""

    JSONL = "jsonl"
    CSV = "csv"


class ReplayReason(StrEnum):
    """Reasons only replay gives; all others are dead-letter reasons (schemas/deadletter.py)."""

    CPR_AND_CITIZEN_ID = "cpr_and_citizen_id"
    INVALID_CPR = "invalid_cpr"
    CSV_TOO_MANY_CELLS = "csv_too_many_cells"


@dataclass(frozen=True)
class Rejected:
    """One rejected record: where and why, never what."""

    line: int
    reason: str
    detail: str


@dataclass
class ReplayResult:
    """What a replay did."""

    sent: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    def summary(self) -> str:
        """`N sent, M rejected`."""
        return f"{self.sent} sent, {len(self.rejected)} rejected"

    def report(self, source: Path, topic: str) -> dict[str, Any]:
        """The JSON report of `--report`."""
        return {
            "file": str(source),
            "topic": topic,
            "sent": self.sent,
            "rejected": len(self.rejected),
            "rejects": [
                {"line": r.line, "reason": r.reason, "detail": r.detail} for r in self.rejected
            ],
        }


@dataclass(frozen=True)
class Record:
    """One record of the input: its (last) line number and its content."""

    line: int
    raw: bytes | None = None  # a JSON Lines line, as read
    cells: dict[str, Any] | None = None  # a CSV row, empty cells dropped
    rejected: Rejected | None = None  # already unusable while reading


def detect_format(path: Path) -> Format:
    """CSV for `.csv`, JSON Lines for anything else (`.jsonl`, `.ndjson`, `.json`)."""
    return Format.CSV if path.suffix.lower() == ".csv" else Format.JSONL


def count_lines(path: Path) -> int:
    """Number of lines in the file (for the progress bar)."""
    with path.open("rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))


def read_jsonl(path: Path) -> Iterator[Record]:
    """Non-blank lines, numbered from 1."""
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            stripped = line.strip()
            if stripped:
                yield Record(number, raw=stripped)


def read_csv(path: Path) -> Iterator[Record]:
    """Rows as dicts without their empty cells; the header is line 1."""
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        for row in reader:
            line = reader.line_num
            if None in row:  # DictReader keeps surplus cells under the key None
                yield Record(
                    line,
                    rejected=Rejected(
                        line,
                        ReplayReason.CSV_TOO_MANY_CELLS,
                        f"{len(row[None])} cell(s) beyond the {len(reader.fieldnames or [])} "
                        "header columns",
                    ),
                )
                continue
            yield Record(line, cells={k: _cell(v) for k, v in row.items() if v not in (None, "")})


def _cell(text: str) -> Any:
    """A CSV cell; one holding a JSON array or object (list and nested fields) is parsed."""
    if text[:1] in ("[", "{"):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError:
            return text  # validation names the field; the text is never echoed
    return text


def read_records(path: Path, fmt: Format) -> Iterator[Record]:
    """The file's records in order."""
    return read_csv(path) if fmt is Format.CSV else read_jsonl(path)


class Replayer:
    """Turns records into validated events on the raw topic, keyed by pathway id."""

    def __init__(
        self,
        emitter: Emitter,
        pseudonymiser: Callable[[], Pseudonymiser],
        source: str = "replay",
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.emitter = emitter
        # Built on first use, so files without CPR numbers need no pseudonym key.
        self._make_pseudonymiser = pseudonymiser
        self._pseudonymiser: Pseudonymiser | None = None
        self.source = source
        self.clock = clock
        self.result = ReplayResult()

    def replay(self, record: Record) -> Rejected | None:
        """Validate and send one record; return why it was rejected, if it was."""
        rejected = record.rejected or self._send(record)
        if rejected is not None:
            self.result.rejected.append(rejected)
        return rejected

    def _send(self, record: Record) -> Rejected | None:
        payload: Any = dict(record.cells) if record.cells is not None else None
        raw = record.raw
        if payload is None and raw is not None:
            try:
                payload = orjson.loads(raw)
            except orjson.JSONDecodeError:
                payload = None  # decode() below names the reason, without the content
        if isinstance(payload, dict):
            if CPR_FIELD in payload:
                problem = self._pseudonymise(payload, record.line)
                if problem is not None:
                    return problem
            raw = orjson.dumps(payload)
        del payload  # nothing below may see the CPR number
        where = Coordinates(self.source, 0, record.line)
        result = decode(raw, where, self.clock())
        if isinstance(result, DeadLetter):
            return Rejected(record.line, result.reason.value, _safe(result.detail))
        self.emitter.emit(result)
        self.result.sent += 1
        return None

    def _pseudonymise(self, payload: dict[str, Any], line: int) -> Rejected | None:
        """Replace `citizen_cpr` by `citizen_id` in place (§8.1)."""
        cpr = payload.pop(CPR_FIELD)
        if "citizen_id" in payload:
            return Rejected(
                line, ReplayReason.CPR_AND_CITIZEN_ID, "both citizen_cpr and citizen_id are set"
            )
        digits = str(cpr).replace("-", "").strip() if isinstance(cpr, str | int) else ""
        if not (len(digits) == 10 and digits.isdigit()):
            return Rejected(line, ReplayReason.INVALID_CPR, "citizen_cpr is not ten digits")
        if self._pseudonymiser is None:
            self._pseudonymiser = self._make_pseudonymiser()
        payload["citizen_id"] = self._pseudonymiser.token("citizen", digits)
        return None


def _safe(detail: str) -> str:
    """Dead-letter details never echo input values; this makes sure of it for CPR numbers."""
    return "detail withheld (CPR-shaped content)" if looks_like_cpr(detail) else detail
