"""Dead letters for records a sink cannot read: sent and acknowledged before the offset moves on.

A fact, alert, watermark or dead letter that does not parse is not skipped silently: it goes to
the namespace's dead-letter topic (reason `invalid_internal_record`, value-free detail, source
coordinates), and the sink only commits past it after the broker acknowledged that dead letter.
If the dead letter cannot be sent, the sink stops with `UnreadableRecordError`, its offset
uncommitted, so nothing is lost.
"""

from __future__ import annotations

import logging
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError
from pydantic import ValidationError

from pathwatch import metrics
from pathwatch.settings import Settings
from schemas.deadletter import DeadLetter, Reason
from schemas.privacy import find_cpr, looks_like_cpr

logger = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 64 * 1024  # the worker's limit for a payload kept in a dead letter
SEND_TIMEOUT_S = 30


class UnreadableRecordError(RuntimeError):
    """A sink could neither read a record nor dead-letter it; the sink stops uncommitted."""


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(value)"


def describe(exc: Exception) -> str:
    """Error kinds and field paths of a failed parse, never the values."""
    if isinstance(exc, ValidationError):
        errors = exc.errors(include_url=False, include_input=False, include_context=False)
        parts = [
            f"{e['type']} at {'.'.join(str(x) for x in e['loc']) or '(value)'}" for e in errors
        ]
        shown = "; ".join(parts[:5]) + ("; ..." if len(parts) > 5 else "")
        return f"{exc.title} did not validate ({len(parts)} errors): {shown}"
    return f"{type(exc).__name__} while turning the record into a row"


def _payload(value: bytes | None) -> str | None:
    """The record as text for repair, withheld when it is not text, too large or CPR-like."""
    if not value or len(value) > MAX_PAYLOAD_BYTES:
        return None
    try:
        text = value.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if find_cpr(text) is not None else text


class DeadLetterSender:
    """Sends one dead letter per unreadable record of a sink, synchronously (acks=all)."""

    def __init__(self, settings: Settings, topic: str, sink: str) -> None:
        self.settings = settings
        self.topic = topic
        self.sink = sink
        self._producer: KafkaProducer | None = None

    def send(self, record: Any, exc: Exception) -> None:
        """Dead-letter `record` (which failed with `exc`) and wait for the broker's ack."""
        dl = DeadLetter(
            reason=Reason.INVALID_INTERNAL_RECORD,
            detail=describe(exc),
            source_topic=record.topic,
            source_partition=record.partition,
            source_offset=record.offset,
            payload=_payload(record.value),
        )
        key = record.key
        if key is not None and looks_like_cpr(key.decode("utf-8", errors="replace")):
            key = None
        try:
            if self._producer is None:
                # Created on the first bad record only: most sinks never need one.
                self._producer = KafkaProducer(
                    bootstrap_servers=self.settings.kafka.bootstrap, acks="all", retries=5
                )
            self._producer.send(self.topic, key=key, value=dl.model_dump_json().encode()).get(
                timeout=SEND_TIMEOUT_S
            )
        except KafkaError as err:
            raise UnreadableRecordError(
                f"{self.sink}: record {record.topic}[{record.partition}]@{record.offset} is "
                f"unreadable ({dl.detail}) and its dead letter could not be sent ({err!r}); "
                "stopping without committing past it"
            ) from err
        metrics.DEAD_LETTERS.labels(Reason.INVALID_INTERNAL_RECORD.value).inc()
        logger.error(
            "%s: unreadable record %s[%d]@%d dead-lettered: %s",
            self.sink,
            record.topic,
            record.partition,
            record.offset,
            dl.detail,
        )

    def close(self) -> None:
        """Flush and close the producer, if one was made."""
        if self._producer is not None:
            self._producer.close(timeout=SEND_TIMEOUT_S)
            self._producer = None
