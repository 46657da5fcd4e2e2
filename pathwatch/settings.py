"""One settings object for the whole pipeline, read from `PATHWATCH_*` environment variables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from pathwatch import PROJECT_ROOT


class KafkaSettings(BaseModel):
    """Where the broker listens and how our topics are named."""

    host: str = "127.0.0.1"
    port: int = 19092
    controller_port: int = 19093
    # Every topic, consumer group and the Faust app id carry this namespace, so tests
    # (and several deployments on one broker) never see each other's data.
    namespace: str = "pathwatch"
    partitions: int = Field(default=4, ge=1)
    heap_mb: int = Field(default=1024, ge=256)

    @property
    def bootstrap(self) -> str:
        """`host:port` for clients."""
        return f"{self.host}:{self.port}"


class ClickHouseSettings(BaseModel):
    """Connection to the ClickHouse server."""

    host: str = "127.0.0.1"
    port: int = 19000
    http_port: int = 18123
    database: str = "pathwatch"
    user: str = "default"
    password: SecretStr = SecretStr("")


class StackSettings(BaseModel):
    """The local stack that `pathwatch stack up` starts."""

    state_dir: Path = PROJECT_ROOT / ".pathwatch"
    deploy_dir: Path = PROJECT_ROOT / "deploy"
    kafka_version: str = "4.1.2"
    clickhouse_server_bin: str = "clickhouse-server"
    start_timeout_s: float = 90.0


class StreamsSettings(BaseModel):
    """The Faust worker."""

    store: str = "memory://"
    web_port: int = 16066
    web_enabled: bool = False
    # Several workers on one host need their own table directory (RocksDB locks it): set a
    # distinct instance name per worker process.
    instance: str = ""
    # How often the worker publishes its completeness watermarks (processing time).
    progress_interval_s: float = Field(default=5.0, gt=0)
    # Prometheus /metrics of the worker process (pathwatch/metrics.py); 0 = not served.
    metrics_port: int = Field(default=0, ge=0)
    # Decoded pathway records the worker keeps in memory (streams/cache.py). The literal is
    # streams.cache.DEFAULT_SIZE (a test keeps them equal): the shell's settings do not import
    # a stage. Tests and `make scale` set it tiny to prove the cache is an optimisation only.
    cache_size: int = Field(default=50_000, ge=1)


class SinkSettings(BaseModel):
    """Batching of the ClickHouse sinks."""

    batch_max_rows: int = Field(default=5000, ge=1)
    batch_max_seconds: float = Field(default=1.0, gt=0)
    retry_initial_s: float = 0.5
    retry_max_s: float = 15.0
    # Prometheus /metrics of the sink process (`pathwatch sink ...`); 0 = not served.
    metrics_port: int = Field(default=0, ge=0)


class PrivacySettings(BaseModel):
    """Keys for pseudonymisation at the edge (domain.md §8)."""

    pseudonym_key: SecretStr = SecretStr("")


class DashboardSettings(BaseModel):
    """The web dashboard and its read API (`pathwatch dashboard serve`, docs/dashboard.md)."""

    host: str = "127.0.0.1"
    port: int = 18080
    # Users, their scope and hashed passwords (dashboard/auth.py); never plain passwords.
    users_file: Path = PROJECT_ROOT / ".pathwatch" / "dashboard" / "users.toml"
    # How often the page asks for fresh numbers (the live-update budget is 5 s).
    poll_seconds: float = Field(default=2.0, gt=0, le=5)
    # Figures from fewer citizens than this are suppressed (domain.md §8.9).
    min_cell: int = Field(default=5, ge=1)
    session_hours: float = Field(default=8.0, gt=0)
    # Mark the session cookie Secure (HTTPS only): set it when served behind a TLS proxy.
    secure_cookie: bool = False
    # API answers are cached while the data is unchanged (dashboard/cache.py); 0 turns it off.
    cache_seconds: float = Field(default=1.0, ge=0)
    # After a write, answer at once from the previous data (marked stale) while one refresh runs.
    serve_stale: bool = True
    # Threads (ClickHouse connections) running an overview's independent panel queries.
    query_threads: int = Field(default=2, ge=1, le=16)


class Settings(BaseSettings):
    """Effective settings: defaults, overridden by `PATHWATCH_<SECTION>__<FIELD>` variables."""

    model_config = SettingsConfigDict(
        env_prefix="PATHWATCH_", env_nested_delimiter="__", extra="ignore"
    )

    kafka: KafkaSettings = KafkaSettings()
    clickhouse: ClickHouseSettings = ClickHouseSettings()
    stack: StackSettings = StackSettings()
    streams: StreamsSettings = StreamsSettings()
    sink: SinkSettings = SinkSettings()
    privacy: PrivacySettings = PrivacySettings()
    dashboard: DashboardSettings = DashboardSettings()

    def masked(self) -> dict[str, Any]:
        """Effective values as plain data, secrets masked."""
        data: dict[str, Any] = self.model_dump(mode="json")
        data["clickhouse"]["password"] = (
            "***" if self.clickhouse.password.get_secret_value() else ""
        )
        data["privacy"]["pseudonym_key"] = (
            "***" if self.privacy.pseudonym_key.get_secret_value() else ""
        )
        return data


def get_settings() -> Settings:
    """Build settings from the current environment (never cached at import time)."""
    return Settings()
