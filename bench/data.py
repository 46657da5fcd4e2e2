"""The benchmark's input: serialised events, produced once to a private raw topic."""

from __future__ import annotations

import uuid

from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic

from pathwatch.settings import Settings


def event_payloads(n_events: int, seed: int = 7) -> list[tuple[bytes, bytes]]:
    """(key, value) pairs of about `n_events` valid events, the simulator's when available."""
    try:
        from producers.simulator import bench_payloads  # type: ignore[import-not-found,attr-defined,unused-ignore]  # simulator lands later

        pairs: list[tuple[bytes, bytes]] = bench_payloads(n_events, seed)
        return pairs
    except ImportError:
        from producers.sample import sample_events

        events = sample_events(max(1, n_events // 3), seed=seed)
        return [(e.pathway_id.encode(), e.model_dump_json().encode()) for e in events]


def make_topic(settings: Settings, partitions: int) -> str:
    """A fresh topic for this run, so every run reads the same data from offset 0."""
    name = f"bench.raw.{uuid.uuid4().hex[:8]}"
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap)
    try:
        admin.create_topics([NewTopic(name, num_partitions=partitions, replication_factor=1)])
    finally:
        admin.close()
    return name


def produce(settings: Settings, topic: str, pairs: list[tuple[bytes, bytes]]) -> None:
    """Put the pairs on the topic (acks=all, batched) and wait for every acknowledgement."""
    producer = KafkaProducer(
        bootstrap_servers=settings.kafka.bootstrap,
        acks="all",
        linger_ms=20,
        batch_size=256 * 1024,
        compression_type=None,
    )
    for key, value in pairs:
        producer.send(topic, key=key, value=value)
    producer.flush()
    producer.close()
