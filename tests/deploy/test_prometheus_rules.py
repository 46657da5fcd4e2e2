"""Prometheus alert rules: valid, unit-tested with promtool, and only on metrics we define."""

from __future__ import annotations

import re
import subprocess

from prometheus_client import REGISTRY

from pathwatch import PROJECT_ROOT
from pathwatch import metrics as _metrics  # registers every metric
from pathwatch.stack.promtool import ensure_promtool

PROM = PROJECT_ROOT / "deploy" / "prometheus"


def _run(*args: str) -> str:
    result = subprocess.run(
        [ensure_promtool(), *args], cwd=PROM, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_rules_are_valid_and_pass_their_unit_tests() -> None:
    assert "SUCCESS: 4 rules found" in _run("check", "rules", "rules.yml")
    assert "SUCCESS" in _run("test", "rules", "rules_test.yml")


def test_rules_use_only_defined_metrics() -> None:
    defined = {
        sample.name
        for family in REGISTRY.collect()
        if family.name.startswith("pathwatch_")
        for sample in family.samples
    } | {f.name for f in REGISTRY.collect() if f.name.startswith("pathwatch_")}
    used = set(re.findall(r"pathwatch_[a-z_]+", (PROM / "rules.yml").read_text()))
    assert used, "no pathwatch metric in the rules"
    assert used <= defined | {n + "_total" for n in defined}, used - defined
    assert _metrics.SINK_ROWS is not None
