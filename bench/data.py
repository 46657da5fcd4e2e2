"""The benchmark's input: a simulated national run (producers/simulator), produced to Kafka."""

from __future__ import annotations

from collections.abc import Iterable

from kafka import KafkaProducer

from pathwatch.settings import Settings
from producers.simulator import Options, load, stream
from producers.simulator.config import DEFAULT_PATH


def national(pathways: int, seed: int = 7) -> list[tuple[bytes, bytes]]:
    """(key, value) of every event of `pathways` simulated national pathways, no faults.

    The national scenario (producers/scenarios.toml) spreads intake over half a year and follows
    each pathway for 52 weeks, so the events span a little over a year of simulated time.
    """
    messages = stream(load(DEFAULT_PATH), Options("national", seed, pathways))
    return [(m.key.encode(), m.value) for m in messages]


def producer_of(settings: Settings) -> KafkaProducer:
    """A producer for a backlog as fast as the broker takes it: acks=all, large batches."""
    return KafkaProducer(
        bootstrap_servers=settings.kafka.bootstrap,
        acks="all",
        linger_ms=20,
        batch_size=256 * 1024,
        compression_type=None,
    )


def produce(settings: Settings, topic: str, pairs: Iterable[tuple[bytes, bytes]]) -> None:
    """Put the pairs on the topic (acks=all, batched) and wait for every acknowledgement."""
    producer = producer_of(settings)
    for key, value in pairs:
        producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()
