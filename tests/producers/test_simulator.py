"""The simulator: sourced config, determinism, legal transitions, contract, calibration."""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import orjson
import pytest

from producers.simulator import Options, Rates, load, stream
from producers.simulator.calibrate import precourse_conversion, trial_figures
from producers.simulator.config import UnsourcedNumberError
from producers.simulator.faults import INVALID_KINDS
from producers.simulator.pathway import TRANSITIONS, build_pathway, states
from producers.simulator.run import Population
from schemas.deadletter import DeadLetter
from schemas.decode import Coordinates, decode
from schemas.enums import OfferType
from schemas.envelope import Envelope
from schemas.events import EVENT_TYPES

CONFIG = load()
COPENHAGEN = ZoneInfo("Europe/Copenhagen")
NOW = datetime(2030, 1, 1, tzinfo=UTC)
WHERE = Coordinates("sim", 0, 0)


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


@pytest.mark.parametrize(
    ("scenario", "pathways"), [("trial", 600), ("brondby", 19), ("national", 600)]
)
def test_without_faults_every_event_decodes_with_zero_dead_letters(
    scenario: str, pathways: int
) -> None:
    """Every payload the simulator emits is accepted by the contract (schemas/decode.py)."""
    letters: Counter[str] = Counter()
    decoded: Counter[str] = Counter()
    for msg in stream(CONFIG, Options(scenario, seed=5, pathways=pathways)):
        result = decode(msg.value, WHERE, NOW)
        if isinstance(result, DeadLetter):
            letters[f"{orjson.loads(msg.value)['event_type']}: {result.detail}"] += 1
        else:
            assert isinstance(result, EVENT_TYPES[orjson.loads(msg.value)["event_type"]])
            assert result.schema_version == type(result).SCHEMA_VERSION
            decoded[type(result).__name__] += 1
    assert not letters, letters.most_common(5)
    assert sum(decoded.values()) > 20 * pathways
    # The scenarios exercise most of the contract, not just the three oldest types.
    assert len(decoded) >= {"trial": 15, "brondby": 12, "national": 20}[scenario], decoded


@pytest.mark.parametrize("scenario", ["trial", "brondby", "national"])
def test_with_faults_the_dead_letters_are_exactly_the_injected_ones(scenario: str) -> None:
    """Each injected invalid message gets the reason the injector predicts; nothing else fails."""
    rates = Rates(invalid=0.05, duplicate=0.02, late=0.02, out_of_order=0.02)
    predicted: Counter[str] = Counter()
    got: Counter[str] = Counter()
    events = 0
    for msg in stream(CONFIG, Options(scenario, seed=5, pathways=150, rates=rates)):
        result = decode(msg.value, WHERE, NOW)
        if msg.kind in ("event", "duplicate"):
            assert isinstance(result, Envelope), (msg.kind, result)
            events += 1
        else:
            predicted[msg.kind] += 1
            assert isinstance(result, DeadLetter), msg.kind
            assert result.reason.value == msg.kind
        if isinstance(result, DeadLetter):
            got[result.reason.value] += 1
    assert got == predicted
    assert events > 1000
    assert set(predicted) == {k.value for k in INVALID_KINDS}


def test_every_generated_event_type_is_in_the_contract() -> None:
    types = {
        orjson.loads(m.value)["event_type"]
        for name in ("national", "trial", "brondby")
        for m in stream(CONFIG, Options(name, 1, 400 if name != "brondby" else 19))
    }
    assert types <= EVENT_TYPES.keys()
    assert len(types) >= 20


# The figures of domain.md §6.2 [003] and §3.5 P1 / §6.3 [000], written here rather than read
# from scenarios.toml, so that moving a target in the config cannot move the claim.
REPORTED_TRIAL = {
    "weekly_conversation_share_treatment": (0.82, 0.03),
    "weekly_conversation_share_control": (0.12, 0.02),
    "company_share_treatment": (0.46, 0.04),
    "company_share_control": (0.21, 0.04),
    "employed_week_64_treatment": (0.07, 0.025),
    "employed_week_64_control": (0.07, 0.025),
}


