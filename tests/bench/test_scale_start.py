"""`make scale` puts the whole simulated history in the past (bench/scale.py history_start)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bench.scale import SCENARIO, history_start
from producers.simulator import Options, load
from producers.simulator.run import Population
from schemas.decode import EARLIEST_EVENT_DATE

NOW = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def test_a_national_history_of_150000_pathways_ends_a_year_before_now() -> None:
    config = load()
    scenario = config.scenarios[SCENARIO]
    start = history_start(scenario, 150_000, NOW)
    assert start is not None  # from the scenario's 2016 start it would run past today
    assert start.date() >= EARLIEST_EVENT_DATE
    population = Population(config, scenario, Options(SCENARIO, pathways=150_000, start=start))
    last_arrival = population.arrival(150_000 - 1)
    assert last_arrival + timedelta(weeks=scenario.horizon_weeks) < NOW - timedelta(days=365)
    # The scenario's own start is kept when the history already ends in the past.
    assert history_start(scenario, 800, NOW) is None
