"""A recorded fake of the Kafka producer for unit tests: keeps what would have been sent."""

from __future__ import annotations

from typing import Any


class RecordingProducer:
    """Stands in for `kafka.KafkaProducer` in `Emitter(settings, producer=...)`."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes | None, bytes]] = []
        self.closed = False

    def send(self, topic: str, key: bytes | None = None, value: bytes = b"", **_: Any) -> None:
        """Record one message."""
        self.sent.append((topic, key, value))

    def flush(self) -> None:
        """Nothing is buffered."""

    def close(self) -> None:
        """Mark the fake closed."""
        self.closed = True
