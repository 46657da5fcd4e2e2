"""Series by week since a start: conversations by week since entry (M10), hours by week since the
first company placement (M19).

Per-week distinct-citizen counts over every pathway-week are costly (an exact distinct count per
week over millions of rows). The suppression base of a week is instead the pathways counted in it
minus the selection's pathways beyond one per citizen: a lower bound of the distinct citizens,
exact when every citizen has one pathway, so a week is never shown from fewer than min_cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from dashboard import stats
from dashboard.panels import Execute, _facts, _i
from dashboard.sql import TZ, Selection, days_between, now_sql

JSON = dict[str, Any]
HORIZON_WEEKS = 64  # RD-16: the trial's effect horizon
HOURS_WEEKS = 52


def _duplicates(execute: Execute, base: str) -> dict[str, int]:
    """For ALL and each trial arm: pathways beyond one per citizen in `base` (citizen_id, arm).

    One pass over `base` (each arm's count as a conditional count; issue 8).
    """
    arms = ("CONTROL", "TREATMENT")
    cols = ", ".join(f"countIf(arm = '{a}') - uniqExactIf(citizen_id, arm = '{a}')" for a in arms)
    row = execute(f"SELECT count() - uniqExact(citizen_id), {cols} FROM ({base})")[0]
    return {a: _i(d) for a, d in zip(("ALL", *arms), row, strict=True)}


def _with_all(rows: Sequence[Sequence[Any]]) -> list[tuple[str, int, int]]:
    """(arm, key, count) rows plus the 'ALL' rows: each key's count summed over the arms."""
    out = [(str(a), _i(k), _i(n)) for a, k, n in rows]
    total: dict[int, int] = {}
    for _, k, n in out:
        total[k] = total.get(k, 0) + n
    return out + [("ALL", k, n) for k, n in sorted(total.items())]


def conversation_rate(
    execute: Execute, db: str, sel: Selection, now: int, min_cell: int
) -> list[JSON]:
    """M10 by week k since entry and trial arm.

    Denominator: complete ISO weeks in which the pathway was still open and still on benefit
    (M10a: exit and benefit end both end it, [003] Fig. 1); numerator: those weeks with a
    conversation.held (E7). At most 64 weeks (RD-16).
    """
    n = now_sql(now)
    end = f"least({n}, least(ifNull(exit_at, {n}), ifNull(benefit_ended_at, {n})))"
    entry = "assumeNotNull(entry_at)"
    weeks = f"toInt32((toMonday(toDate({end}, {TZ})) - toMonday(toDate({entry}, {TZ}))) / 7)"
    base = (
        "SELECT citizen_id, trial_arm AS arm, conversation_weeks,"
        f" toUInt32(least(greatest({weeks}, 0), {HORIZON_WEEKS})) AS n"
        f" FROM {_facts(db)} WHERE {sel.facts_where()} AND entry_at IS NOT NULL"
    )
    # Pathways at risk in week k: those with n > k, from the distribution of n.
    # Every row has one arm, so ALL is the sum over the arms (one pass each, not two).
    by_n = _with_all(execute(f"SELECT arm, n, count() FROM ({base}) GROUP BY arm, n"))
    held = _with_all(
        execute(
            f"SELECT arm, k, count() FROM ({base})"
            " ARRAY JOIN arrayDistinct(conversation_weeks) AS k WHERE k >= 0 AND k < n"
            " GROUP BY arm, k"
        )
    )
    dups = _duplicates(execute, base)
    at_risk: dict[str, list[int]] = {}
    for arm, weeks_n, count in by_n:
        cells = at_risk.setdefault(str(arm), [0] * HORIZON_WEEKS)
        for k in range(min(_i(weeks_n), HORIZON_WEEKS)):
            cells[k] += _i(count)
    numerators: dict[str, dict[int, int]] = {}
    for arm, k, count in held:
        numerators.setdefault(str(arm), {})[_i(k)] = _i(count)
    out = []
    for arm in ("ALL", "CONTROL", "TREATMENT"):
        risk = at_risk.get(arm)
        if not risk:
            continue
        series = []
        for k, total in enumerate(risk):
            if total == 0:
                break
            h = numerators.get(arm, {}).get(k, 0)
            base_citizens = max(total - dups.get(arm, 0), 1)
            series.append(
                {
                    "k": k,
                    "rate": stats.rate(h, total, base_citizens, min_cell),
                    "held": h,
                    "weeks": total,
                }
            )
        out.append({"arm": arm, "weeks": series})
    return out


def hours_progression(execute: Execute, db: str, sel: Selection, now: int, min_cell: int) -> JSON:
    """M19: weekly hours by week since the first company placement started (RD-08: 12 -> 32)."""
    n = now_sql(now)
    start = "assumeNotNull(first_company_placement_at)"
    span = days_between(start, f"greatest({start}, least({n}, ifNull(exit_at, {n})))")
    base = (
        "SELECT citizen_id, '' AS arm, hours_weeks, hours_values, hours_target,"
        f" toUInt32(least(intDiv(toInt32({span}), 7) + 1, {HOURS_WEEKS})) AS n"
        f" FROM {_facts(db)} WHERE {sel.facts_where()}"
        " AND first_company_placement_at IS NOT NULL AND length(hours_weeks) > 0"
    )
    sql = (
        "SELECT w, count(), avg(h), quantileExact(0.5)(h),"
        " countIf(target > 0 AND h >= target), countIf(target > 0) FROM ("
        " SELECT w, arrayCount(x -> x <= toInt32(w), hours_weeks) AS i,"
        " hours_values[i] AS h, ifNull(hours_target, 0) AS target"
        f" FROM ({base}) ARRAY JOIN range(n) AS w WHERE i > 0"
        ") GROUP BY w ORDER BY w"
    )
    dups = _duplicates(execute, base).get("ALL", 0)
    weeks = []
    for w, total, mean, median, reached, with_target in execute(sql):
        c = max(_i(total) - dups, 1)
        weeks.append(
            {
                "week": _i(w),
                "mean": stats.figure(round(float(mean), 2), c, min_cell),
                "median": stats.figure(float(median), c, min_cell),
                "reached_target": stats.rate(_i(reached), _i(with_target), c, min_cell),
                "citizens": stats.count(c, min_cell),
            }
        )
    return {"weeks": weeks}
