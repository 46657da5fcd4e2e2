"""Every Prometheus metric of Pathwatch, defined once (prefix `pathwatch_`, base units).

Labels are bounded sets only: event type, dead-letter reason, sink name, stage, region code,
rule id, partition. Never a citizen, pathway or case id. Alert rules on these metrics are in
deploy/prometheus/rules.yml; docs/operations.md says what each alert means.
"""

from __future__ import annotations

import logging

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client import start_http_server as _start_http_server

logger = logging.getLogger(__name__)

# Seconds from "recorded in the source system" to "row written in ClickHouse": minutes matter.
LATENCY_BUCKETS = (0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600)
BATCH_BUCKETS = (1, 10, 50, 100, 500, 1000, 2500, 5000, 10000, 50000)

EVENTS_CONSUMED = Counter(
    "pathwatch_events_consumed_total",
    "Pathway events read from the events topic, by event type (worker and raw sink).",
    ["consumer", "event_type"],
)
EVENTS_PRODUCED = Counter(
    "pathwatch_events_produced_total",
    "Pathway events put on the events topic by a producer, by event type.",
    ["event_type"],
)
DEAD_LETTERS = Counter(
    "pathwatch_dead_letters_total",
    "Messages dead-lettered, by reason (schemas/deadletter.py).",
    ["reason"],
)
CONSUMER_LAG = Gauge(
    "pathwatch_consumer_lag_messages",
    "Messages between a consumer group's position and the end of its topic (all partitions).",
    ["consumer"],
)
PROCESSING_SECONDS = Histogram(
    "pathwatch_processing_seconds",
    "Time to process one polled batch (decode + rows + insert for sinks; fold for the worker).",
    ["stage"],
)
END_TO_END_LATENCY = Histogram(
    "pathwatch_end_to_end_latency_seconds",
    "From the event's recorded_at (raw sink) or the message's Kafka timestamp (other sinks) "
    "to its row being written in ClickHouse.",
    ["sink"],
    buckets=LATENCY_BUCKETS,
)
OPEN_ALERTS = Gauge(
    "pathwatch_open_alerts",
    "Stalled-pathway alerts whose latest state is not RESOLVED, by region and rule (§5.2).",
    ["region", "rule"],
)
SINK_ROWS = Counter("pathwatch_sink_rows_total", "Rows inserted into ClickHouse.", ["sink"])
SINK_BATCH_ROWS = Histogram(
    "pathwatch_sink_batch_rows",
    "Rows per successful ClickHouse insert.",
    ["sink"],
    buckets=BATCH_BUCKETS,
)
SINK_RETRIES = Counter(
    "pathwatch_sink_retries_total",
    "Inserts retried after ClickHouse was unavailable (the batch is kept, offsets not committed).",
    ["sink"],
)
SINK_FAILURES = Counter(
    "pathwatch_sink_failures_total",
    "Failed ClickHouse inserts (each failure is retried with backoff).",
    ["sink"],
)
SINK_SKIPPED = Counter(
    "pathwatch_sink_skipped_total",
    "Messages a sink could not turn into a row (invalid value); dead-lettered with coordinates.",
    ["sink"],
)
SINK_LAST_SUCCESS = Gauge(
    "pathwatch_sink_last_success_timestamp_seconds",
    "Unix time of the sink's last successful insert (or start).",
    ["sink"],
)


def start_http_server(port: int, registry: CollectorRegistry = REGISTRY) -> None:
    """Serve /metrics on 0.0.0.0:`port` (no-op when port is 0)."""
    if port <= 0:
        return
    _start_http_server(port, registry=registry)
    logger.info("metrics on http://0.0.0.0:%d/metrics", port)
