"""The emitter: validated events onto the raw topic, keyed by pathway id."""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

from kafka import KafkaProducer

from pathwatch import metrics
from pathwatch.settings import Settings
from schemas.envelope import Envelope
from schemas.events.registry import event_type_of, upcast
from schemas.topics import Names

logger = logging.getLogger(__name__)


class DeliveryFailed(RuntimeError):
    """The broker never acknowledged some messages: they are not on the topic (issue 7)."""


class Emitter:
    """Sends events with acks=all, idempotence and retries; flushes on close.

    kafka-python's flush() returns even when records failed (e.g. the broker was away longer
    than the delivery timeout), so each send registers an errback, and flush() and close()
    raise DeliveryFailed instead of reporting lost messages as sent.
    """

    def __init__(self, settings: Settings, producer: Any | None = None) -> None:
        self.topic = Names(settings.kafka.namespace).events
        self._producer = producer or KafkaProducer(
            bootstrap_servers=settings.kafka.bootstrap,
            acks="all",
            enable_idempotence=True,
            # No retry cap: the delivery timeout (120 s) bounds how long a record may wait, so
            # a broker restart or leader election is ridden out rather than failed after 1 s.
            linger_ms=5,
            max_in_flight_requests_per_connection=5,
        )
        self.sent = 0
        self.failed = 0
        self._error: BaseException | None = None

    def emit(self, event: Envelope) -> None:
        """Send one event (already a validated model)."""
        self.send_raw(event.pathway_id, event.model_dump_json().encode())
        metrics.EVENTS_PRODUCED.labels(event_type_of(type(event))).inc()

    def emit_payload(self, payload: dict[str, Any]) -> Envelope:
        """Validate a plain payload (upcasting old versions) and send it; raises on bad input."""
        cls, lifted = upcast(payload)
        event = cls.model_validate(lifted)
        self.emit(event)
        return event

    def send_raw(self, key: str, value: bytes) -> None:
        """Send bytes as they are (tests use this to put bad input on the topic)."""
        future = self._producer.send(self.topic, key=key.encode(), value=value)
        if future is not None:  # the recorded fake (producers/testing.py) returns none
            future.add_errback(self._on_error)
        self.sent += 1

    def _on_error(self, exc: BaseException) -> None:
        # Runs on the producer's I/O thread; never log the message, it may be personal data.
        self.failed += 1
        self._error = self._error or exc

    def _raise_failures(self) -> None:
        if self.failed:
            raise DeliveryFailed(
                f"{self.failed} of {self.sent} messages to {self.topic} were not acknowledged "
                f"({type(self._error).__name__}: {self._error})"
            )

    def flush(self) -> None:
        """Block until every sent event is acknowledged; raise DeliveryFailed if any was not."""
        self._producer.flush()
        self._raise_failures()

    def close(self) -> None:
        """Flush and close the producer; raise DeliveryFailed if a message was not delivered."""
        try:
            self._producer.flush()
        finally:
            self._producer.close()
        logger.info("emitter closed after %d events to %s", self.sent, self.topic)
        self._raise_failures()

    def __enter__(self) -> Emitter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
