"""`pathwatch simulate` as the docs show it (docs/simulator.md), writing JSONL files."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from pathwatch.cli import cli
from producers.simulator import Options, Rates, load, stream


def test_accelerated_file_output_is_the_seeded_stream(tmp_path: Path) -> None:
    out = tmp_path / "brondby.jsonl"
    args = ["simulate", "--scenario", "brondby", "--seed", "4", "--invalid-rate", "0.05"]
    result = CliRunner().invoke(cli, [*args, "--out", str(out)])
    assert result.exit_code == 0, result.output
    expected = [m.value for m in stream(load(), Options("brondby", 4, rates=Rates(invalid=0.05)))]
    assert out.read_bytes() == b"".join(v + b"\n" for v in expected)
    assert f"{len(expected)} messages" in result.output


def test_trial_command_from_the_docs(tmp_path: Path) -> None:
    out = tmp_path / "trial.jsonl"
    result = CliRunner().invoke(
        cli, ["simulate", "--scenario", "trial", "--seed", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert sum(1 for _ in out.open("rb")) > 100_000


def test_paced_mode_stops_after_duration_with_part_of_the_run(tmp_path: Path) -> None:
    out = tmp_path / "paced.jsonl"
    # A pinned start (a Saturday: no entries before Monday), so the test is the same any day.
    args = ["simulate", "--mode", "paced", "--speed", "86400", "--duration", "2"]
    result = CliRunner().invoke(cli, [*args, "--start", "2024-01-06", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_bytes().splitlines()
    # About two simulated days of national intake (≈ 27 pathways a day): some, not all.
    assert 0 < len(lines) < 2000


def test_unknown_scenario_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["simulate", "--scenario", "mars"])
    assert result.exit_code == 2
    assert "choose one of" in result.output
