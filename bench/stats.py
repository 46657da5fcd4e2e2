"""Small numeric helpers of the benchmark: percentiles and peak memory of a process."""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from pathlib import Path


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0..100) with linear interpolation between closest ranks.

    The same definition as numpy's default ("linear"), so figures compare with other tools.
    """
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= q <= 100:
        raise ValueError(f"percentile {q} outside 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _status_kb(pid: int, field: str, proc: Path) -> int | None:
    try:
        text = (proc / str(pid) / "status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])  # "VmHWM:    123456 kB"
    return None


def peak_rss_mb(pid: int, proc: Path = Path("/proc")) -> float | None:
    """Peak resident set size (VmHWM) of a live process in MiB; None if it is gone."""
    kb = _status_kb(pid, "VmHWM", proc)
    return None if kb is None else round(kb / 1024, 1)


def cpu_seconds(pid: int, proc: Path = Path("/proc")) -> float | None:
    """User + system CPU seconds a live process has used so far; None if it is gone."""
    try:
        text = (proc / str(pid) / "stat").read_text()
    except OSError:
        return None
    # Fields after the parenthesised command name (which may hold spaces): state is field 3,
    # utime and stime are fields 14 and 15 (proc(5)).
    fields = text.rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])
    return round(ticks / os.sysconf("SC_CLK_TCK"), 2)


def children(pid: int, proc: Path = Path("/proc")) -> list[int]:
    """Pids of the live processes whose parent is `pid`."""
    out = []
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        if int(text.rsplit(")", 1)[1].split()[1]) == pid:  # field 4: ppid
            out.append(int(entry.name))
    return out


def tree(pid: int, proc: Path = Path("/proc")) -> list[int]:
    """`pid` and its live descendants (a supervisor and its worker processes)."""
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo += children(current, proc)
    return out


def tree_total(
    pid: int, measure: Callable[[int, Path], float | None], proc: Path = Path("/proc")
) -> float | None:
    """`measure(pid)` summed over the process and its descendants; None if it is gone."""
    values = [measure(p, proc) for p in tree(pid, proc)]
    if values[0] is None:
        return None
    return round(sum(v for v in values if v is not None), 2)