@pytest.fixture(scope="module")
def trial_events() -> list[dict[str, object]]:
    """The default trial run (2000 pathways, seed 1), as the JSON the simulator sends."""
    return [orjson.loads(m.value) for m in stream(CONFIG, Options("trial", seed=1))]


def _t(value: object) -> datetime:
    return datetime.fromisoformat(str(value))


def _day(at: datetime) -> date:
    """The Danish calendar day of an instant."""
    return at.astimezone(COPENHAGEN).date()


def _arm_figures(events: list[dict[str, object]], weeks: int = 64) -> dict[str, float]:
    """The §6.2 figures per arm, recomputed here without producers/simulator/calibrate.py.

    Week k since entry spans the Danish calendar days 7k..7k+6 after the day of randomisation
    (§6.1 conventions); a week counts while the pathway is open on its first day; company
    activation and employment count within the 64 weeks.
    """
    per: dict[str, list[dict[str, object]]] = {}
    for e in events:
        per.setdefault(str(e["pathway_id"]), []).append(e)
    tally: dict[str, Counter[str]] = {"treatment": Counter(), "control": Counter()}
    for evs in per.values():
        rand = [e for e in evs if e["event_type"] == "trial.randomised"]
        assert len(rand) == 1
        arm, t0 = str(rand[0]["arm"]).lower(), _t(rand[0]["occurred_at"])
        day0, horizon = _day(t0), t0 + timedelta(weeks=weeks)
        exits = [_t(e["occurred_at"]) for e in evs if e["event_type"] == "pathway.exited"]
        last_day = (_day(min([*exits, horizon])) - day0).days
        held_weeks = {
            (_day(_t(e["occurred_at"])) - day0).days // 7
            for e in evs
            if e["event_type"] == "conversation.held"
        }
        c = tally[arm]
        c["pathways"] += 1
        open_weeks = [k for k in range(weeks) if 7 * k < last_day]
        c["weeks"] += len(open_weeks)
        c["weeks_held"] += len(held_weeks.intersection(open_weeks))
        c["company"] += any(
            e["event_type"] == "offer.started"
            and OfferType(str(e["offer_type"])).is_company_oriented
            and _t(e["occurred_at"]) < horizon
            for e in evs
        )
        c["employed"] += any(
            e["event_type"] == "pathway.exited"
            and e["outcome"] == "SELF_SUFFICIENT_JOB"
            and _t(e["occurred_at"]) <= horizon
            for e in evs
        )
    out: dict[str, float] = {}
    for arm, c in tally.items():
        out[f"weekly_conversation_share_{arm}"] = c["weeks_held"] / c["weeks"]
        out[f"company_share_{arm}"] = c["company"] / c["pathways"]
        out[f"employed_week_{weeks}_{arm}"] = c["employed"] / c["pathways"]
    return out


def test_trial_targets_in_the_config_are_the_reported_figures() -> None:
    targets = CONFIG.scenarios["trial"].targets
    for name, (value, tolerance) in REPORTED_TRIAL.items():
        assert targets[name].value == value, name
        assert targets[name].tolerance <= tolerance, name


def test_trial_reproduces_the_reported_figures(trial_events: list[dict[str, object]]) -> None:
    """§6.2: 82 % vs 12 % weekly conversations, 46 % vs 21 % company, ~7 % employed at wk 64."""
    sc = CONFIG.scenarios["trial"]
    figures = trial_figures(trial_events, sc.horizon_weeks)
    for name, target in sc.targets.items():
        assert abs(figures[name] - target.value) <= target.tolerance, (name, figures[name])
    assert figures["pathways_treatment"] + figures["pathways_control"] == sc.pathways


