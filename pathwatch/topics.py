"""Create the project's Kafka topics up front, with explicit partition counts."""

from __future__ import annotations

import logging
import time
from typing import Any

from kafka import KafkaAdminClient
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

from pathwatch.settings import Settings
from schemas.topics import Names

logger = logging.getLogger(__name__)


def ensure_topics(settings: Settings) -> list[str]:
    """Create missing topics of the configured namespace; return the ones created."""
    names = Names(settings.kafka.namespace)
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka.bootstrap, request_timeout_ms=30000)
    try:
        existing = set(admin.list_topics())
        missing = [t for t in names.source_topics() if t not in existing]
        created = []
        for topic in missing:
            configs = {"cleanup.policy": "compact"} if topic in names.compacted_topics() else {}
            try:
                admin.create_topics(
                    [NewTopic(topic, settings.kafka.partitions, 1, topic_configs=configs)]
                )
                created.append(topic)
            except TopicAlreadyExistsError:
                pass  # created concurrently by another process: fine
        if created:
            logger.info("created topics %s", ", ".join(created))
        _wait_until_led(admin, names.source_topics(), settings.kafka.partitions)
        return created
    finally:
        admin.close()


def _wait_until_led(admin: Any, topics: list[str], partitions: int, timeout: float = 30) -> None:
    """Block until every partition of `topics` has a leader.

    A client that subscribes to a topic whose metadata is not complete yet may get no partitions
    of it until its next metadata refresh (minutes later); Faust and the sinks start right after.
    """
    deadline = time.monotonic() + timeout
    while True:
        described = admin.describe_topics(topics)
        ready = all(
            t.get("error_code") == 0
            and len(t["partitions"]) >= partitions
            and all(p.get("leader_id", -1) >= 0 for p in t["partitions"])
            for t in described
        )
        if ready:
            return
        if time.monotonic() > deadline:
            logger.warning("topics %s still have partitions without a leader", ", ".join(topics))
            return
        time.sleep(0.2)
