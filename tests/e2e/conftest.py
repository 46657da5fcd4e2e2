"""Fixtures for tests against the real stack: the suite starts Kafka and ClickHouse itself."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from consumers.clickhouse import ClickHouseWriter, connect
from consumers.rows import Row
from pathwatch import PROJECT_ROOT, stack
from pathwatch import migrate as mig
from pathwatch.settings import Settings, get_settings


@pytest.fixture(scope="session")
def stack_up() -> Iterator[Settings]:
    """Start the real stack (idempotent); stop it afterwards only if this session started it."""
    settings = get_settings()
    was_running = all(svc.pid() is not None for svc in stack.services(settings))
    for line in stack.up(settings):
        print(line)
    yield settings
    if not was_running:
        stack.down(settings)


@dataclass
class Pipeline:
    """A private namespace (topics, consumer groups, database) on the shared stack."""

    settings: Settings
    env: dict[str, str]
    logs: Path
    procs: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def cli(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        """Run `pathwatch <args>` in this namespace; fail the test with its output if it fails."""
        result = subprocess.run(
            [sys.executable, "-m", "pathwatch.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert result.returncode == 0, (
            f"pathwatch {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
        )
        return result

    def start(self, name: str, *args: str) -> subprocess.Popen[bytes]:
        """Start a long-running `pathwatch <args>` process with its log under the test's tmp."""
        log = (self.logs / f"{name}.log").open("ab")
        proc = subprocess.Popen(
            [sys.executable, "-m", "pathwatch.cli", *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.procs[name] = proc
        return proc

    def stop(self, name: str, timeout: float = 30) -> int:
        """SIGTERM a process and wait for it."""
        proc = self.procs.pop(name)
        proc.terminate()
        try:
            return proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            return proc.wait(timeout)

    def log_text(self, name: str) -> str:
        """What a process logged so far."""
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace") if path.exists() else ""


@contextlib.contextmanager
def open_pipeline(logs: Path) -> Iterator[Pipeline]:
    """A fresh namespace and database; processes started in it are stopped on exit.

    The `pipeline` fixture uses it; tests/reliability uses it too for longer-lived runs.
    """
    ns = "t" + uuid.uuid4().hex[:10]
    env = dict(os.environ)
    env["PATHWATCH_KAFKA__NAMESPACE"] = ns
    env["PATHWATCH_CLICKHOUSE__DATABASE"] = ns
    old = {
        k: os.environ.get(k)
        for k in ("PATHWATCH_KAFKA__NAMESPACE", "PATHWATCH_CLICKHOUSE__DATABASE")
    }
    os.environ.update({k: env[k] for k in old})
    try:
        pipe = Pipeline(get_settings(), env, logs)
        try:
            yield pipe
        finally:
            for name in list(pipe.procs):
                pipe.stop(name)
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@pytest.fixture
def pipeline(stack_up: Settings, tmp_path: Path) -> Iterator[Pipeline]:
    """A fresh namespace and database; processes started in it are stopped afterwards."""
    with open_pipeline(tmp_path) as pipe:
        yield pipe


@dataclass
class ServerDb:
    """A fresh, migrated database on the stack's ClickHouse server, written through the sinks'
    own writer."""

    name: str
    insert: Callable[[str, Sequence[str], Sequence[Row]], None]
    query: Callable[[str], list[tuple[Any, ...]]]


@pytest.fixture
def server_db(stack_up: Settings) -> Iterator[ServerDb]:
    """Every migration applied to a new database; dropped afterwards."""
    db = "t" + uuid.uuid4().hex[:10]
    client = connect(stack_up, database="default")

    def query(sql: str) -> list[tuple[Any, ...]]:
        return list(client.execute(sql))

    def insert(table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        ClickHouseWriter(client, f"{db}.{table}", columns).write(rows)

    try:
        mig.apply(query, db, mig.load(PROJECT_ROOT / "deploy" / "clickhouse" / "migrations"))
        yield ServerDb(db, insert, query)
    finally:
        client.execute(f"DROP DATABASE IF EXISTS {db}")