def test_trial_figures_recomputed_independently_match_the_reports(
    trial_events: list[dict[str, object]],
) -> None:
    figures = _arm_figures(trial_events)
    for name, (value, tolerance) in REPORTED_TRIAL.items():
        assert abs(figures[name] - value) <= tolerance, (name, figures[name])
    # The arms differ where the trial changed the effort, and not where it did not (§6.2).
    assert (
        figures["weekly_conversation_share_treatment"]
        > 5 * figures["weekly_conversation_share_control"]
    )
    assert figures["company_share_treatment"] > 2 * figures["company_share_control"] - 0.05


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


@pytest.mark.parametrize("day", range(7))
def test_paced_mode_sends_from_the_first_simulated_day_whatever_the_weekday(day: int) -> None:
    """Paced from a Saturday used to spend two simulated days sending nothing (issue 14 item 0)."""
    from producers.simulator.output import paced

    wall = [0.0]

    def sleep(s: float) -> None:
        wall[0] += s

    start = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=day)  # Monday + day
    msgs = stream(CONFIG, Options("national", 1, start=start), endless=True)
    got = list(
        paced(msgs, start, 86400.0, 2.0, clock=lambda: wall[0], sleep=sleep, now=lambda: NOW)
    )
    first = min(m.deliver_at for m in got) if got else None
    assert got, f"nothing sent in two simulated days from a {start:%A}"
    # The simulated clock starts at the first delivery: two days of messages from there, no more.
    assert first is not None
    assert all(m.deliver_at < first + timedelta(days=2, hours=1) for m in got)


def test_national_company_shares_match_the_2016_benchmarks() -> None:
    from producers.simulator.calibrate import company_stock_shares

    sc = CONFIG.scenarios["national"]
    events = [orjson.loads(m.value) for m in stream(CONFIG, Options("national", 1, 3000))]
    figures = company_stock_shares(events, sc.horizon_weeks)
    for name, target in sc.targets.items():
        assert abs(figures[name] - target.value) <= target.tolerance, (name, figures[name])
    regions = {e["municipality_code"][0] for e in events}  # 1xx-8xx: every part of the country
    assert len({e["municipality_code"] for e in events}) == 98  # all of schemas/reference
    assert regions >= {"1", "2", "3", "4", "5", "6", "7", "8"}
    assert {e["programme_id"] for e in events} == {"NONE", "STV_2016", "VC_RESSOURCEFORLOEB_2013"}


def test_default_brondby_cohort_is_18_of_19() -> None:
    events = [orjson.loads(m.value) for m in stream(CONFIG, Options("brondby", 1))]
    figures = precourse_conversion(events)
    assert figures["completed"] == 19
    assert round(figures["internship_after_course_share"] * 19) == 18
    # Recomputed from the events alone (§3.5 P1): 19 pre-courses, 18 internships starting on
    # a Monday within 3 days of a pre-course ending on a Friday.
    course_end: dict[str, datetime] = {}
    offers = {e["offer_id"]: e for e in events if e["event_type"] == "offer.started"}
    for e in events:
        if e["event_type"] == "offer.ended" and offers[e["offer_id"]]["offer_type"] == "PRE_COURSE":
            course_end[e["pathway_id"]] = _t(e["occurred_at"])
    assert len({e["pathway_id"] for e in events}) == 19
    assert len(course_end) == 19
    assert {d.weekday() for d in course_end.values()} == {4}  # Friday
    started = {
        o["pathway_id"]
        for o in offers.values()
        if OfferType(o["offer_type"]).is_company_oriented
        and _t(o["occurred_at"]).weekday() == 0
        and timedelta(0) < _t(o["occurred_at"]) - course_end[o["pathway_id"]] <= timedelta(days=3)
    }
    assert len(started) == 18


def test_national_mix_covers_the_98_municipalities_with_the_listed_names() -> None:
    from schemas.reference import municipality

    mix = dict(CONFIG.national_mix())
    assert len(mix) == 98
    for m in CONFIG.municipalities:
        assert municipality(m.code).name == m.name, m.code
        assert mix[m.code] == m.weight
    assert mix["101"] > mix["825"]  # København outweighs Læsø
