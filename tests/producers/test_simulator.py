"""The simulator: sourced config, determinism, legal transitions, contract, calibration."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest

from producers.simulator import Options, Rates, load, stream
from producers.simulator.calibrate import precourse_conversion, trial_figures
from producers.simulator.config import UnsourcedNumberError
from producers.simulator.faults import INVALID_KINDS
from producers.simulator.pathway import TRANSITIONS, build_pathway, states
from producers.simulator.run import Population
from schemas.deadletter import DeadLetter
from schemas.envelope import Envelope
from schemas.events import EVENT_TYPES
from streams.decode import Coordinates, decode

CONFIG = load()
NOW = datetime(2030, 1, 1, tzinfo=UTC)
WHERE = Coordinates("sim", 0, 0)
PARSED_KINDS = {"future_schema_version", "validation_error", "timestamp_in_future"}


def run_bytes(**kw: object) -> bytes:
    return b"\n".join(m.value for m in stream(CONFIG, Options(**kw)))  # type: ignore[arg-type]


def test_every_number_in_the_scenario_file_has_a_source(tmp_path: Path) -> None:
    text = Path("producers/scenarios.toml").read_text(encoding="utf-8")
    assert CONFIG.scenarios.keys() >= {"trial", "brondby", "national"}
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("[defaults]\n", "[defaults]\nextra_number = 3\n", 1))
    with pytest.raises(UnsourcedNumberError, match="extra_number"):
        load(bad)


def test_same_seed_gives_byte_identical_output_and_another_seed_does_not() -> None:
    rates = Rates(late=0.05, out_of_order=0.05, duplicate=0.05, invalid=0.05)
    a = run_bytes(scenario="national", seed=7, pathways=150, rates=rates)
    assert a == run_bytes(scenario="national", seed=7, pathways=150, rates=rates)
    assert a != run_bytes(scenario="national", seed=8, pathways=150, rates=rates)


@pytest.mark.parametrize("scenario", ["trial", "brondby", "national"])
def test_pathways_only_take_transitions_of_the_state_machine(scenario: str) -> None:
    pop = Population(CONFIG, CONFIG.scenarios[scenario], Options(scenario, seed=3))
    for i in range(300):
        citizen, rng, _, key = pop.citizen(i)
        steps = build_pathway(pop.scenario, CONFIG.defaults, citizen, rng, key)
        taken = states(steps)
        assert set(taken) <= TRANSITIONS, (scenario, i, set(taken) - TRANSITIONS)
        if taken[-1][1] == "EXITED":
            assert steps[-1].event_type == "pathway.exited"  # nothing after the exit


@pytest.mark.parametrize("scenario", ["trial", "brondby", "national"])
def test_events_validate_and_invalid_ones_get_their_dead_letter_reason(scenario: str) -> None:
    rates = Rates(invalid=0.05, duplicate=0.02, late=0.02, out_of_order=0.02)
    checked = 0
    reasons = set()
    for msg in stream(CONFIG, Options(scenario, seed=5, pathways=120, rates=rates)):
        result = decode(msg.value, WHERE, NOW)
        if msg.kind in ("event", "duplicate"):
            event_type = orjson.loads(msg.value)["event_type"]
            if event_type not in EVENT_TYPES:
                continue  # the contract helper is adding this type; see the next test
            assert isinstance(result, Envelope), (event_type, result)
            checked += 1
        else:
            if (
                msg.kind in PARSED_KINDS
                and orjson.loads(msg.value)["event_type"] not in EVENT_TYPES
            ):
                continue  # reason depends on the contract model, which is not merged yet
            assert isinstance(result, DeadLetter)
            assert result.reason.value == msg.kind
            reasons.add(msg.kind)
    assert checked > 100
    assert len(reasons) >= 5


def test_every_generated_event_type_is_in_the_contract() -> None:
    types = {
        orjson.loads(m.value)["event_type"] for m in stream(CONFIG, Options("national", 1, 400))
    }
    missing = types - EVENT_TYPES.keys()
    if len(EVENT_TYPES) <= 3:
        pytest.skip(f"contract models not merged yet; pending: {sorted(missing)}")
    assert not missing


def test_trial_reproduces_the_reported_figures() -> None:
    sc = CONFIG.scenarios["trial"]
    events = [orjson.loads(m.value) for m in stream(CONFIG, Options("trial", seed=1))]
    figures = trial_figures(events, sc.horizon_weeks)
    for name, target in sc.targets.items():
        assert abs(figures[name] - target.value) <= target.tolerance, (name, figures[name])


def test_brondby_about_18_of_19_start_an_internship_after_the_course() -> None:
    sc = CONFIG.scenarios["brondby"]
    events = [orjson.loads(m.value) for m in stream(CONFIG, Options("brondby", 2, 1900))]
    figures = precourse_conversion(events)
    assert figures["completed"] >= 1800
    target = sc.targets["internship_after_course_share"]
    assert abs(figures["internship_after_course_share"] - target.value) <= target.tolerance


def test_faults_never_change_the_valid_events() -> None:
    plain = [m.value for m in stream(CONFIG, Options("brondby", 4))]
    faulty = stream(CONFIG, Options("brondby", 4, rates=Rates(0.2, 0.2, 0.2, 0.2)))
    events = [m.value for m in faulty if m.kind == "event"]
    assert sorted(plain) == sorted(events)
    assert INVALID_KINDS
    assert random.Random(1).random() != random.Random(2).random()


def test_paced_mode_releases_messages_on_the_simulated_clock() -> None:
    from producers.simulator.output import paced

    wall = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        wall[0] += s

    start = datetime(2013, 9, 2, tzinfo=UTC)
    msgs = stream(CONFIG, Options("brondby", 1, start=start))
    got = list(
        paced(msgs, start, 86400.0, 3.0, clock=lambda: wall[0], sleep=sleep, now=lambda: NOW)
    )
    # Three wall seconds at one simulated day per second: only the first three days' messages.
    assert got
    assert all(m.deliver_at < datetime(2013, 9, 5, 1, tzinfo=UTC) for m in got)
    assert wall[0] >= 3.0


def test_national_company_shares_match_the_2016_benchmarks() -> None:
    from producers.simulator.calibrate import company_stock_shares

    sc = CONFIG.scenarios["national"]
    events = [orjson.loads(m.value) for m in stream(CONFIG, Options("national", 1, 3000))]
    figures = company_stock_shares(events, sc.horizon_weeks)
    for name, target in sc.targets.items():
        assert abs(figures[name] - target.value) <= target.tolerance, (name, figures[name])
    regions = {e["municipality_code"][0] for e in events}  # 1xx-8xx: every part of the country
    assert len({e["municipality_code"] for e in events}) == len(CONFIG.municipalities)
    assert regions >= {"1", "2", "3", "4", "5", "6", "7", "8"}
    assert {e["programme_id"] for e in events} == {"NONE", "STV_2016", "VC_RESSOURCEFORLOEB_2013"}


def test_default_brondby_cohort_is_18_of_19() -> None:
    events = [orjson.loads(m.value) for m in stream(CONFIG, Options("brondby", 1))]
    figures = precourse_conversion(events)
    assert figures["completed"] == 19
    assert round(figures["internship_after_course_share"] * 19) == 18
