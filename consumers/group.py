"""The sink's consumer-group chores with kafka-python: commits, lag, an abandoned rejoin."""

from __future__ import annotations

import logging
from typing import Any

from kafka import KafkaConsumer
from kafka.errors import KafkaError

from pathwatch import metrics

logger = logging.getLogger("consumers.runner")


def finish_abandoned_rejoin(consumer: KafkaConsumer, name: str) -> None:
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


def commit(consumer: KafkaConsumer, name: str) -> bool:
    """Commit the consumed positions; False (logged) when the group refused, e.g. mid-rebalance."""
    try:
        consumer.commit()
    except KafkaError as exc:
        logger.warning("%s: commit failed (%s); retrying", name, type(exc).__name__)
        return False
    return True


def report_lag(consumer: KafkaConsumer, name: str) -> int | None:
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
