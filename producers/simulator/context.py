"""Steps and the drawing context shared by the pathway modules."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from producers.simulator.config import Defaults, Scenario, Track
from schemas.enums import ActorRole, Sensitivity, SourceSystem


def iso(at: datetime) -> str:
    """UTC timestamp as JSON text, second precision, `Z` suffix."""
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Step:
    """One event of a pathway before it is put on the envelope."""

    at: datetime
    event_type: str
    fields: dict[str, Any]
    state: str | None = None  # main-track state after the event, if it changes it
    actor_role: ActorRole = ActorRole.CASEWORKER
    source_system: SourceSystem = SourceSystem.MUNICIPAL_CASE_SYSTEM
    sensitivity: Sensitivity = Sensitivity.NORMAL
    correlation_id: str | None = None


@dataclass(frozen=True)
class Citizen:
    """Who the pathway belongs to and where it starts."""

    index: int
    municipality: str
    track_name: str
    track: Track
    programme: str
    entry: datetime
    arm: str | None = None


@dataclass
class PathwayContext:
    """Mutable state while one pathway is drawn."""

    scenario: Scenario
    d: Defaults
    c: Citizen
    rng: random.Random
    key: str
    steps: list[Step] = field(default_factory=list)
    origin: date = date(2000, 1, 1)
    n_ids: int = 0

    def new_id(self, prefix: str) -> str:
        """A coded id unique within the run: `<prefix>_<pathway key>_<n>`."""
        self.n_ids += 1
        return f"{prefix}_{self.key}_{self.n_ids}"

    def at_day(self, day: int, hour: int | None = None) -> datetime:
        """A working-hours time `day` days after the origin (day 0 = visitation day)."""
        h = hour if hour is not None else self.rng.randint(8, 14)
        base = datetime.combine(self.origin + timedelta(days=day), time(h), self.c.entry.tzinfo)
        return base + timedelta(minutes=self.rng.randint(0, 59))

    def week_day(self, week: int, weekday: int | None = None) -> int:
        """Day offset of a working day in programme week `week` (week 1 starts at the origin)."""
        wd = weekday if weekday is not None else self.rng.randint(0, 4)
        return 7 * (week - 1) + wd

    def add(self, at: datetime, event_type: str, state: str | None = None, **kw: Any) -> None:
        """Append a step; envelope options (actor_role, ...) are split from payload fields."""
        opts = {k: kw.pop(k) for k in list(kw) if k in STEP_OPTIONS}
        self.steps.append(Step(at, event_type, kw, state, **opts))


STEP_OPTIONS = {"actor_role", "source_system", "sensitivity", "correlation_id"}
