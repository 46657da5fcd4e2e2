"""A private namespace on the running stack, and the real pipeline processes inside it.

Every end-to-end figure runs the shipped commands (`pathwatch worker`, `pathwatch sink all`) as
separate processes against the real Kafka broker and ClickHouse server, like a deployment.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clickhouse_driver import Client
from kafka.admin import KafkaAdminClient

from bench.stats import cpu_seconds, peak_rss_mb, tree_total
from consumers.clickhouse import connect
from pathwatch import migrate
from pathwatch.settings import Settings
from pathwatch.topics import ensure_topics

logger = logging.getLogger(__name__)


@dataclass
class Namespace:
    """Topics, consumer groups and a database of one benchmark step; processes run in it."""

    settings: Settings
    logs: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    extra_env: dict[str, str] = field(default_factory=dict)  # e.g. PATHWATCH_SINK__* overrides

    @property
    def name(self) -> str:
        """The namespace (also the database name)."""
        return self.settings.kafka.namespace

    def env(self) -> dict[str, str]:
        """Environment for a `pathwatch` subprocess in this namespace."""
        env = dict(os.environ)
        env["PATHWATCH_KAFKA__NAMESPACE"] = self.name
        env["PATHWATCH_CLICKHOUSE__DATABASE"] = self.settings.clickhouse.database
        env.setdefault("PATHWATCH_LOG_LEVEL", "WARNING")
        env.update(self.extra_env)
        return env

    def start(self, name: str, *args: str, python: tuple[str, ...] = ()) -> int:
        """Start `pathwatch <args>` as its own process; return its pid.

        `python` are interpreter arguments put first, e.g. a profiler (`-m cProfile -o F`).
        """
        return self.start_module(name, "pathwatch.cli", *args, python=python)

    def start_module(self, name: str, module: str, *args: str, python: tuple[str, ...] = ()) -> int:
        """Start `python -m <module> <args>` as its own process; return its pid."""
        self.logs.mkdir(parents=True, exist_ok=True)
        with (self.logs / f"{self.name}-{name}.log").open("ab") as log:
            proc = subprocess.Popen(
                [sys.executable, *python, "-m", module, *args],
                env=self.env(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self.procs[name] = proc
        return proc.pid

    def check_alive(self) -> None:
        """Raise if a started process has exited (its log says why)."""
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                log = self.logs / f"{self.name}-{name}.log"
                raise RuntimeError(f"{name} exited with {proc.returncode}; see {log}")

    def peak_rss(self) -> dict[str, float | None]:
        """VmHWM in MiB of every running process, summed over the processes it started
        (`pathwatch worker --processes N`)."""
        return {name: tree_total(proc.pid, peak_rss_mb) for name, proc in self.procs.items()}

    def cpu(self) -> dict[str, float | None]:
        """CPU seconds used so far by every running process and the processes it started."""
        return {name: tree_total(proc.pid, cpu_seconds) for name, proc in self.procs.items()}

    def stop_all(self, timeout: float = 30) -> None:
        """SIGTERM every process started here and wait (SIGKILL after `timeout`)."""
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
        self.procs.clear()

    def query(self, sql: str) -> list[tuple[Any, ...]]:
        """Run SQL with `{db}` replaced by this namespace's database."""
        client = connect(self.settings)
        try:
            rows: list[tuple[Any, ...]] = client.execute(
                sql.replace("{db}", self.settings.clickhouse.database)
            )
            return rows
        finally:
            client.disconnect()


def open_namespace(base: Settings, tag: str, logs: Path) -> Namespace:
    """A fresh namespace: migrated database and created topics."""
    name = f"bench_{tag}_{uuid.uuid4().hex[:6]}"
    settings = base.model_copy(
        update={
            "kafka": base.kafka.model_copy(update={"namespace": name}),
            "clickhouse": base.clickhouse.model_copy(update={"database": name}),
        }
    )
    client = connect(settings, database="default")
    found = migrate.load(settings.stack.deploy_dir / "clickhouse" / "migrations")
    migrate.apply(lambda sql: list(client.execute(sql)), name, found)
    client.disconnect()
    ensure_topics(settings)
    return Namespace(settings, logs)


def close_namespace(ns: Namespace) -> None:
    """Stop its processes, drop its database and delete its topics (changelogs included)."""
    ns.stop_all()
    ch = ns.settings.clickhouse
    # Dropping tables that are still merging can take longer than the sinks' 30 s timeout.
    client = Client(
        host=ch.host,
        port=ch.port,
        user=ch.user,
        password=ch.password.get_secret_value(),
        send_receive_timeout=600,
    )
    try:
        client.execute(f"DROP DATABASE IF EXISTS {ch.database}")
    except Exception as exc:  # cleanup is best effort; a leftover bench database is harmless
        logger.warning("could not drop %s: %s", ch.database, type(exc).__name__)
    finally:
        client.disconnect()
    admin = KafkaAdminClient(bootstrap_servers=ns.settings.kafka.bootstrap)
    try:
        mine = [t for t in admin.list_topics() if t.startswith(ns.name)]
        if mine:
            admin.delete_topics(mine)
    finally:
        admin.close()


def wait_for(predicate: Any, timeout: float, interval: float, ns: Namespace) -> float | None:
    """Poll `predicate()` until true; the monotonic time it became true, or None on timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        ns.check_alive()
        time.sleep(interval)
    return None
