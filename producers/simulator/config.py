"""Scenario configuration: producers/scenarios.toml, where every number carries its source.

A number is written as `{ value = ..., source = "domain.md §x / [doc]" }`; the loader unwraps it
and refuses a bare number anywhere outside such a table, so an unsourced figure cannot slip in.
"""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from schemas.enums import ClassificationScheme, OfferType, Programme, Readiness, TrialArm

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "scenarios.toml"


class UnsourcedNumberError(ValueError):
    """A number in the scenario file has no `source` next to it."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Defaults(_Frozen):
    """Parameters shared by every scenario ([defaults])."""

    visitation_days_max: int
    visitation_overdue_share: float
    visitation_overdue_days_max: int
    screening_share: float
    recording_lag_minutes_max: int
    in_person_weeks: int
    phone_share_after_in_person_weeks: float
    hours_step_weeks: int
    hours_step: float
    hours_start: float
    hours_max: float
    mentor_share_in_placement: float
    parallel_effort_share: float
    parallel_effort_weeks: int
    goals_agreed_share: float
    wage_subsidy_weeks: int
    conversation_minutes_early: int
    conversation_minutes_late: int
    caseload: int
    start_benefit_share: float
    exit_week_min: int
    placement_review_weeks: int
    other_exit_mix: list[dict[str, Any]]


class Track(_Frozen):
    """One kind of pathway inside a scenario (a trial arm, a readiness group, a cohort)."""

    weight: float = 1.0
    arm: TrialArm | None = None
    readiness: Readiness | None = None
    resource_pathway: bool = False
    brondby_model: bool = False
    measures_weeks: int = 4
    course_weeks: int = 4
    weekly_conversation: float
    held_share: float = 0.85
    held_share_from: str | None = None
    preparatory_types: list[OfferType]
    company_types: list[OfferType]
    preparatory_share: float
    preparatory_start_week: int = 2
    company_share: float
    company_start_week_min: int = 9
    company_start_week_max: int = 9
    placement_weeks: int
    extension_share: float
    extension_weeks: int
    wage_subsidy_share: float
    interrupted_share: float
    job_share: float
    education_share: float
    other_exit_share: float


class Target(_Frozen):
    """A calibration target the tests check, with its tolerance (absolute)."""

    value: float
    tolerance: float
    source: str


class Municipality(_Frozen):
    """A municipality with its DST code and a rough size weight."""

    code: str
    name: str
    weight: float = 1.0


class Scenario(_Frozen):
    """A named scenario: population, period, tracks and calibration targets."""

    name: str
    description: str
    programme: Programme | None = None
    programme_mix: list[dict[str, Any]] = Field(default_factory=list)
    classification: ClassificationScheme
    start: date
    municipality: str | None = None
    pathways: int
    intake_days: int
    horizon_weeks: int
    treatment_share: float | None = None
    job_centre_rates: list[dict[str, Any]] = Field(default_factory=list)
    tracks: dict[str, Track]
    targets: dict[str, Target] = Field(default_factory=dict)

    def rate_for(self, municipality: str) -> float | None:
        """The held-conversation share of one job centre, if the scenario lists it."""
        for row in self.job_centre_rates:
            if row["code"] == municipality:
                return float(row["rate"])
        return None


class Config(_Frozen):
    """The whole scenario file."""

    defaults: Defaults
    municipalities: list[Municipality]
    default_municipality_weight: float = 1.0

    def national_mix(self) -> list[tuple[str, float]]:
        """All 98 municipality codes with their weight (listed ones, else the default)."""
        from schemas.reference import municipalities

        listed = {m.code: m.weight for m in self.municipalities}
        unknown = listed.keys() - municipalities().keys()
        if unknown:
            raise ValueError(f"[municipalities] lists unknown codes {sorted(unknown)}")
        return [(c, listed.get(c, self.default_municipality_weight)) for c in municipalities()]

    scenarios: dict[str, Scenario]


def _unwrap(node: Any, path: str, sourced: bool) -> Any:
    """Replace `{value, source}` tables by their value; fail on a number without a source."""
    if isinstance(node, dict):
        if "source" in node and "value" in node and "tolerance" not in node:
            return _unwrap(node["value"], path, True)
        inner = sourced or "source" in node
        return {k: _unwrap(v, f"{path}.{k}", inner) for k, v in node.items() if k != "source"}
    if isinstance(node, list):
        return [_unwrap(v, f"{path}[{i}]", sourced) for i, v in enumerate(node)]
    if isinstance(node, int | float) and not isinstance(node, bool) and not sourced:
        raise UnsourcedNumberError(f"{path} = {node} has no source next to it")
    return node


def load(path: Path = DEFAULT_PATH) -> Config:
    """Read and check the scenario file."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    data = _unwrap(raw, "", False)
    targets_raw = {name: sc.get("targets", {}) for name, sc in raw.get("scenarios", {}).items()}
    scenarios = {}
    for name, sc in data["scenarios"].items():
        sc = dict(sc)
        sc["targets"] = targets_raw[name]
        scenarios[name] = Scenario(name=name, **sc)
    return Config(
        defaults=Defaults(**data["defaults"]),
        municipalities=[Municipality(**m) for m in data["municipalities"]["codes"]],
        default_municipality_weight=data["municipalities"]["default_weight"],
        scenarios=scenarios,
    )
