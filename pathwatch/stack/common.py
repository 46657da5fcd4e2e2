"""Process handling shared by the stack services: pid files, ports, waiting, stopping."""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path

logger = logging.getLogger(__name__)


class StackError(RuntimeError):
    """A clear, user-facing reason the stack cannot start or stop."""


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """True if something accepts TCP connections on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        return sock.connect_ex((host, port)) == 0


def pid_alive(pid: int) -> bool:
    """True if a process with this pid exists (and is not a zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    with contextlib.suppress(OSError):
        if stat.read_text().split(")")[-1].split()[0] == "Z":
            return False
    return True


def terminate(pid: int, timeout: float) -> None:
    """SIGTERM a process, SIGKILL it if it is still alive after `timeout` seconds."""
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while pid_alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if pid_alive(pid):
        os.kill(pid, signal.SIGKILL)


def require_tool(name: str, hint: str) -> str:
    """Path of an executable, or a StackError saying how to get it."""
    path = shutil.which(name)
    if path is None:
        raise StackError(f"'{name}' was not found on PATH. {hint}")
    return path


class Service:
    """A server process this project starts, tracked by a pid file in the state directory."""

    name = "service"

    def __init__(self, state_dir: Path, host: str, ports: Sequence[int]) -> None:
        self.dir = state_dir / self.name
        self.log_dir = state_dir / "logs"
        self.pid_file = self.dir / f"{self.name}.pid"
        self.host = host
        self.ports = list(ports)

    # -- hooks -------------------------------------------------------------------------
    def install(self) -> None:
        """Make sure binaries or jars are present."""

    def prepare(self) -> None:
        """Write config, format storage."""

    def command(self) -> list[str]:
        """The command line that runs the server in the foreground."""
        raise NotImplementedError

    def ready(self) -> bool:
        """True once the server answers real requests (not only an open port)."""
        return all(port_open(self.host, p) for p in self.ports)

    def env(self) -> dict[str, str]:
        """Environment for the server process."""
        return dict(os.environ)

    # -- lifecycle ---------------------------------------------------------------------
    def pid(self) -> int | None:
        """Pid of our running server, if any."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        return pid if pid_alive(pid) else None

    def up(self, timeout: float = 90.0) -> str:
        """Start unless already running (idempotent); wait until ready."""
        pid = self.pid()
        if pid is not None:
            self._wait(lambda: self.ready(), timeout, pid)
            return f"{self.name}: already running (pid {pid}) on {self._where()}"
        for port in self.ports:
            if port_open(self.host, port):
                raise StackError(
                    f"{self.name}: port {self.host}:{port} is taken by another process; "
                    f"stop it or choose other ports (see `pathwatch config`)"
                )
        self.install()
        self.dir.mkdir(parents=True, exist_ok=True)
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.prepare()
        out = (self.log_dir / f"{self.name}.out").open("ab")
        proc = subprocess.Popen(
            self.command(),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            cwd=self.dir,
            env=self.env(),
            start_new_session=True,
        )
        self.pid_file.write_text(str(proc.pid))
        self._wait(self.ready, timeout, proc.pid)
        return f"{self.name}: started (pid {proc.pid}) on {self._where()}"

    def down(self, timeout: float = 30.0) -> str:
        """Stop our server: SIGTERM, then SIGKILL after `timeout`."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return f"{self.name}: not running"
        terminate(pid, timeout)
        self.pid_file.unlink(missing_ok=True)
        return f"{self.name}: stopped (pid {pid})"

    def status(self) -> str:
        """Running or not, and where."""
        pid = self.pid()
        if pid is None:
            return f"{self.name}: not running"
        state = "ready" if self.ready() else "starting"
        return f"{self.name}: {state} (pid {pid}) on {self._where()}"

    def _where(self) -> str:
        return ", ".join(f"{self.host}:{p}" for p in self.ports)

    def _wait(self, check: Callable[[], bool], timeout: float, pid: int) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not pid_alive(pid):
                raise StackError(
                    f"{self.name}: process {pid} exited during start-up; "
                    f"see {self.log_dir / (self.name + '.out')}"
                )
            with contextlib.suppress(Exception):
                if check():
                    return
            time.sleep(0.3)
        raise StackError(f"{self.name}: not ready after {timeout:.0f}s; see {self.log_dir}")
