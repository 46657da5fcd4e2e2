"""Background pipeline processes (worker, sink) for the demo, tracked by pid files."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pathwatch.settings import Settings
from pathwatch.stack.common import pid_alive, terminate


def _paths(settings: Settings, name: str) -> tuple[Path, Path]:
    run = settings.stack.state_dir / "run"
    logs = settings.stack.state_dir / "logs"
    run.mkdir(parents=True, exist_ok=True)
    logs.mkdir(parents=True, exist_ok=True)
    tag = f"{settings.kafka.namespace}-{name}"
    return run / f"{tag}.pid", logs / f"{tag}.log"


def log_path(settings: Settings, name: str) -> Path:
    """Where the named background process logs."""
    return _paths(settings, name)[1]


def running(settings: Settings, name: str) -> int | None:
    """Pid of the named background process, if alive."""
    pid_file, _ = _paths(settings, name)
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        return None
    return pid if pid_alive(pid) else None


def spawn(settings: Settings, name: str, args: list[str]) -> int:
    """Start `pathwatch <args>` in the background unless it already runs; return its pid."""
    pid = running(settings, name)
    if pid is not None:
        return pid
    pid_file, log = _paths(settings, name)
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pathwatch.cli", *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=dict(os.environ),
        )
    pid_file.write_text(str(proc.pid))
    return proc.pid


def stop(settings: Settings, name: str, timeout: float = 20.0) -> bool:
    """SIGTERM the named process (SIGKILL after timeout); True if it was running."""
    pid = running(settings, name)
    pid_file, _ = _paths(settings, name)
    if pid is None:
        pid_file.unlink(missing_ok=True)
        return False
    terminate(pid, timeout)
    pid_file.unlink(missing_ok=True)
    return True
