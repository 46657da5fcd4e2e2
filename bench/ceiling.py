"""The ceiling: bare consumption of the raw topic with Faust's client library (aiokafka).

Same client and same JSON decoding (orjson) as the worker, and no other work: no validation,
no state, no output. Whatever the pipeline does on top is measured against this number.
"""

from __future__ import annotations

import asyncio
import time

import orjson
from aiokafka import AIOKafkaConsumer


async def _consume(bootstrap: str, topic: str, expected: int) -> float:
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
        group_id=None,
    )
    await consumer.start()
    seen = 0
    start = time.perf_counter()
    try:
        while seen < expected:
            batches = await consumer.getmany(timeout_ms=1000, max_records=10_000)
            for records in batches.values():
                for record in records:
                    orjson.loads(record.value or b"{}")
                    seen += 1
    finally:
        await consumer.stop()
    return time.perf_counter() - start


def bare_consumption(bootstrap: str, topic: str, expected: int) -> float:
    """Seconds to consume and JSON-decode `expected` messages from the start of `topic`."""
    return asyncio.run(_consume(bootstrap, topic, expected))
