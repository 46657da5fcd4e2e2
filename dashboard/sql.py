"""SQL for the dashboard, portable between ClickHouse 18.16 and current ClickHouse (chDB).

Only validated literals are ever put into SQL (codes by pattern, times as Unix seconds), so the
same text runs on the server (clickhouse-driver) and in chDB (tests) without parameter binding.
Facts are read with FINAL (each pathway once, at its latest version; docs/clickhouse.md).
Times leave ClickHouse as Unix seconds, never as naive datetimes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from dashboard.auth import Level

TZ = "'Europe/Copenhagen'"
_REGION = re.compile(r"^[A-Z0-9_]{1,40}$")
_MUNICIPALITY = re.compile(r"^[0-9]{3}$")
_COHORT = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")
_RULE = re.compile(r"^A[0-9]{2}$")


# Fact fields that follow from other fields of the same fact (schemas/facts.py) are derived
# again here when missing, so a fact that carries only its timestamps still counts right; for a
# complete fact the expression equals the field.
ENTRY_MONTH = f"ifNull(entry_month, toStartOfMonth(toDate(assumeNotNull(entry_at), {TZ})))"
VISITED_IN_7D = (
    "ifNull(visited_within_7_days, visitation_at IS NOT NULL AND entry_at IS NOT NULL"
    f" AND toDate(assumeNotNull(visitation_at), {TZ}) - toDate(assumeNotNull(entry_at), {TZ})"
    " <= 7) = 1"
)
EVER_COMPANY = "(ever_company_oriented = 1 OR first_company_placement_at IS NOT NULL)"
# Stages implied by a timestamp (M15): a visitation means ASSESSED, a company offer the placement.
STAGE_IMPLIED_BY = {
    "ASSESSED": "visitation_at IS NOT NULL",
    "IN_COMPANY_PLACEMENT": "first_company_placement_at IS NOT NULL",
}


class BadSelection(ValueError):
    """A code, cohort or filter that is not well-formed (answered with 400)."""


def check_code(level: Level, code: str) -> str:
    """`code` if it is well-formed for `level`; raises BadSelection otherwise."""
    if level == "national" and code == "":
        return code
    if level == "region" and _REGION.match(code):
        return code
    if level == "municipality" and _MUNICIPALITY.match(code):
        return code
    raise BadSelection(f"not a {level} code: {code!r}")


def check_cohort(cohort: str | None) -> str | None:
    """A YYYY-MM entry month, or None."""
    if cohort in (None, ""):
        return None
    assert cohort is not None
    if not _COHORT.match(cohort):
        raise BadSelection(f"cohort must be YYYY-MM, not {cohort!r}")
    return cohort


def check_rule(rule: str | None) -> str | None:
    """An alert rule id (A01 ... A23), or None."""
    if rule in (None, ""):
        return None
    assert rule is not None
    if not _RULE.match(rule):
        raise BadSelection(f"not a rule id: {rule!r}")
    return rule


@dataclass(frozen=True)
class Selection:
    """Which pathways a panel is computed over: a scope (level, code) and maybe one cohort."""

    level: Level
    code: str = ""
    cohort: str | None = None  # entry month YYYY-MM

    def __post_init__(self) -> None:
        check_code(self.level, self.code)
        check_cohort(self.cohort)

    @property
    def child_level(self) -> str:
        """The level of the breakdown rows: regions, municipalities or job centres."""
        return {"national": "region", "region": "municipality", "municipality": "job_centre"}[
            self.level
        ]

    @property
    def child_key(self) -> str:
        """Column of the breakdown rows."""
        return f"{self.child_level}_code" if self.level != "municipality" else "job_centre_id"

    def scope_where(self) -> str:
        """Condition on a table with region_code / municipality_code columns."""
        if self.level == "national":
            return "1"
        column = "region_code" if self.level == "region" else "municipality_code"
        return f"{column} = '{self.code}'"

    def facts_where(self) -> str:
        """Condition on pathway_facts: the scope and the cohort."""
        where = self.scope_where()
        if self.cohort:
            where += f" AND entry_at IS NOT NULL AND {ENTRY_MONTH} = toDate('{self.cohort}-01')"
        return where


def now_sql(now: int) -> str:
    """The reference time (completeness watermark) as a DateTime literal."""
    return f"toDateTime({int(now)})"


def days_between(start: str, end: str) -> str:
    """Calendar days between two non-null DateTime expressions on Copenhagen dates (RD-01)."""
    return f"(toDate({end}, {TZ}) - toDate({start}, {TZ}))"


def per_citizen(
    source: str,
    where: str,
    counts: Sequence[tuple[str, str]],
    unit: str | None = None,
    median: str | None = None,
) -> str:
    """Per (unit and) condition: pathways meeting it and their distinct citizens, in one pass.

    Two columns per condition, `countIf(condition)` and `uniqExactIf(citizen_id, condition)` (the
    suppression base, §8.9), positionally, computed by grouping the rows per citizen first
    (issue 8): a citizen counts for a condition when at least one of its
    pathways meets it, so `countIf(n > 0)` over the citizens equals `uniqExactIf(citizen_id,
    condition)`, from one hash table instead of one distinct set per condition. `median` adds
    quantileExact(0.5) of that column over the pathways (NULL when it has no value).
    """
    inner = [f"countIf({cond}) AS n_{name}" for name, cond in counts]
    outer = [f"sum(n_{name}), countIf(n_{name} > 0)" for name, _ in counts]
    if median is not None:
        inner.append(f"groupArray({median}) AS median_values")
        outer.append(
            "if(sum(length(median_values)) = 0, NULL, quantileExactArray(0.5)(median_values))"
        )
    keys = "citizen_id" if unit is None else f"{unit} AS unit, citizen_id"
    sql = (
        f"SELECT {'unit, ' if unit is not None else ''}{', '.join(outer)} FROM ("
        f"SELECT {keys}, {', '.join(inner)} FROM {source} WHERE {where}"
        f" GROUP BY {'unit, ' if unit is not None else ''}citizen_id)"
    )
    return sql if unit is None else f"{sql} GROUP BY unit ORDER BY unit"
