"""The benchmark's helpers: percentiles and reading peak RSS from /proc."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.stats import cpu_seconds, peak_rss_mb, percentile, tree, tree_total


def test_percentile_interpolates_between_ranks() -> None:
    values = [4.0, 1.0, 3.0, 2.0]  # unsorted on purpose
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 4.0
    assert percentile(values, 50) == pytest.approx(2.5)
    # rank (4 - 1) * 0.9 = 2.7: 3 + 0.7 * (4 - 3)
    assert percentile(values, 90) == pytest.approx(3.7)


def test_percentile_of_one_value_and_bad_input() -> None:
    assert percentile([7.5], 99) == 7.5
    with pytest.raises(ValueError, match="no values"):
        percentile([], 50)
    with pytest.raises(ValueError, match="outside"):
        percentile([1.0], 101)


def test_peak_rss_reads_vmhwm(tmp_path: Path) -> None:
    status = tmp_path / "42" / "status"
    status.parent.mkdir()
    status.write_text("Name:\tpython\nVmPeak:\t  900000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t 1 kB\n")
    assert peak_rss_mb(42, proc=tmp_path) == 200.0
    assert peak_rss_mb(43, proc=tmp_path) is None


def test_peak_rss_of_this_process_is_plausible() -> None:
    peak = peak_rss_mb(os.getpid())
    assert peak is not None
    assert 5 < peak < 64 * 1024


def test_cpu_seconds_reads_utime_and_stime(tmp_path: Path) -> None:
    stat = tmp_path / "7" / "stat"
    stat.parent.mkdir()
    tick = os.sysconf("SC_CLK_TCK")
    # A command name with a space and a parenthesis, as proc(5) allows.
    fields = ["S", *["0"] * 10, str(3 * tick), str(tick), "0", "0"]
    stat.write_text(f"7 (python worker) x) {' '.join(fields)}\n")
    assert cpu_seconds(7, proc=tmp_path) == 4.0
    assert cpu_seconds(8, proc=tmp_path) is None


def test_cpu_seconds_of_this_process_grows() -> None:
    before = cpu_seconds(os.getpid())
    sum(i * i for i in range(2_000_000))
    after = cpu_seconds(os.getpid())
    assert before is not None
    assert after is not None
    assert after > before


def test_tree_total_sums_a_supervisor_and_its_workers() -> None:
    import subprocess
    import sys
    import time

    # A parent with two children, each holding ~40 MiB: the total counts all three.
    hold = "import time; b = bytearray(40 << 20); time.sleep(30)"
    parent = subprocess.Popen(
        [sys.executable, "-c",
         "import subprocess, sys, time\n"
         f"ps = [subprocess.Popen([sys.executable, '-c', {hold!r}]) for _ in range(2)]\n"
         "time.sleep(30)"]
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while len(tree(parent.pid)) < 3:
            assert time.monotonic() < deadline, "children did not start"
            time.sleep(0.05)
        time.sleep(0.5)  # the children allocate
        alone, total = peak_rss_mb(parent.pid), tree_total(parent.pid, peak_rss_mb)
        assert alone is not None
        assert total is not None
        assert total >= alone + 2 * 40
        assert tree_total(parent.pid, cpu_seconds) is not None
    finally:
        for pid in tree(parent.pid)[1:]:
            os.kill(pid, 9)
        parent.kill()
        parent.wait()
    assert tree_total(parent.pid, peak_rss_mb) is None  # gone
