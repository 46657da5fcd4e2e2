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
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.errors import KafkaError
from pydantic import ValidationError

from consumers import rows
from consumers.batching import BatchingSink
from consumers.clickhouse import ClickHouseWriter, DestinationUnavailable, connect
from pathwatch import metrics
from pathwatch.settings import Settings
from schemas import tables
from schemas.alerts import Alert
from schemas.deadletter import DeadLetter
from schemas.facts import PathwayFact
from schemas.progress import Watermark
from schemas.topics import Names
from streams.decode import Coordinates, decode

logger = logging.getLogger(__name__)

STALL_SECONDS = 20

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


class _DropOnRevoke(ConsumerRebalanceListener):  # type: ignore[misc]  # untyped base class
    """On revoke, forget the buffer; the main loop then rewinds to the committed offsets.

    kafka-python runs this callback on its IO thread, where committing (a blocking call) is
    not allowed. Dropping uncommitted rows is safe: whoever owns a partition next reads it
    again from the committed offset, and the tables collapse anything written twice.
    """

    def __init__(self, name: str, sink: BatchingSink) -> None:
        self.name = name
        self.sink = sink
        self.rewind = False

    def on_partitions_revoked(self, revoked: Any) -> None:
        if self.sink.buffer:
            logger.info(
                "%s: revoked; %d uncommitted rows dropped", self.name, len(self.sink.buffer)
            )
            self.sink.buffer.clear()
            self.sink.oldest = None
            self.rewind = True

    def on_partitions_assigned(self, assigned: Any) -> None:
        # Start every assignment at explicit committed offsets (the main loop seeks): after a
        # quick rebalance kafka-python 3.0 could otherwise start a partition at the wrong place.
        logger.info("sink %s assigned %d partitions", self.name, len(assigned))
        self.rewind = True


def _rewind(consumer: KafkaConsumer) -> None:
    """Seek every assigned partition back to its committed offset (or the beginning)."""
    assigned = list(consumer.assignment())
    # Numeric offsets only: seek_to_beginning() resets asynchronously and can race a rebalance.
    # Without a timeout, committed() waits forever when the coordinator does not answer.
    beginnings = consumer.beginning_offsets(assigned) if assigned else {}
    for tp in assigned:
        committed = consumer.committed(tp, timeout_ms=5000)
        consumer.seek(tp, beginnings[tp] if committed is None else committed)


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


class _Stalled(Exception):
    """The consumer has lag but fetches nothing: replace it (its rows were not committed)."""

    def __init__(self, rows_written: int) -> None:
        super().__init__(rows_written)
        self.rows_written = rows_written


def run_sink(settings: Settings, name: str, stop: threading.Event) -> int:
    """Run sink `name` until `stop` is set; flush and commit before returning rows written."""
    total = 0
    while True:
        try:
            return total + _run_consumer(settings, name, stop)
        except _Stalled as exc:
            # kafka-python 3.0 can leave a consumer fetching nothing after a quick rebalance;
            # a fresh consumer resumes from the committed offsets.
            total += exc.rows_written
            logger.warning("%s: consumer stalled; starting a new one", name)


def _run_consumer(settings: Settings, name: str, stop: threading.Event) -> int:
    """One consumer's life: until `stop` (returns rows written) or a stall (raises _Stalled)."""
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
    listener = _DropOnRevoke(name, sink)
    consumer.subscribe([topic], listener=listener)
    metrics.SINK_LAST_SUCCESS.labels(name).set(time.time())
    backoff = settings.sink.retry_initial_s
    paused = False
    next_lag = 0.0
    last_records = time.monotonic()
    stalled_out = False
    logger.info("sink %s consuming %s into %s", name, topic, spec.table)
    try:
        while not stop.is_set():
            started = time.perf_counter()
            try:
                polled = consumer.poll(timeout_ms=200)
            except KafkaError as exc:
                # kafka-python 3.0 raises from poll() while the broker is away (a restart):
                # keep the batch and the consumer, and poll again (issue 7, broker restart).
                logger.warning("%s: poll failed (%s); retrying", name, exc)
                stop.wait(1.0)
                continue
            now = datetime.now(UTC)
            if listener.rewind:
                # Rows polled after a revoke may sit past what was dropped: read them again.
                sink.buffer.clear()
                sink.oldest = None
                latencies.clear()
                try:
                    _rewind(consumer)
                    listener.rewind = False
                except KafkaError as exc:  # still rebalancing: try again after the next poll
                    logger.info("%s: rewind deferred (%s)", name, type(exc).__name__)
                continue
            for records in polled.values():
                for record in records:
                    _add(spec, sink, record, now, latencies)
            if polled:
                last_records = time.monotonic()
                if not sink.buffer and not paused:
                    # Every record so far was skipped (the raw sink skips dead letters): commit
                    # past them, or the group would show lag for ever (issue 7).
                    try:
                        sink.commit()
                    except KafkaError as exc:
                        logger.warning("%s: commit failed (%s); rewinding", name, exc)
                        listener.rewind = True
                        continue
            if time.monotonic() >= next_lag:
                lag = _report_lag(consumer, name)
                next_lag = time.monotonic() + 5
                # Watchdog: lag waiting but no records for a while means a stuck consumer.
                stalled = time.monotonic() - last_records > STALL_SECONDS
                if (lag is None or lag > 0) and not paused and stalled:
                    logger.warning("%s: lag %s, no records for %ds", name, lag, STALL_SECONDS)
                    stalled_out = True
                    raise _Stalled(sink.rows_written)
            if not sink.due():
                continue
            try:
                sink.flush()
            except KafkaError as exc:
                # Written but not committed (e.g. a rebalance was in progress): read again from
                # the committed offsets; the replayed rows collapse in ClickHouse.
                logger.warning("%s: commit failed (%s); rewinding", name, type(exc).__name__)
                listener.rewind = True
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
            metrics.PROCESSING_SECONDS.labels(f"sink-{name}").observe(time.perf_counter() - started)
            backoff = settings.sink.retry_initial_s
            if paused:
                logger.info("%s: ClickHouse reachable again; catching up", name)
                consumer.resume(*consumer.assignment())
                paused = False
            if name == "alerts":
                _refresh_open_alerts(client, settings)
    finally:
        if not stalled_out:
            _final_flush(sink, settings)
        consumer.close(autocommit=False)
        logger.info("sink %s stopped after %d rows", name, sink.rows_written)
    return sink.rows_written


def _add(
    spec: SinkSpec, sink: BatchingSink, record: Any, now: datetime, latencies: list[datetime]
) -> None:
    """Turn one record into a row; an invalid value is logged by coordinates and skipped."""
    try:
        row, since = spec.to_row(record, now)
    except (ValidationError, ValueError) as exc:
        metrics.SINK_SKIPPED.labels(spec.name).inc()
        logger.error(
            "%s: skipping invalid value at %s[%d]@%d: %s",
            spec.name,
            record.topic,
            record.partition,
            record.offset,
            type(exc).__name__,
        )
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


def _final_flush(sink: BatchingSink, settings: Settings) -> None:
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
