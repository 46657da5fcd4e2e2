"""`pathwatch worker --processes N`: the supervisor of N worker processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pathwatch import workers
from pathwatch.settings import Settings

# A stand-in worker: writes its instance name, then runs until a signal (exit 0) or for `s`.
CHILD = """
import os, signal, sys, time
from pathlib import Path
out = Path(sys.argv[1]) / os.environ["PATHWATCH_STREAMS__INSTANCE"]
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
out.write_text(os.environ.get("PATHWATCH_STREAMS__METRICS_PORT", ""))
time.sleep(float(sys.argv[2]))
sys.exit(int(sys.argv[3]))
"""


def test_each_process_gets_its_own_instance_and_ports() -> None:
    settings = Settings.model_validate({"streams": {"metrics_port": 9300, "web_enabled": True}})
    envs = workers.environments(settings, 2)
    assert [e["PATHWATCH_STREAMS__INSTANCE"] for e in envs] == ["w0", "w1"]
    assert [e["PATHWATCH_STREAMS__METRICS_PORT"] for e in envs] == ["9300", "9301"]
    web = settings.streams.web_port
    assert [e["PATHWATCH_STREAMS__WEB_PORT"] for e in envs] == [str(web), str(web + 1)]
    named = Settings.model_validate({"streams": {"instance": "node7-"}})
    assert workers.environments(named, 1) == [{"PATHWATCH_STREAMS__INSTANCE": "node7-0"}]


def _supervisor(tmp_path: Path, *children: tuple[float, int]) -> subprocess.Popen[bytes]:
    script = (
        "import sys\n"
        "from pathwatch import workers\n"
        f"cmds = [[sys.executable, '-c', {CHILD!r}, {str(tmp_path)!r}, str(s), str(c)]"
        f" for s, c in {list(children)!r}]\n"
        f"envs = [{{'PATHWATCH_STREAMS__INSTANCE': f'w{{i}}'}} for i in range(len(cmds))]\n"
        "sys.exit(workers.supervise(cmds, envs))\n"
    )
    return subprocess.Popen([sys.executable, "-c", script], env=os.environ.copy())


def _wait_for_files(tmp_path: Path, n: int) -> None:
    deadline = time.monotonic() + 30
    while len(list(tmp_path.iterdir())) < n:
        assert time.monotonic() < deadline, "children did not start"
        time.sleep(0.05)


def test_sigterm_reaches_every_process(tmp_path: Path) -> None:
    sup = _supervisor(tmp_path, (60, 0), (60, 0))
    _wait_for_files(tmp_path, 2)
    sup.send_signal(signal.SIGTERM)
    assert sup.wait(timeout=30) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w0", "w1"]


def test_one_process_ending_stops_the_others_with_its_exit_code(tmp_path: Path) -> None:
    began = time.monotonic()
    sup = _supervisor(tmp_path, (60, 0), (0.5, 3))
    assert sup.wait(timeout=30) == 3
    assert time.monotonic() - began < 30  # the 60 s sibling was stopped, not waited for
