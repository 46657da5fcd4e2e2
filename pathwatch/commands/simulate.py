"""`pathwatch simulate`: seeded citizen pathways onto the raw topic or into a JSONL file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def _option(*names: str, **kw: Any) -> Callable[[F], F]:
    """A click option that can also be set as PATHWATCH_SIMULATE__<NAME> (shown in --help)."""
    long = next(n for n in names if n.startswith("--"))
    env = "PATHWATCH_SIMULATE__" + long[2:].upper().replace("-", "_")
    return click.option(*names, envvar=env, show_envvar=True, **kw)


@click.command("simulate")
@_option("--scenario", default="national", show_default=True, help="trial, brondby, national")
@_option("--seed", type=int, default=1, show_default=True)
@_option("--pathways", type=int, default=None, help="Default: the scenario's size.")
@_option("--mode", type=click.Choice(["accelerated", "paced"]), default="accelerated")
@_option(
    "--speed",
    type=float,
    default=3600.0,
    show_default=True,
    help="Paced: simulated seconds per wall second.",
)
@_option("--duration", type=float, default=None, help="Paced: stop after this many seconds.")
@_option(
    "--start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="First entry date (accelerated: the scenario's; paced: 2 years ago; the paced clock "
    "starts at the first event when that is later).",
)
@_option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write JSONL here instead of producing to Kafka.",
)
@_option("--late-rate", type=float, default=0.0, show_default=True)
@_option("--out-of-order-rate", type=float, default=0.0, show_default=True)
@_option("--duplicate-rate", type=float, default=0.0, show_default=True)
@_option("--invalid-rate", type=float, default=0.0, show_default=True)
@_option(
    "--correction-rate",
    type=float,
    default=0.0,
    show_default=True,
    help="Send a wrong version first, then the event as its correction (supersedes_event_id).",
)
@_option(
    "--config",
    "config_path",
    type=click.Path(exists=True, path_type=Path),
    default=None,
    help="Scenario file (default producers/scenarios.toml).",
)
@click.pass_context
def command(
    ctx: click.Context,
    scenario: str,
    seed: int,
    pathways: int | None,
    mode: str,
    speed: float,
    duration: float | None,
    start: datetime | None,
    out: Path | None,
    late_rate: float,
    out_of_order_rate: float,
    duplicate_rate: float,
    invalid_rate: float,
    correction_rate: float,
    config_path: Path | None,
) -> None:
    """Generate seeded citizen pathways (domain.md §3) with optional faults (docs/simulator.md)."""
    from producers.simulator import Options, Rates, load, stream
    from producers.simulator.config import DEFAULT_PATH
    from producers.simulator.output import paced, produce, write_file

    config = load(config_path or DEFAULT_PATH)
    if scenario not in config.scenarios:
        raise click.BadParameter(
            f"choose one of {sorted(config.scenarios)}", param_hint="--scenario"
        )
    begin = start.replace(tzinfo=UTC) if start else None
    if mode == "paced" and begin is None:
        begin = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(
            days=730
        )
    rates = Rates(
        late_rate, out_of_order_rate, duplicate_rate, invalid_rate, correction=correction_rate
    )
    options = Options(scenario, seed, pathways, begin, rates)
    messages = stream(config, options, endless=mode == "paced")
    if mode == "paced":
        assert begin is not None
        messages = paced(messages, begin, speed, duration)
    if out is not None:
        counts = write_file(messages, out)
    else:
        from producers.emitter import Emitter

        with Emitter(ctx.obj) as emitter:
            counts = produce(messages, emitter.send_raw)
            emitter.flush()
    total = sum(counts.values())
    detail = ", ".join(f"{k}={v}" for k, v in sorted(counts.items()))
    click.echo(f"simulate {scenario} seed={seed}: {total} messages ({detail})")
