"""The ceiling: bare consumption of the raw topic with Faust's client library (aiokafka).

Same client and same JSON decoding (orjson) as the worker, and no other work: no validation,
no state, no output. Whatever the pipeline does on top is measured against this number.
The clock starts when the first batch arrives (connection, metadata and offset lookup are
start-up, which the end-to-end figure reports separately), and the best of `runs` counts.
"""

from __future__ import annotations

import asyncio
import time

import orjson
from aiokafka import AIOKafkaConsumer, TopicPartition


async def _consume(bootstrap: str, topic: str, expected: int) -> float:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None
    )
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(await _partitions(consumer, topic))]
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        seen = 0
        start: float | None = None
        while seen < expected:
            batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            if start is None and batches:
                start = time.perf_counter()
            for records in batches.values():
                for record in records:
                    orjson.loads(record.value or b"{}")
                    seen += 1
        return time.perf_counter() - (start or time.perf_counter())
    finally:
        await consumer.stop()


async def _partitions(consumer: AIOKafkaConsumer, topic: str) -> set[int]:
    for _ in range(50):
        found = consumer.partitions_for_topic(topic)
        if found:
            return set(found)
        await consumer._client.force_metadata_update()  # aiokafka has no public refresh call
        await asyncio.sleep(0.1)
    raise RuntimeError(f"no partitions for {topic}")


def bare_consumption(bootstrap: str, topic: str, expected: int, runs: int = 2) -> float:
    """Seconds to consume and JSON-decode `expected` messages from the start of `topic`."""
    return min(asyncio.run(_consume(bootstrap, topic, expected)) for _ in range(runs))
