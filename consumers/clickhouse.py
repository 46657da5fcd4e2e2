"""ClickHouse access for sinks: one writer per table; outages become DestinationUnavailable."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from clickhouse_driver import Client
from clickhouse_driver import errors as ch_errors

from pathwatch.settings import Settings

logger = logging.getLogger(__name__)


class DestinationUnavailable(RuntimeError):
    """ClickHouse cannot take the batch right now; back off and retry, keep the batch."""


def connect(settings: Settings, database: str | None = None) -> Client:
    """A native-protocol client for the configured server and database."""
    ch = settings.clickhouse
    return Client(
        host=ch.host,
        port=ch.port,
        user=ch.user,
        password=ch.password.get_secret_value(),
        database=database or ch.database,
        connect_timeout=3,
        send_receive_timeout=30,
        settings={"use_numpy": False},
    )


class ClickHouseWriter:
    """Inserts whole batches into one table."""

    def __init__(self, client: Client, table: str, columns: Sequence[str]) -> None:
        self.client = client
        self.table = table
        self.columns = list(columns)
        self._sql = f"INSERT INTO {table} ({', '.join(self.columns)}) VALUES"

    def write(self, rows: Sequence[tuple[Any, ...]]) -> None:
        """Insert rows in one statement; raise DestinationUnavailable if ClickHouse is down."""
        if not rows:
            return
        try:
            self.client.execute(self._sql, list(rows), types_check=False)
        except (ch_errors.NetworkError, ch_errors.SocketTimeoutError, OSError, EOFError) as exc:
            self.client.disconnect()
            raise DestinationUnavailable(f"{self.table}: {type(exc).__name__}") from exc
        except TimeoutError as exc:  # pragma: no cover - subclass of OSError on 3.11
            self.client.disconnect()
            raise DestinationUnavailable(f"{self.table}: timeout") from exc
