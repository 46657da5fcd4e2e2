"""Logging setup, called only by the CLI entry points."""

import logging
import os

# Client libraries log every connection at INFO; keep our own INFO lines readable.
NOISY = ("kafka", "aiokafka", "clickhouse_driver")


def configure(level: str | None = None) -> None:
    """Log to stderr with timestamps; never log event bodies or citizen ids."""
    logging.basicConfig(
        level=(level or os.environ.get("PATHWATCH_LOG_LEVEL", "INFO")).upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for name in NOISY:
        logging.getLogger(name).setLevel(logging.WARNING)
