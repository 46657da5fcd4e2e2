"""One runner for every ClickHouse sink: facts, alerts, raw events, dead letters, progress.

Each sink consumes one topic in its own consumer group (schemas/topics.py), turns messages into
rows (consumers/rows.py), batches by size and age, inserts, and commits offsets only after the
insert succeeded. Every target table collapses a replayed row (0002), so a crash between insert
and commit only means a harmless replay. While ClickHouse is unreachable the batch is kept, the
consumer is paused (it keeps polling, so it stays in its group), and the insert is retried with
exponential backoff; afterwards the sink catches up from where it committed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaConsumer
from kafka.errors import KafkaError
from pydantic import ValidationError

from consumers import rows
from consumers.batching import BatchingSink
from consumers.clickhouse import ClickHouseWriter, DestinationUnavailable, connect
from consumers.deadletters import DeadLetterSender
from pathwatch import metrics
from pathwatch.settings import Settings
from schemas import tables
from schemas.alerts import Alert
from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, decode
from schemas.facts import PathwayFact
from schemas.progress import Watermark
from schemas.topics import Names

logger = logging.getLogger(__name__)

# (record, written_at) -> (row or None to skip, the instant end-to-end latency is measured from)
ToRow = Callable[[Any, datetime], tuple[rows.Row | None, datetime]]


@dataclass(frozen=True)
class SinkSpec:
    """What one sink reads and writes."""

    name: str
    topic: Callable[[Names], str]
    group: Callable[[Names], str]
    table: str
    columns: tuple[str, ...]
    to_row: ToRow


def _facts(record: Any, now: datetime) -> tuple[rows.Row | None, datetime]:
    fact = PathwayFact.model_validate_json(record.value)
    return rows.fact_row(fact, now), rows.kafka_time(record.timestamp)


def _alerts(record: Any, now: datetime) -> tuple[rows.Row | None, datetime]:
    alert = Alert.model_validate_json(record.value)
    return rows.alert_row(alert, now), rows.kafka_time(record.timestamp)


def _raw(record: Any, now: datetime) -> tuple[rows.Row | None, datetime]:
    # The same edge check as the worker; what fails it is the worker's dead letter, not ours.
    where = Coordinates(record.topic, record.partition, record.offset)
    event = decode(record.value, where, now)
    if isinstance(event, DeadLetter):
        return None, now
    metrics.EVENTS_CONSUMED.labels("sink-raw", getattr(event, "event_type", "")).inc()
    return rows.raw_row(event, record.partition, record.offset, now), event.recorded_at


def _dead_letters(record: Any, now: datetime) -> tuple[rows.Row | None, datetime]:
    dl = DeadLetter.model_validate_json(record.value)
    at = rows.kafka_time(record.timestamp)
    return rows.dead_letter_row(dl, at, now), at


def _progress(record: Any, now: datetime) -> tuple[rows.Row | None, datetime]:
    wm = Watermark.model_validate_json(record.value)
    return rows.progress_row(wm, now), rows.kafka_time(record.timestamp)


SINKS: dict[str, SinkSpec] = {
    spec.name: spec
    for spec in (
        SinkSpec(
            "facts",
            lambda n: n.facts,
            lambda n: n.fact_sink_group,
            tables.PATHWAY_FACTS,
            rows.FACT_COLUMNS,
            _facts,
        ),
        SinkSpec(
            "alerts",
            lambda n: n.alerts,
            lambda n: n.alert_sink_group,
            tables.ALERTS,
            rows.ALERT_COLUMNS,
            _alerts,
        ),
        SinkSpec(
            "raw",
            lambda n: n.events,
            lambda n: n.raw_sink_group,
            tables.RAW_EVENTS,
            rows.RAW_COLUMNS,
            _raw,
        ),
        SinkSpec(
            "deadletters",
            lambda n: n.dead_letters,
            lambda n: n.dead_letter_sink_group,
            tables.DEAD_LETTERS,
            rows.DEAD_LETTER_COLUMNS,
            _dead_letters,
        ),
        SinkSpec(
            "progress",
            lambda n: n.progress,
            lambda n: n.progress_sink_group,
            tables.PROGRESS,
            rows.PROGRESS_COLUMNS,
            _progress,
        ),
    )
}


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


def run_sink(settings: Settings, name: str, stop: threading.Event) -> int:
    """Run sink `name` until `stop` is set; flush and commit before returning rows written."""
    spec = SINKS[name]
    names = Names(settings.kafka.namespace)
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
    # No rebalance listener: with one, kafka-python 3.0.12 marks the owned partitions "pending
    # revocation" before every rejoin, and a rejoin it abandons (see _finish_abandoned_rejoin)
    # left them unfetchable. At-least-once does not need one: every polled row is in the buffer
    # until it is written, and commit() (the positions) runs only after the write, so no commit
    # passes a row that was not written. Rows of a partition lost in a rebalance are still
    # written; the next owner re-reads them from the committed offset and the copies collapse.
    consumer.subscribe([topic])
    metrics.SINK_LAST_SUCCESS.labels(name).set(time.time())
    backoff = settings.sink.retry_initial_s
    paused = False
    uncommitted = False  # written rows whose offsets a commit refused (e.g. mid-rebalance)
    next_lag = 0.0
    logger.info("sink %s consuming %s into %s", name, topic, spec.table)
    try:
        while not stop.is_set():
            started = time.perf_counter()
            if paused:
                # Partitions assigned during an outage must wait as well.
                consumer.pause(*consumer.assignment())
            try:
                polled = consumer.poll(timeout_ms=200)
            except KafkaError as exc:
                # kafka-python 3.0 raises from poll() while the broker is away (a restart):
                # keep the batch and the consumer, and poll again (issue 7, broker restart).
                logger.warning("%s: poll failed (%s); retrying", name, exc)
                stop.wait(1.0)
                continue
            _finish_abandoned_rejoin(consumer, name)
            now = datetime.now(UTC)
            for records in polled.values():
                for record in records:
                    _add(spec, sink, record, now, latencies, dead_letters)
            if (polled or uncommitted) and not sink.buffer and not paused:
                # Every record so far was skipped (the raw sink skips the worker's dead letters)
                # or a commit after a write was refused: commit now, or the group would show lag
                # for ever (issue 7).
                uncommitted = not _commit(consumer, name)
            if time.monotonic() >= next_lag:
                _report_lag(consumer, name)
                next_lag = time.monotonic() + 5
            if not sink.due():
                continue
            try:
                sink.flush()
            except KafkaError as exc:
                # Written but not committed (e.g. a rebalance was in progress): commit again
                # later; until then a restart replays these rows and they collapse.
                logger.warning("%s: commit failed (%s); retrying", name, type(exc).__name__)
                uncommitted = True
                continue
            except DestinationUnavailable as exc:
                # Keep the batch, stop fetching more, retry after a growing pause.
                logger.warning(
                    "%s: ClickHouse unavailable (%s); retry in %.1fs", name, exc, backoff
                )
                metrics.SINK_RETRIES.labels(name).inc()
                if not paused:
                    consumer.pause(*consumer.assignment())
                    paused = True
                stop.wait(backoff)
                backoff = min(backoff * 2, settings.sink.retry_max_s)
                continue
            uncommitted = False
            metrics.PROCESSING_SECONDS.labels(f"sink-{name}").observe(time.perf_counter() - started)
            backoff = settings.sink.retry_initial_s
            if paused:
                logger.info("%s: ClickHouse reachable again; catching up", name)
                consumer.resume(*consumer.paused())
                paused = False
            if name == "alerts":
                _refresh_open_alerts(client, settings)
    finally:
        _final_flush(sink, settings, consumer, name)
        dead_letters.close()
        consumer.close(autocommit=False)
        logger.info("sink %s stopped after %d rows", name, sink.rows_written)
    return sink.rows_written


def _finish_abandoned_rejoin(consumer: KafkaConsumer, name: str) -> None:
    """Make kafka-python finish a rejoin that poll()'s timeout abandoned (3.0.12).

    A rejoin the group leader starts because the topic metadata changed is not driven by the
    coordinator's `rejoin_needed` flag, and the leader's own assignment ends the metadata
    mismatch while JoinGroup/SyncGroup are in flight. If poll()'s timeout expires then, the next
    poll sees no reason to rejoin and never applies the new generation: the member stays
    REBALANCING, so every commit fails with RebalanceInProgressError, and with a listener its
    partitions also stay "pending revocation" and unfetchable (issue 14: the 20-25 s sink
    stalls). Asking for a rejoin makes the next poll complete it.
    """
    coordinator: Any = consumer._coordinator  # no public API exposes the join state
    if coordinator.rejoining and not coordinator.need_rejoin():
        logger.info("%s: a rejoin was left unfinished by kafka-python; completing it", name)
        coordinator.request_rejoin()


def _commit(consumer: KafkaConsumer, name: str) -> bool:
    """Commit the consumed positions; False (logged) when the group refused, e.g. mid-rebalance."""
    try:
        consumer.commit()
    except KafkaError as exc:
        logger.warning("%s: commit failed (%s); retrying", name, type(exc).__name__)
        return False
    return True


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


def _report_lag(consumer: KafkaConsumer, name: str) -> int | None:
    """Set the lag gauge (end offsets minus positions over assigned partitions); None = unknown."""
    assigned = list(consumer.assignment())
    if not assigned:
        return 0
    try:
        ends = consumer.end_offsets(assigned)
        lag = sum(max(0, ends[tp] - consumer.position(tp, timeout_ms=5000)) for tp in assigned)
    except Exception as exc:  # lag is best effort; never stop the sink for it
        logger.debug("lag unavailable: %s", exc)
        return None
    metrics.CONSUMER_LAG.labels(f"sink-{name}").set(lag)
    return int(lag)


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
        _commit(consumer, name)


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
