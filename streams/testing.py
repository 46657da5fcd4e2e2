"""A recorded fake for unit tests: captures what agents send to output topics."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from unittest.mock import patch


class Recorder:
    """Replaces `topic.send` on the given topics; `sent[topic_name]` lists (key, value)."""

    def __init__(self) -> None:
        self.sent: dict[str, list[tuple[Any, Any]]] = {}

    @contextmanager
    def recording(self, *topics: Any) -> Iterator[Recorder]:
        """Patch each topic's send for the duration of the block."""
        with ExitStack() as stack:
            for topic in topics:
                name = topic.get_topic_name()
                self.sent[name] = []

                async def send(
                    key: Any = None, value: Any = None, _name: str = name, **_: Any
                ) -> None:
                    self.sent[_name].append((key, value))

                stack.enter_context(patch.object(topic, "send", send))
            yield self
