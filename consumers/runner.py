"""One runner for every ClickHouse sink: facts, alerts, raw events, dead letters, progress.

Each sink consumes one topic in its own consumer group (schemas/topics.py), turns messages into
rows (consumers/specs.py, consumers/rows.py), batches by size and age, inserts, and commits
offsets only after the insert succeeded. Every target table collapses a replayed row (0002), so
a crash between insert and commit only means a harmless replay. While ClickHouse is unreachable
the batch is kept, the consumer is paused (it keeps polling, so it stays in its group), and the
insert is retried with exponential backoff (`Outage`); afterwards the sink catches up from where
it committed. The group chores (commits, lag, kafka-python's abandoned rejoin) are in
consumers/group.py.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaConsumer
from kafka.errors import KafkaError
from pydantic import ValidationError

from consumers import group
from consumers.batching import BatchingSink
from consumers.clickhouse import ClickHouseWriter, DestinationUnavailable, connect
from consumers.deadletters import DeadLetterSender
from consumers.specs import SINKS, SinkSpec
from pathwatch import metrics
from pathwatch.settings import Settings
from schemas import tables
from schemas.topics import Names

logger = logging.getLogger(__name__)

__all__ = ["SINKS", "SinkSpec", "run_sink", "run_sinks"]

LAG_EVERY_S = 5.0


class _MeteredWriter:
    """ClickHouseWriter plus batch-size, row and last-success metrics."""

    def __init__(self, name: str, inner: ClickHouseWriter, latencies: list[datetime]) -> None:
        self.name = name
        self.inner = inner
        self.latencies = latencies

    def write(self, batch: Any) -> None:
        try:
            self.inner.write(batch)
        except DestinationUnavailable:
            metrics.SINK_FAILURES.labels(self.name).inc()
            raise
        now = datetime.now(UTC)
        metrics.SINK_BATCH_ROWS.labels(self.name).observe(len(batch))
        metrics.SINK_ROWS.labels(self.name).inc(len(batch))
        metrics.SINK_LAST_SUCCESS.labels(self.name).set(now.timestamp())
        hist = metrics.END_TO_END_LATENCY.labels(self.name)
        for since in self.latencies:
            hist.observe(max(0.0, (now - since).total_seconds()))
        self.latencies.clear()


class Outage:
    """ClickHouse unreachable: keep the batch, stop fetching, retry after a growing pause."""

    def __init__(self, consumer: KafkaConsumer, name: str, settings: Settings) -> None:
        self.consumer, self.name = consumer, name
        self.initial, self.maximum = settings.sink.retry_initial_s, settings.sink.retry_max_s
        self.backoff = self.initial
        self.paused = False

    def hold(self) -> None:
        """While paused, partitions assigned during the outage must wait as well."""
        if self.paused:
            self.consumer.pause(*self.consumer.assignment())

    def failed(self, exc: Exception, stop: threading.Event) -> None:
        """An insert failed: pause fetching, wait, and wait longer next time."""
        logger.warning(
            "%s: ClickHouse unavailable (%s); retry in %.1fs", self.name, exc, self.backoff
        )
        metrics.SINK_RETRIES.labels(self.name).inc()
        if not self.paused:
            self.consumer.pause(*self.consumer.assignment())
            self.paused = True
        stop.wait(self.backoff)
        self.backoff = min(self.backoff * 2, self.maximum)

    def ended(self) -> None:
        """An insert succeeded: fetch again, and start the next backoff from the beginning."""
        self.backoff = self.initial
        if self.paused:
            logger.info("%s: ClickHouse reachable again; catching up", self.name)
            self.consumer.resume(*self.consumer.paused())
            self.paused = False


def _consumer(settings: Settings, spec: SinkSpec, names: Names, stop: threading.Event) -> Any:
    """The sink's consumer, subscribed, once the topic is in the metadata (or after 60 s)."""
    topic = spec.topic(names)
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka.bootstrap,
        group_id=spec.group(names),
        enable_auto_commit=False,
        auto_offset_reset="earliest",
        max_poll_records=settings.sink.batch_max_rows,
        # A freshly created topic may not be in the first metadata answer; refresh soon.
        metadata_max_age_ms=5000,
    )
    deadline = time.monotonic() + 60
    while not consumer.partitions_for_topic(topic) and time.monotonic() < deadline:
        stop.wait(0.5)
    # No rebalance listener: with one, kafka-python 3.0.12 marks the owned partitions "pending
    # revocation" before every rejoin, and a rejoin it abandons (group.finish_abandoned_rejoin)
    # left them unfetchable. At-least-once does not need one: every polled row is in the buffer
    # until it is written, and commit() (the positions) runs only after the write, so no commit
    # passes a row that was not written. Rows of a partition lost in a rebalance are still
    # written; the next owner re-reads them from the committed offset and the copies collapse.
    consumer.subscribe([topic])
    return consumer


def _poll(consumer: KafkaConsumer, name: str, stop: threading.Event) -> dict[Any, Any] | None:
    """The records of one poll; None (after a pause) while the broker is away."""
    try:
        polled: dict[Any, Any] = consumer.poll(timeout_ms=200)
    except KafkaError as exc:
        # kafka-python 3.0 raises from poll() while the broker is away (a restart): keep the
        # batch and the consumer, and poll again (issue 7, broker restart).
        logger.warning("%s: poll failed (%s); retrying", name, exc)
        stop.wait(1.0)
        return None
    group.finish_abandoned_rejoin(consumer, name)
    return polled


