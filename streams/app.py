"""The Faust application. `faust -A streams.app worker` and `pathwatch worker` both run it.

Faust needs a module-level `app`, so this module reads settings at import time; everything
it names comes from schemas.topics.
"""

from __future__ import annotations

import faust

from pathwatch.settings import get_settings
from schemas.topics import Names
from streams import flow

settings = get_settings()
names = Names(settings.kafka.namespace)
datadir = settings.stack.state_dir / "faust" / names.app_id
if settings.streams.instance:
    datadir = datadir / settings.streams.instance
datadir.parent.mkdir(parents=True, exist_ok=True)

app = faust.App(
    names.app_id,
    broker=f"kafka://{settings.kafka.bootstrap}",
    store=settings.streams.store,
    # Faust otherwise reads BROKER_URL & co. from the environment over these arguments.
    env_prefix="PATHWATCH_FAUST_",
    topic_partitions=settings.kafka.partitions,
    topic_replication_factor=1,
    topic_allow_declare=True,
    web_enabled=settings.streams.web_enabled,
    web_port=settings.streams.web_port,
    web_host="127.0.0.1",
    datadir=str(datadir),
    autodiscover=False,
    # At-least-once: we never turn on Faust's exactly-once mode (open upstream bugs).
    processing_guarantee="at_least_once",
    producer_acks=-1,
    consumer_auto_offset_reset="earliest",
    # Pick up topic metadata changes within seconds, not the default 5 minutes.
    consumer_metadata_max_age_ms=5000,
)

# Before any stream or table exists: the flow control that keeps events fetched during the
# post-recovery seek (streams/flow.py).
flow.install(app)

events_topic = app.topic(
    names.events,
    key_type=bytes,
    value_type=bytes,
    key_serializer="raw",
    value_serializer="raw",
    partitions=settings.kafka.partitions,
)
facts_topic = app.topic(
    names.facts, key_serializer="raw", value_serializer="raw", partitions=settings.kafka.partitions
)
alerts_topic = app.topic(
    names.alerts, key_serializer="raw", value_serializer="raw", partitions=settings.kafka.partitions
)
progress_topic = app.topic(
    names.progress,
    key_serializer="raw",
    value_serializer="raw",
    partitions=settings.kafka.partitions,
)
dead_letter_topic = app.topic(
    names.dead_letters,
    key_serializer="raw",
    value_serializer="raw",
    partitions=settings.kafka.partitions,
)

pathway_table = app.Table(
    names.pathway_table,
    default=None,
    schema=faust.Schema(key_serializer="json", value_serializer="json"),
    partitions=settings.kafka.partitions,
)

# Register the agents on the app.
from streams import agents as _agents  # noqa: E402, F401
