"""cProfile of the real worker process (`pathwatch worker`) draining a backlog of valid events.

`python -m bench.profile_worker [--pathways N]` writes bench/results/profile-worker.txt: where
the worker's main thread spends its time per event, Faust and aiokafka included (the consumer's
fetcher thread is not in the profile). Not part of `make bench` (profiling slows the worker).
"""

from __future__ import annotations

import argparse
import io
import pstats
import time
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition

from bench import data, stages
from bench.pipeline import close_namespace, open_namespace
from pathwatch.settings import get_settings
from schemas.topics import Names

RESULTS = Path(__file__).parent / "results"


def _committed(bootstrap: str, topic: str, group: str, partitions: int) -> int:
    """Events the worker's consumer group has committed (the agent sends one fact per pathway
    per batch, so the facts topic no longer counts events)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False)
    try:
        return sum(consumer.committed(TopicPartition(topic, p)) or 0 for p in range(partitions))
    finally:
        consumer.close(autocommit=False)


def main() -> None:
    """Profile the worker over the valid events of `--pathways` simulated pathways."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pathways", type=int, default=3000)
    args = parser.parse_args()
    pairs = data.national(args.pathways)
    _, events = stages.decode_validate([v for _, v in pairs])
    valid_ids = {str(e.event_id) for e in events}
    import orjson

    valid = [(k, v) for k, v in pairs if orjson.loads(v).get("event_id") in valid_ids]
    RESULTS.mkdir(exist_ok=True)
    prof = RESULTS / "worker.prof"
    ns = open_namespace(get_settings(), "prof", RESULTS / "logs")
    try:
        names = Names(ns.name)
        data.produce(ns.settings, names.events, valid)
        t0 = time.monotonic()
        ns.start("worker", "worker", python=("-m", "cProfile", "-o", str(prof)))
        parts = ns.settings.kafka.partitions
        boot = ns.settings.kafka.bootstrap
        while _committed(boot, names.events, names.app_id, parts) < len(valid):
            ns.check_alive()
            time.sleep(0.5)
        wall = time.monotonic() - t0
        ns.stop_all(timeout=60)
    finally:
        close_namespace(ns)
    text = io.StringIO()
    text.write(f"{len(valid)} valid events drained in {wall:.1f} s under cProfile\n\n")
    stats = pstats.Stats(str(prof), stream=text)
    stats.sort_stats("tottime").print_stats(30)
    stats.sort_stats("cumulative").print_stats(40)
    out = RESULTS / "profile-worker.txt"
    out.write_text(text.getvalue())
    print(text.getvalue()[:6000])
    print(f"written {out}")


if __name__ == "__main__":
    main()
