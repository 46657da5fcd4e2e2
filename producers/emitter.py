"""The emitter: validated events onto the raw topic, keyed by pathway id."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

from kafka import KafkaProducer

from pathwatch.settings import Settings
from schemas.envelope import Envelope
from schemas.events.registry import upcast
from schemas.topics import Names

logger = logging.getLogger(__name__)


class Emitter:
    """Sends events with acks=all, idempotence and retries; flushes on close."""

    def __init__(self, settings: Settings, producer: Any | None = None) -> None:
        self.topic = Names(settings.kafka.namespace).events
        self._producer = producer or KafkaProducer(
            bootstrap_servers=settings.kafka.bootstrap,
            acks="all",
            enable_idempotence=True,
            retries=10,
            linger_ms=5,
            max_in_flight_requests_per_connection=5,
        )
        self.sent = 0

    def emit(self, event: Envelope) -> None:
        """Send one event (already a validated model)."""
        self.send_raw(event.pathway_id, event.model_dump_json().encode())

    def emit_payload(self, payload: dict[str, Any]) -> Envelope:
        """Validate a plain payload (upcasting old versions) and send it; raises on bad input."""
        cls, lifted = upcast(payload)
        event = cls.model_validate(lifted)
        self.emit(event)
        return event

    def send_raw(self, key: str, value: bytes) -> None:
        """Send bytes as they are (tests use this to put bad input on the topic)."""
        self._producer.send(self.topic, key=key.encode(), value=value)
        self.sent += 1

    def flush(self) -> None:
        """Block until every sent event is acknowledged by the broker."""
        self._producer.flush()

    def close(self) -> None:
        """Flush and close the producer."""
        self._producer.flush()
        self._producer.close()
        logger.info("emitter closed after %d events to %s", self.sent, self.topic)

    def __enter__(self) -> Emitter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
