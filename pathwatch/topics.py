"""Create the project's Kafka topics up front, with explicit partition counts."""

from __future__ import annotations

import logging

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
        return created
    finally:
        admin.close()
