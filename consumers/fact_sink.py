"""The fact sink: pathway facts from Kafka into ClickHouse, offsets committed after insert."""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import Any

from kafka import KafkaConsumer
from kafka.consumer.subscription_state import ConsumerRebalanceListener

from consumers.batching import BatchingSink
from consumers.clickhouse import ClickHouseWriter, DestinationUnavailable, connect
from consumers.rows import FACT_COLUMNS, fact_row
from pathwatch.settings import Settings
from schemas.facts import PathwayFact
from schemas.tables import PATHWAY_FACTS
from schemas.topics import Names

logger = logging.getLogger(__name__)


class _FlushOnRevoke(ConsumerRebalanceListener):  # type: ignore[misc]  # untyped base class
    def __init__(self, sink: BatchingSink) -> None:
        self.sink = sink

    def on_partitions_revoked(self, revoked: Any) -> None:
        # Write what we hold before another member takes over these partitions.
        try:
            self.sink.flush()
        except DestinationUnavailable:
            logger.warning("could not flush on revoke; the new owner will replay the batch")
            self.sink.buffer.clear()
            self.sink.oldest = None

    def on_partitions_assigned(self, assigned: Any) -> None:
        logger.info("fact sink assigned %d partitions", len(assigned))


def run_fact_sink(settings: Settings, stop: threading.Event) -> None:
    """Consume facts until `stop` is set; flush and commit before returning."""
    names = Names(settings.kafka.namespace)
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka.bootstrap,
        group_id=names.fact_sink_group,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=5000,
        # A freshly created topic may not be in the first metadata answer; refresh soon.
        metadata_max_age_ms=5000,
    )
    deadline = time.monotonic() + 60
    while not consumer.partitions_for_topic(names.facts) and time.monotonic() < deadline:
        time.sleep(0.5)
    writer = ClickHouseWriter(connect(settings), PATHWAY_FACTS, FACT_COLUMNS)
    sink = BatchingSink(
        writer,
        commit=consumer.commit,
        max_rows=settings.sink.batch_max_rows,
        max_seconds=settings.sink.batch_max_seconds,
    )
    consumer.subscribe([names.facts], listener=_FlushOnRevoke(sink))
    backoff = settings.sink.retry_initial_s
    logger.info("fact sink consuming %s into %s", names.facts, PATHWAY_FACTS)
    try:
        while not stop.is_set():
            batch = consumer.poll(timeout_ms=200)
            now = datetime.now().astimezone()
            for records in batch.values():
                for record in records:
                    fact = PathwayFact.model_validate_json(record.value)
                    sink.add(fact_row(fact, now))
            if not sink.due():
                continue
            try:
                sink.flush()
                backoff = settings.sink.retry_initial_s
                consumer.resume(*consumer.assignment())
            except DestinationUnavailable as exc:
                # Keep the batch, stop fetching more, and retry after a growing pause.
                logger.warning("ClickHouse unavailable (%s); retry in %.1fs", exc, backoff)
                consumer.pause(*consumer.assignment())
                stop.wait(backoff)
                backoff = min(backoff * 2, settings.sink.retry_max_s)
    finally:
        _final_flush(sink, settings, stop)
        consumer.close(autocommit=False)
        logger.info("fact sink stopped after %d rows", sink.rows_written)


def _final_flush(sink: BatchingSink, settings: Settings, stop: threading.Event) -> None:
    """Graceful shutdown: try for a while to write what is buffered, then give up uncommitted."""
    deadline = time.monotonic() + settings.sink.retry_max_s
    while sink.buffer and time.monotonic() < deadline:
        try:
            sink.flush()
        except DestinationUnavailable:
            time.sleep(0.5)
