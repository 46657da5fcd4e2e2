"""Open stalled-pathway alerts (§5.2) and the completeness watermark, read from their views."""

from __future__ import annotations

from typing import Any

from dashboard import stats
from dashboard.panels import Execute, _facts, _i
from dashboard.sql import Selection, check_rule, now_sql
from schemas.alerts import AlertState
from schemas.progress import OVERALL

JSON = dict[str, Any]

SORTS = {
    "age": "since",
    "rule": "rule_id",
    "state": "current_state",
    "severity": "severity",
    "municipality": "municipality_code",
    "pathway": "pathway_id",
}
LIMIT = 500


def watermark(execute: Execute, db: str) -> JSON:
    """The overall completeness watermark (event time up to which results are complete)."""
    rows = execute(
        "SELECT toUnixTimestamp(complete_up_to), toUnixTimestamp(max_event_time_seen),"
        f" toUnixTimestamp(reported_at) FROM {db}.watermark_latest WHERE partition = {OVERALL}"
    )
    if not rows:
        # Several workers: none reports partition -1 (it needs all partitions), so take the
        # least complete partition over all their reports (watermark_overall, 0004).
        rows = execute(
            "SELECT toUnixTimestamp(w.complete_up_to), toUnixTimestamp(w.max_event_time_seen),"
            f" toUnixTimestamp(r.reported_at) FROM {db}.watermark_overall AS w CROSS JOIN"
            f" (SELECT max(reported_at) AS reported_at FROM {db}.watermark_latest) AS r"
            " WHERE w.partitions_reporting > 0"
        )
    if rows:
        up_to, seen, reported = (_i(x) for x in rows[0])
        return {"complete_up_to": up_to, "max_event_time": seen, "reported_at": reported}
    return {"complete_up_to": None, "max_event_time": None, "reported_at": None}


def latest_fact_time(execute: Execute, db: str) -> int:
    """The latest event time any fact knows (reference time while no watermark is reported)."""
    rows = execute(
        "SELECT toUnixTimestamp(max(greatest(ifNull(last_event_at, toDateTime(0)),"
        f" ifNull(entry_at, toDateTime(0))))) FROM {_facts(db)}"
    )
    return _i(rows[0][0]) if rows else 0


def _where(sel: Selection, db: str) -> str:
    where = sel.scope_where()
    if sel.cohort:
        where += (
            f" AND pathway_id IN (SELECT pathway_id FROM {_facts(db)} WHERE {sel.facts_where()})"
        )
    return where


def open_alerts(
    execute: Execute,
    db: str,
    sel: Selection,
    now: int,
    min_cell: int,
    *,
    rule: str | None = None,
    state: str | None = None,
    municipality: str | None = None,
    sort: str = "age",
    descending: bool = True,
) -> JSON:
    """Open alerts with rule, state, age (days since the rule's clock started) and pseudonym.

    This is the operational list (§7.2 O1/O2): one row per pathway, pseudonyms only. Counts
    shown with it (per rule and in total) are suppressed below min_cell like every figure.
    """
    where = _where(sel, db)
    if check_rule(rule):
        where += f" AND rule_id = '{rule}'"
    if state:
        where += f" AND current_state = '{AlertState(state).value}'"
    if municipality:
        if not (municipality.isdigit() and len(municipality) == 3):
            raise ValueError(f"not a municipality code: {municipality!r}")
        where += f" AND municipality_code = '{municipality}'"
    column = SORTS.get(sort, "since")
    # Oldest first is the most urgent: "age descending" sorts by `since` ascending.
    direction = (
        ("ASC" if descending else "DESC")
        if column == "since"
        else ("DESC" if descending else "ASC")
    )
    n = now_sql(now)
    rows = execute(
        "SELECT rule_id, rule_name, severity, current_state, pathway_id, municipality_code,"
        f" job_centre_id, toUnixTimestamp(since), intDiv(toInt64({n}) - toInt64(since), 86400)"
        f" FROM {db}.alerts_open WHERE {where}"
        f" ORDER BY {column} {direction}, alert_key LIMIT {LIMIT}"
    )
    by_rule = execute(
        "SELECT rule_id, any(rule_name), count(), uniqExact(citizen_id)"
        f" FROM {db}.alerts_open WHERE {_where(sel, db)} GROUP BY rule_id ORDER BY rule_id"
    )
    total = sum(_i(r[3]) for r in by_rule)
    return {
        "alerts": [
            {
                "rule_id": str(r[0]),
                "rule_name": str(r[1]),
                "severity": str(r[2]),
                "state": str(r[3]),
                "pathway_id": str(r[4]),
                "municipality_code": str(r[5]),
                "job_centre_id": str(r[6]),
                "since": _i(r[7]),
                "age_days": _i(r[8]),
            }
            for r in rows
        ],
        "by_rule": [
            {"rule_id": str(r[0]), "rule_name": str(r[1]), "count": stats.count(_i(r[3]), min_cell)}
            for r in by_rule
        ],
        "total": stats.count(total, min_cell),
        "limit": LIMIT,
    }


def open_alerts_by_unit(execute: Execute, db: str, sel: Selection, min_cell: int) -> JSON:
    """Open alerts per breakdown unit (citizens with at least one open alert)."""
    key = sel.child_key
    rows = execute(
        f"SELECT {key}, uniqExact(citizen_id) FROM {db}.alerts_open "
        f"WHERE {_where(sel, db)} GROUP BY {key}"
    )
    return {str(u): stats.count(_i(c), min_cell) for u, c in rows}
