"""Consumer-group progress on the broker: committed and end offsets of the pipeline's groups.

The worker and the sinks commit an offset only after its work is done (the worker after its
table writes and messages are flushed, a sink after its insert), so a group whose committed
offsets equal the end offsets of its topic has everything on that topic in its output.
"""

from __future__ import annotations

from types import TracebackType

from kafka import KafkaConsumer, TopicPartition

from schemas.topics import Names


def worker_group(names: Names) -> tuple[str, str]:
    """(topic, consumer group) of the Faust worker: Faust's group is its application id."""
    return names.events, names.app_id


class GroupOffsets:
    """Reads committed offsets of consumer groups (one idle client per group, never joining)."""

    def __init__(self, bootstrap: str) -> None:
        self.bootstrap = bootstrap
        self._clients: dict[str | None, KafkaConsumer] = {}

    def _client(self, group: str | None) -> KafkaConsumer:
        if group not in self._clients:
            self._clients[group] = KafkaConsumer(
                bootstrap_servers=self.bootstrap,
                group_id=group,
                enable_auto_commit=False,
                request_timeout_ms=20000,
            )
        return self._clients[group]

    def committed_and_end(self, topic: str, group: str) -> tuple[int, int]:
        """(committed offsets of `group`, end offsets), summed over the topic's partitions."""
        ends_client = self._client(None)
        parts = [TopicPartition(topic, p) for p in ends_client.partitions_for_topic(topic) or []]
        ends = ends_client.end_offsets(parts)
        committing = self._client(group)
        done = sum(committing.committed(tp) or 0 for tp in parts)
        return done, sum(ends.values())

    def lag(self, topic: str, group: str) -> int:
        """Messages of `topic` that `group` has not committed yet."""
        done, end = self.committed_and_end(topic, group)
        return end - done

    def caught_up(self, pairs: list[tuple[str, str]]) -> bool:
        """Every (topic, group) has committed its whole topic, checked in the given order."""
        return all(self.lag(topic, group) == 0 for topic, group in pairs)

    def close(self) -> None:
        """Close every client (without committing anything)."""
        for client in self._clients.values():
            client.close(autocommit=False)
        self._clients.clear()

    def __enter__(self) -> GroupOffsets:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
