"""The dashboard's panels, each one query over pathway_facts (metric ids: domain.md §6.1).

Every function takes `execute(sql) -> rows`, the database, the Selection and the reference time
`now` (the completeness watermark, Unix seconds) and returns JSON-ready data whose figures went
through dashboard.stats (small-cell suppression, §8.9).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from dashboard import stats
from dashboard.sql import (
    ENTRY_MONTH,
    EVER_COMPANY,
    STAGE_IMPLIED_BY,
    VISITED_IN_7D,
    Selection,
    days_between,
    now_sql,
    per_citizen,
)
from schemas.facts import FUNNEL_STAGES

Execute = Callable[[str], Sequence[Sequence[Any]]]
JSON = dict[str, Any]

SELF_SUFFICIENT = ("SELF_SUFFICIENT_JOB", "SELF_SUFFICIENT_EDUCATION")
# §6.1 note: outcomes in the order of the trial's ranked success criteria, then the rest.
OUTCOME_ORDER = (
    "SELF_SUFFICIENT_JOB",
    "SELF_SUFFICIENT_EDUCATION",
    "PART_TIME_WITH_TOP_UP",
    "FLEX_JOB",
    "WAGE_SUBSIDY_JOB",
    "INDIVIDUAL_INTERNSHIP_OR_WAGE_SUBSIDY",
    "RESOURCE_PATHWAY",
    "EARLY_RETIREMENT_PENSION",
    "OTHER_BENEFIT",
    "MOVED_MUNICIPALITY",
    "PARENTAL_LEAVE",
    "DROPOUT_MOTIVATION",
    "DROPOUT_ATTENDANCE",
    "OTHER",
)


def _facts(db: str) -> str:
    return f"{db}.pathway_facts FINAL"


def _i(value: Any) -> int:
    return int(value) if value is not None else 0


def _metric_counts(now: int) -> list[tuple[str, str]]:
    n = now_sql(now)
    ss = ", ".join(f"'{o}'" for o in SELF_SUFFICIENT)
    return [
        ("all", "1"),
        # M01 denominator: contacts at least 7 days old, or already visited (RD-01).
        ("m01_den", f"visitation_at IS NOT NULL OR entry_at <= {n} - 604800"),
        ("m01_num", VISITED_IN_7D),
        ("open", "exit_at IS NULL"),
        ("in_company", "exit_at IS NULL AND current_state = 'IN_COMPANY_PLACEMENT'"),
        ("ever_company", EVER_COMPANY),
        ("placed", "first_company_placement_at IS NOT NULL"),
        # M04 by week 9 (RD-12, RD-13) among pathways observed for 63 days.
        ("obs63", f"entry_at <= {n} - 63 * 86400"),
        (
            "placed63",
            f"entry_at <= {n} - 63 * 86400 AND ifNull(days_to_first_company_placement, 999) <= 63",
        ),
        ("exited", "exit_at IS NOT NULL"),
        ("self_sufficient", f"outcome IN ({ss})"),
    ]


def _metric_sql(db: str, where: str, now: int, unit: str | None = None) -> str:
    """The key figures' counts (per unit), then the M04 median (`_METRIC_NAMES` order)."""
    return per_citizen(
        _facts(db), where, _metric_counts(now), unit, median="days_to_first_company_placement"
    )


def _metric_row(names: Sequence[str], row: Sequence[Any], min_cell: int) -> JSON:
    v = dict(zip(names, row, strict=True))
    c = {k: _i(x) for k, x in v.items() if k != "median_m04" and k != "unit"}
    return {
        "citizens": stats.count(c["all_c"], min_cell),
        "pathways": stats.figure(c["all"], c["all_c"], min_cell),
        "m01": stats.rate(c["m01_num"], c["m01_den"], c["m01_den_c"], min_cell),
        "m04_median_days": stats.figure(
            None if v["median_m04"] is None or c["placed"] == 0 else _i(v["median_m04"]),
            c["placed_c"],
            min_cell,
        ),
        "m04_by_week9": stats.rate(c["placed63"], c["obs63"], c["obs63_c"], min_cell),
        "m06_now": stats.rate(c["in_company"], c["open"], c["open_c"], min_cell),
        "m08": stats.rate(c["ever_company"], c["all"], c["all_c"], min_cell),
        "open": stats.count(c["open_c"], min_cell),
        "m25_self_sufficient": stats.rate(
            c["self_sufficient"], c["exited"], c["exited_c"], min_cell
        ),
    }


_METRIC_NAMES = (
    *(
        f"{name}{suffix}"
        for name in (
            "all",
            "m01_den",
            "m01_num",
            "open",
            "in_company",
            "ever_company",
            "placed",
            "obs63",
            "placed63",
            "exited",
            "self_sufficient",
        )
        for suffix in ("", "_c")
    ),
    "median_m04",
)


def headline(execute: Execute, db: str, sel: Selection, now: int, min_cell: int) -> JSON:
    """The selection's key figures (M01, M04, M06, M08, M25) in one row."""
    rows = execute(_metric_sql(db, sel.facts_where(), now))
    return _metric_row(_METRIC_NAMES, rows[0], min_cell)


