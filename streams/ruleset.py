"""The versioned alert rules files (streams/rules/alerts.v<N>.toml) with overrides (§5.2).

The newest version is the default; older files stay so that a replay of history can be
evaluated with the version its alerts carry (`rules_version`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cache
from pathlib import Path
from typing import Any

from schemas.alerts import Severity
from streams.workdays import WorkingDays

RULES_DIR = Path(__file__).parent / "rules"
DEFAULT_FILE = RULES_DIR / "alerts.v2.toml"


@dataclass(frozen=True)
class Rule:
    """One rule's effective parameters for one pathway."""

    rule_id: str
    values: dict[str, Any]
    _durations: dict[tuple[str, float], timedelta] = field(
        default_factory=dict, compare=False, repr=False
    )
    # threshold -> [(state, elapsed time at which it is reached)] (streams/alerts.py _bounds).
    bounds: dict[timedelta, list[tuple[Any, timedelta]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def name(self) -> str:
        """The §5.2 name, e.g. VISITATION_OVERDUE."""
        return str(self.values["name"])

    def days(self, key: str, default: float = 0.0) -> timedelta:
        """A `<key>` parameter in days as a duration."""
        hit = self._durations.get((key, default))
        if hit is None:  # rules are read on every evaluation: convert each parameter once
            hit = self._durations[(key, default)] = timedelta(
                days=float(self.values.get(key, default))
            )
        return hit

    def number(self, key: str, default: float = 0.0) -> float:
        """A numeric parameter."""
        return float(self.values.get(key, default))

    def severity(self, overdue: bool) -> Severity:
        """Severity; some rules escalate when OVERDUE (A03: medium -> high)."""
        if overdue and "severity_overdue" in self.values:
            return Severity(self.values["severity_overdue"])
        return Severity(self.values["severity"])


@dataclass(frozen=True)
class RuleSet:
    """Defaults plus overrides, as read from one rules file."""

    version: int
    allowed_lateness: timedelta
    intensive_arms: frozenset[str]
    intensive_programmes: frozenset[str]
    defaults: dict[str, dict[str, Any]]
    by_programme: dict[str, dict[str, dict[str, Any]]]
    by_municipality: dict[str, dict[str, dict[str, Any]]]
    # Working days (A04, A14): Mon-Fri minus the named calendar's holidays (none in version 1).
    calendar: WorkingDays = field(default_factory=WorkingDays)
    _effective: dict[tuple[str, str], dict[str, Rule]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def for_pathway(self, municipality_code: str, programme_id: str) -> dict[str, Rule]:
        """Effective rules: defaults, then the programme's overrides, then the municipality's."""
        hit = self._effective.get((municipality_code, programme_id))
        if hit is not None:  # the same few (municipality, programme) pairs on every event
            return hit
        out = {}
        prog = self.by_programme.get(programme_id, {})
        muni = self.by_municipality.get(municipality_code, {})
        for rule_id, values in self.defaults.items():
            merged = {**values, **prog.get(rule_id, {}), **muni.get(rule_id, {})}
            if merged.get("enabled", True):
                out[rule_id] = Rule(rule_id, merged)
        self._effective[(municipality_code, programme_id)] = out
        return out

    def intensive(self, trial_arm: str, programme_id: str) -> bool:
        """In the INTENSIVE_WEEKLY conversation regime (§3.4)."""
        return trial_arm in self.intensive_arms or programme_id in self.intensive_programmes


def parse(data: dict[str, Any]) -> RuleSet:
    """A RuleSet from the parsed TOML document; unknown rules in overrides are errors."""
    defaults = data["rules"]
    overrides = data.get("overrides", {})
    for scope in overrides.values():
        for rules in scope.values():
            unknown = set(rules) - set(defaults)
            if unknown:
                raise ValueError(f"override for unknown rule(s) {sorted(unknown)}")
    return RuleSet(
        version=int(data["version"]),
        allowed_lateness=timedelta(hours=float(data["allowed_lateness_hours"])),
        intensive_arms=frozenset(data.get("intensive_arms", [])),
        intensive_programmes=frozenset(data.get("intensive_programmes", [])),
        defaults=defaults,
        by_programme=overrides.get("programme", {}),
        by_municipality=overrides.get("municipality", {}),
        calendar=WorkingDays(
            country=str(data.get("calendar", "")),
            categories=tuple(data.get("holiday_categories", ["public"])),
        ),
    )


@cache
def load(path: Path = DEFAULT_FILE) -> RuleSet:
    """Read and parse a rules file (cached per path)."""
    with path.open("rb") as fh:
        return parse(tomllib.load(fh))
