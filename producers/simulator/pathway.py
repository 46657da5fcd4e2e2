"""One citizen pathway along the main-track state machine of domain.md §3.2-§3.4.

`build_pathway` draws a timeline for one citizen from its track's parameters and returns steps
(event type, time, payload fields, the main-track state after the step). Events come from
§4.2; transitions follow §3.3 (T1-T15, listed in `TRANSITIONS` and checked by the tests);
parallel regions (§3.4: conversation regime, mentor, parallel efforts, trial arm) add events
without changing the main-track state.
"""

from __future__ import annotations

import random

from producers.simulator.config import Defaults, Scenario
from producers.simulator.context import Citizen, PathwayContext, Step
from producers.simulator.intake import run_intake
from producers.simulator.track import run_track

_ACTIVE = (
    "CONTACTED",
    "SCREENED",
    "ASSESSED",
    "PLANNED",
    "PREPARATORY",
    "IN_COMPANY_PLACEMENT",
    "JOB_HUNT",
    "RESOURCE_PATHWAY",
)

TRANSITIONS: frozenset[tuple[str | None, str]] = frozenset(
    {
        (None, "CONTACTED"),  # T1
        ("CONTACTED", "SCREENED"),  # T2
        ("CONTACTED", "ASSESSED"),  # T3
        ("SCREENED", "ASSESSED"),  # T3
        ("ASSESSED", "PLANNED"),  # T5
        ("ASSESSED", "IN_COMPANY_PLACEMENT"),  # T6
        ("PLANNED", "IN_COMPANY_PLACEMENT"),  # T6
        ("PLANNED", "PREPARATORY"),  # T7
        ("PREPARATORY", "IN_COMPANY_PLACEMENT"),  # T8
        ("PREPARATORY", "PLANNED"),  # back to PLANNED (§3.2)
        ("IN_COMPANY_PLACEMENT", "IN_COMPANY_PLACEMENT"),  # T10
        ("IN_COMPANY_PLACEMENT", "JOB_HUNT"),  # T11
        ("IN_COMPANY_PLACEMENT", "PLANNED"),  # T12
        ("JOB_HUNT", "IN_COMPANY_PLACEMENT"),  # back to a placement (§3.2)
        ("ASSESSED", "RESOURCE_PATHWAY"),  # T13
        ("PLANNED", "RESOURCE_PATHWAY"),  # T13
        ("RESOURCE_PATHWAY", "PREPARATORY"),  # rehab plan with a course first [001]
        ("RESOURCE_PATHWAY", "IN_COMPANY_PLACEMENT"),  # T14
    }
    | {(s, "EXITED") for s in _ACTIVE}  # T15
)


def build_pathway(
    scenario: Scenario, defaults: Defaults, citizen: Citizen, rng: random.Random, key: str
) -> list[Step]:
    """Draw the whole timeline of one pathway; the steps come back in occurred_at order."""
    p = PathwayContext(scenario, defaults, citizen, rng, key)
    run_intake(p)
    run_track(p)
    # Stable sort: steps drawn for the same instant keep the order they were drawn in.
    p.steps.sort(key=lambda s: s.at)
    return p.steps


def states(steps: list[Step]) -> list[tuple[str | None, str]]:
    """The main-track transitions a pathway takes, in order (for checks against §3.3)."""
    out: list[tuple[str | None, str]] = []
    current: str | None = None
    for step in steps:
        if step.state is not None:
            out.append((current, step.state))
            current = step.state
    return out
