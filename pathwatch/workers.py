"""`pathwatch worker --processes N`: N worker processes of one consumer group (issue 15).

One Faust worker folds on one core. N processes in the same group split the events
partitions between them (a rebalance moves partitions when one starts or stops), each with its
own instance name, so its own RocksDB directory, and its own web and metrics port when those
are on. The supervisor forwards SIGTERM and SIGINT to all of them and ends when the first one
ends, stopping the others, with that one's exit code: a service manager restarting
`pathwatch worker` then restarts the whole set, never leaving a process silently gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from types import FrameType

from pathwatch.settings import Settings

POLL_S = 0.2
STOP_TIMEOUT_S = 30.0


def environments(settings: Settings, processes: int) -> list[dict[str, str]]:
    """The environment of each worker process: instance `<instance or w><i>`, ports + i."""
    base = settings.streams.instance or "w"
    out = []
    for i in range(processes):
        env = {"PATHWATCH_STREAMS__INSTANCE": f"{base}{i}"}
        if settings.streams.web_enabled:
            env["PATHWATCH_STREAMS__WEB_PORT"] = str(settings.streams.web_port + i)
        if settings.streams.metrics_port:
            env["PATHWATCH_STREAMS__METRICS_PORT"] = str(settings.streams.metrics_port + i)
        out.append(env)
    return out


def supervise(commands: Sequence[Sequence[str]], envs: Sequence[Mapping[str, str]]) -> int:
    """Run the commands (each with os.environ plus its env) until one ends; its exit code."""
    children = [
        subprocess.Popen(cmd, env={**os.environ, **env})
        for cmd, env in zip(commands, envs, strict=True)
    ]

    def forward(signum: int, _frame: FrameType | None) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            ended = [c for c in children if c.poll() is not None]
            if ended:
                code = ended[0].returncode
                break
            time.sleep(POLL_S)
        for child in children:
            if child.poll() is None:
                child.terminate()
        deadline = time.monotonic() + STOP_TIMEOUT_S
        for child in children:
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        return code
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def run(settings: Settings, processes: int) -> int:
    """Run `processes` worker processes (`pathwatch worker` each) under one supervisor."""
    command = [sys.executable, "-m", "pathwatch.cli", "worker"]
    return supervise([command] * processes, environments(settings, processes))