def breakdown(execute: Execute, db: str, sel: Selection, now: int, min_cell: int) -> list[JSON]:
    """The same figures per child unit (regions, municipalities or job centres)."""
    out = []
    for row in execute(_metric_sql(db, sel.facts_where(), now, sel.child_key)):
        item = _metric_row(_METRIC_NAMES, row[1:], min_cell)
        item["unit"] = str(row[0])
        out.append(item)
    return out


def cohorts(execute: Execute, db: str, sel: Selection, now: int, min_cell: int) -> list[JSON]:
    """The figures per entry-month cohort (M01, M04 by week 9, M08 over time)."""
    where = f"{sel.scope_where()} AND entry_at IS NOT NULL"
    out = []
    for row in execute(_metric_sql(db, where, now, f"toString({ENTRY_MONTH})")):
        item = _metric_row(_METRIC_NAMES, row[1:], min_cell)
        item["cohort"] = str(row[0])[:7]
        out.append(item)
    return out


def funnel(execute: Execute, db: str, sel: Selection, min_cell: int) -> JSON:
    """M15: pathways reaching each stage, where the lost ones were lost, where stalled ones wait."""
    stage_counts = [
        (
            f"s{i}",
            f"has(stages_reached, '{s}') OR stage_reached = '{s}'"
            + (f" OR {STAGE_IMPLIED_BY[s]}" if s in STAGE_IMPLIED_BY else ""),
        )
        for i, s in enumerate(FUNNEL_STAGES)
    ]
    row = execute(per_citizen(_facts(db), sel.facts_where(), stage_counts))[0]
    stages = [
        {"stage": s, "reached": stats.figure(_i(row[2 * i]), _i(row[2 * i + 1]), min_cell)}
        for i, s in enumerate(FUNNEL_STAGES)
    ]
    lost = execute(
        f"SELECT lost_at_stage, outcome, count(), uniqExact(citizen_id) FROM {_facts(db)} "
        f"WHERE {sel.facts_where()} AND lost_at_stage != '' "
        "GROUP BY lost_at_stage, outcome ORDER BY lost_at_stage, outcome"
    )
    stalled = execute(
        f"SELECT current_state, count(), uniqExact(citizen_id) FROM {_facts(db)} "
        f"WHERE {sel.facts_where()} AND exit_at IS NULL "
        f"AND pathway_id IN (SELECT pathway_id FROM {db}.alerts_open) "
        "GROUP BY current_state ORDER BY current_state"
    )
    return {
        "stages": stages,
        "lost": [
            {"stage": str(s), "outcome": str(o), "count": stats.figure(_i(n), _i(c), min_cell)}
            for s, o, n, c in lost
        ],
        "stalled": [
            {"state": str(s), "count": stats.figure(_i(n), _i(c), min_cell)} for s, n, c in stalled
        ],
    }


def placement_survival(execute: Execute, db: str, sel: Selection, now: int, min_cell: int) -> JSON:
    """M04: days from entry to first company placement, as a histogram and a KM curve.

    Pathways not (yet) placed are censored at their exit or at the watermark, whichever is first.
    """
    n = now_sql(now)
    censor = days_between("assumeNotNull(entry_at)", f"least({n}, ifNull(exit_at, {n}))")
    sql = (
        "SELECT t, countIf(ev = 1), countIf(ev = 0) FROM ("
        " SELECT first_company_placement_at IS NOT NULL"
        " AND days_to_first_company_placement IS NOT NULL AS ev,"
        f" if(ev = 1, assumeNotNull(days_to_first_company_placement),"
        f" greatest(toInt32(0), toInt32({censor}))) AS t"
        f" FROM {_facts(db)} WHERE {sel.facts_where()} AND entry_at IS NOT NULL"
        ") GROUP BY t ORDER BY t"
    )
    rows = [(_i(t), _i(e), _i(c)) for t, e, c in execute(sql)]
    points = stats.kaplan_meier(rows)
    bins: dict[int, int] = {}
    for t, events, _ in rows:
        week = min(t // 7, 52)
        bins[week] = bins.get(week, 0) + events
    shares = {}
    for weeks in (8, 9, 13, 26):
        at = stats.survival_at(points, weeks * 7)
        if at is None or at[1] < min_cell:
            shares[str(weeks)] = dict(stats.SUPPRESSED)
        else:
            shares[str(weeks)] = stats.figure(1.0 - at[0], at[1], min_cell)
    return {
        "histogram": [
            {"week": w, "placed": stats.count(bins.get(w, 0), min_cell)} for w in range(53)
        ],
        "km": stats.km_curve(points, min_cell),
        "placed_within_weeks": shares,
        "pathways": stats.count(sum(e + c for _, e, c in rows), min_cell),
    }


def outcomes(execute: Execute, db: str, sel: Selection, min_cell: int) -> list[JSON]:
    """M25: exits by outcome, in §6.1's order; PRISON is shown as OTHER (§8.4)."""
    rows = execute(
        "SELECT if(outcome = 'PRISON', 'OTHER', outcome) AS o, count(), uniqExact(citizen_id) "
        f"FROM {_facts(db)} WHERE {sel.facts_where()} AND outcome != '' GROUP BY o"
    )
    got = {str(o): (_i(n), _i(c)) for o, n, c in rows}
    order = [o for o in OUTCOME_ORDER if o in got] + sorted(set(got) - set(OUTCOME_ORDER))
    return [{"outcome": o, "count": stats.figure(got[o][0], got[o][1], min_cell)} for o in order]
