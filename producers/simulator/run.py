"""A run: the population of pathways, merged into one delivery-ordered stream of messages.

Pathway i draws from `Random(f"{seed}:{i}")` (its own stream), so a run is byte-identical for
the same seed, scenario and options, and pathway i does not change when `--pathways` grows.
Pathways are generated lazily in arrival order, so paced mode can run without end.
"""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from pydantic import SecretStr

from producers.pseudonym import Pseudonymiser
from producers.simulator.config import Config, Scenario
from producers.simulator.context import Citizen
from producers.simulator.envelope import payloads
from producers.simulator.faults import INVALID_KINDS, Message, Rates, apply
from producers.simulator.pathway import build_pathway
from schemas.deadletter import Reason

# Synthetic identifiers are pseudonymised like real ones (§8.1) with a fixed, public key:
# simulated citizens are not people, and the tokens then look exactly like production ones.
SIMULATOR_KEY = SecretStr("pathwatch-simulator-not-a-secret")


@dataclass(frozen=True)
class Options:
    """What to simulate."""

    scenario: str
    seed: int = 1
    pathways: int | None = None  # None: the scenario's default (accelerated) or endless (paced)
    start: datetime | None = None
    rates: Rates = field(default_factory=Rates)
    invalid_kinds: tuple[Reason, ...] = INVALID_KINDS


class Population:
    """Draws citizen i of a scenario: track, municipality, programme, arm and entry time."""

    def __init__(self, config: Config, scenario: Scenario, options: Options) -> None:
        self.config, self.scenario, self.options = config, scenario, options
        self.tracks = list(scenario.tracks.items())
        self.start = options.start or datetime.combine(scenario.start, time(8), UTC)
        n = scenario.pathways
        self.gap = timedelta(days=scenario.intake_days) / max(n, 1)
        self.ids = Pseudonymiser(SIMULATOR_KEY)
        if scenario.municipality:
            self.municipalities = [(scenario.municipality, 1.0)]
        elif scenario.job_centre_rates:
            self.municipalities = [(r["code"], 1.0) for r in scenario.job_centre_rates]
        else:
            self.municipalities = config.national_mix()

    def arrival(self, i: int) -> datetime:
        """Midnight of the day citizen i arrives; nothing of pathway i happens before it."""
        return datetime.combine((self.start + self.gap * i).date(), time(0), UTC)

    def citizen(self, i: int) -> tuple[Citizen, random.Random, dict[str, str], str]:
        """Citizen i, its random stream, its pseudonymous ids and its short key."""
        seed, sc = self.options.seed, self.scenario
        rng = random.Random(f"{seed}:{sc.name}:{i}")
        codes, weights = zip(*self.municipalities, strict=True)
        municipality = rng.choices(codes, weights)[0]
        if sc.treatment_share is not None:
            arm = "TREATMENT" if rng.random() < sc.treatment_share else "CONTROL"
            track_name = arm
        else:
            arm = None
            names, tracks = zip(*self.tracks, strict=True)
            track_name = rng.choices(names, [t.weight for t in tracks])[0]
        track = sc.tracks[track_name]
        programme = sc.programme or "NONE"
        if sc.programme_mix:
            mix = sc.programme_mix
            programme = rng.choices([m["programme"] for m in mix], [m["weight"] for m in mix])[0]
        entry = self.arrival(i) + timedelta(hours=8, minutes=rng.randint(0, 180))
        if entry.weekday() >= 5:  # job centres register on working days
            entry += timedelta(days=7 - entry.weekday())
        ident = f"sim:{seed}:{sc.name}:{i}"
        ids = {
            "citizen": self.ids.token("citizen", ident),
            "pathway": self.ids.token("pathway", ident),
            "actor": self.ids.token(
                "actor", f"{municipality}:{i // self.config.defaults.caseload}"
            ),
        }
        citizen = Citizen(i, municipality, track_name, track, programme, entry, arm)
        return citizen, rng, ids, ids["pathway"][3:15]

    def messages(self, i: int) -> list[Message]:
        """All messages of pathway i, faults applied."""
        citizen, rng, ids, key = self.citizen(i)
        steps = build_pathway(self.scenario, self.config.defaults, citizen, rng, key)
        lag = self.config.defaults.recording_lag_minutes_max
        body = payloads(steps, citizen, ids, rng, lag)
        fault_rng = random.Random(f"{self.options.seed}:{self.scenario.name}:{i}:faults")
        delivered = [datetime.fromisoformat(p["recorded_at"]) for p in body]
        return apply(body, delivered, self.options.rates, fault_rng, self.options.invalid_kinds)


def stream(config: Config, options: Options, endless: bool = False) -> Iterator[Message]:
    """Messages of the whole run in delivery order (ties broken by pathway, then position)."""
    scenario = config.scenarios[options.scenario]
    pop = Population(config, scenario, options)
    total = options.pathways if options.pathways is not None else scenario.pathways
    indices = itertools.count() if endless and options.pathways is None else iter(range(total))
    heap: list[tuple[datetime, int, int, Message]] = []
    pending = next(indices, None)
    while heap or pending is not None:
        # Every message of pathway i is delivered after its entry, so pathway i is generated
        # as soon as the earliest queued message is not earlier than its entry.
        while pending is not None and (not heap or heap[0][0] >= pop.arrival(pending)):
            for pos, msg in enumerate(pop.messages(pending)):
                heapq.heappush(heap, (msg.deliver_at, pending, pos, msg))
            pending = next(indices, None)
        if heap:
            yield heapq.heappop(heap)[3]