def _write(sink: BatchingSink, name: str, outage: Outage, stop: threading.Event) -> bool | None:
    """Insert the batch and commit: True; inserted but the commit refused: False; None while
    ClickHouse is unreachable (the batch is kept, `outage` waits)."""
    try:
        sink.flush()
    except KafkaError as exc:
        # Written but not committed (e.g. a rebalance was in progress): commit again later;
        # until then a restart replays these rows and they collapse.
        logger.warning("%s: commit failed (%s); retrying", name, type(exc).__name__)
        return False
    except DestinationUnavailable as exc:
        outage.failed(exc, stop)
        return None
    outage.ended()
    return True


def run_sink(settings: Settings, name: str, stop: threading.Event) -> int:
    """Run sink `name` until `stop` is set; flush and commit before returning rows written."""
    spec = SINKS[name]
    names = Names(settings.kafka.namespace)
    consumer = _consumer(settings, spec, names, stop)
    latencies: list[datetime] = []
    client = connect(settings)
    writer = _MeteredWriter(name, ClickHouseWriter(client, spec.table, spec.columns), latencies)
    sink = BatchingSink(
        writer,
        commit=consumer.commit,
        max_rows=settings.sink.batch_max_rows,
        max_seconds=settings.sink.batch_max_seconds,
    )
    dead_letters = DeadLetterSender(settings, names.dead_letters, name)
    metrics.SINK_LAST_SUCCESS.labels(name).set(time.time())
    outage = Outage(consumer, name, settings)
    uncommitted = False  # written rows whose offsets a commit refused (e.g. mid-rebalance)
    next_lag = 0.0
    logger.info("sink %s consuming %s into %s", name, spec.topic(names), spec.table)
    try:
        while not stop.is_set():
            started = time.perf_counter()
            outage.hold()
            polled = _poll(consumer, name, stop)
            if polled is None:
                continue
            now = datetime.now(UTC)
            for records in polled.values():
                for record in records:
                    _add(spec, sink, record, now, latencies, dead_letters)
            if (polled or uncommitted) and not sink.buffer and not outage.paused:
                # Every record so far was skipped (the raw sink skips the worker's dead letters)
                # or a commit after a write was refused: commit now, or the group would show lag
                # for ever (issue 7).
                uncommitted = not group.commit(consumer, name)
            if time.monotonic() >= next_lag:
                group.report_lag(consumer, name)
                next_lag = time.monotonic() + LAG_EVERY_S
            if not sink.due():
                continue
            written = _write(sink, name, outage, stop)
            if not written:
                uncommitted = uncommitted or written is False
                continue
            uncommitted = False
            metrics.PROCESSING_SECONDS.labels(f"sink-{name}").observe(time.perf_counter() - started)
            if name == "alerts":
                _refresh_open_alerts(client, settings)
    finally:
        _final_flush(sink, settings, consumer, name)
        dead_letters.close()
        consumer.close(autocommit=False)
        logger.info("sink %s stopped after %d rows", name, sink.rows_written)
    return sink.rows_written


def _add(
    spec: SinkSpec,
    sink: BatchingSink,
    record: Any,
    now: datetime,
    latencies: list[datetime],
    dead_letters: DeadLetterSender,
) -> None:
    """Turn one record into a row; an unreadable one is dead-lettered (or the sink stops)."""
    try:
        row, since = spec.to_row(record, now)
    except (ValidationError, ValueError) as exc:
        metrics.SINK_SKIPPED.labels(spec.name).inc()
        dead_letters.send(record, exc)
        return
    if row is not None:
        sink.add(row)
        latencies.append(since)


_last_alert_refresh = 0.0


def _refresh_open_alerts(client: Any, settings: Settings) -> None:
    """Update the open-alerts gauge from ClickHouse, at most every 15 s."""
    global _last_alert_refresh
    if time.monotonic() - _last_alert_refresh < 15:
        return
    _last_alert_refresh = time.monotonic()
    db = settings.clickhouse.database
    sql = (
        f"SELECT region_code, rule_id, sum(open_alerts) "
        f"FROM {db}.{tables.ALERTS_OPEN_BY_REGION_RULE} GROUP BY region_code, rule_id"
    )
    try:
        counts = client.execute(sql)
    except Exception as exc:  # a gauge refresh must never stop the sink
        logger.warning("open alerts gauge not refreshed: %s", type(exc).__name__)
        return
    metrics.OPEN_ALERTS.clear()
    for region, rule, n in counts:
        metrics.OPEN_ALERTS.labels(region or "unknown", rule).set(int(n))


def _final_flush(
    sink: BatchingSink, settings: Settings, consumer: KafkaConsumer, name: str
) -> None:
    """Graceful shutdown: try for a while to write what is buffered, else leave it uncommitted."""
    deadline = time.monotonic() + settings.sink.retry_max_s
    while sink.buffer and time.monotonic() < deadline:
        try:
            sink.flush()
        except DestinationUnavailable:
            time.sleep(0.5)
        except KafkaError as exc:
            # Written, not committed: the next run replays these rows and they collapse.
            logger.warning("final commit failed (%s); rows will be replayed", type(exc).__name__)
            return
    if not sink.buffer:
        # Positions past skipped or dead-lettered records, or a commit refused earlier.
        group.commit(consumer, name)


def run_sinks(settings: Settings, names: list[str], stop: threading.Event) -> dict[str, int]:
    """Run several sinks, one thread each; if one fails, stop all and raise."""
    written: dict[str, int] = {}
    errors: list[BaseException] = []

    def target(name: str) -> None:
        try:
            written[name] = run_sink(settings, name, stop)
        except BaseException as exc:
            logger.exception("sink %s failed", name)
            errors.append(exc)
            stop.set()

    threads = [threading.Thread(target=target, args=(n,), name=f"sink-{n}") for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return written
