"""One scenario for the sink tables and read views, run on chDB and on the real server.

Each target applies all migrations to a fresh database, inserts rows through the sinks' row
mappers (replayed batches included), and the views must give the same exact answers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from consumers.rows import (
    ALERT_COLUMNS,
    DEAD_LETTER_COLUMNS,
    FACT_COLUMNS,
    PROGRESS_COLUMNS,
    RAW_COLUMNS,
    WITHHELD,
    Row,
    alert_row,
    dead_letter_row,
    fact_row,
    progress_row,
    raw_row,
)
from schemas import tables
from schemas.alerts import Alert, AlertState, Severity
from schemas.deadletter import DeadLetter, Reason
from schemas.decode import Coordinates, decode
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from schemas.progress import Watermark
from tests.factories import T0, contact, offer, visitation

Insert = Callable[[str, Sequence[str], Sequence[Row]], None]
Query = Callable[[str], list[tuple[Any, ...]]]
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def events() -> list[Envelope]:
    """Three pathways: placed after 12 days (153), visited only (153), contact only (159)."""
    payloads = [
        contact(T0, pathway_id="pw_a_000001"),
        visitation(T0 + timedelta(days=3), pathway_id="pw_a_000001"),
        offer(T0 + timedelta(days=12), pathway_id="pw_a_000001"),
        contact(T0, pathway_id="pw_b_000002"),
        visitation(T0 + timedelta(days=9), pathway_id="pw_b_000002"),
        contact(T0, pathway_id="pw_c_000003", municipality_code="159", job_centre_id="jc_159"),
    ]
    out = []
    for offset, payload in enumerate(payloads):
        ev = decode(orjson.dumps(payload), Coordinates("t.events.v1", 0, offset), NOW)
        assert isinstance(ev, Envelope), ev
        out.append(ev)
    return out


def facts() -> list[PathwayFact]:
    """Facts of the three pathways in `events()`, plus a stale version of pw_a."""
    week, month = date(2024, 3, 4), date(2024, 3, 1)
    common: dict[str, Any] = {
        "citizen_id": "cz_test_0001",
        "region_code": "R1",
        "entry_at": T0,
        "entry_week": week,
        "entry_month": month,
    }
    placed = PathwayFact(
        pathway_id="pw_a_000001",
        municipality_code="153",
        job_centre_id="jc_153",
        visitation_at=T0 + timedelta(days=3),
        days_to_visitation=3,
        visited_within_7_days=True,
        first_company_placement_at=T0 + timedelta(days=12),
        days_to_first_company_placement=12,
        ever_company_oriented=True,
        conversation_weeks=[0, 1],
        stages_reached=["CONTACTED", "ASSESSED", "IN_COMPANY_PLACEMENT"],
        hours_weeks=[0],
        hours_values=[10.5],
        events_applied=3,
        version=3,
        **common,
    )
    stale = placed.model_copy(
        update={
            "first_company_placement_at": None,
            "days_to_first_company_placement": None,
            "events_applied": 1,
            "version": 1,
        }
    )
    visited = PathwayFact(
        pathway_id="pw_b_000002",
        municipality_code="153",
        job_centre_id="jc_153",
        visitation_at=T0 + timedelta(days=9),
        days_to_visitation=9,
        visited_within_7_days=False,
        events_applied=2,
        version=2,
        **common,
    )
    contacted = PathwayFact(
        pathway_id="pw_c_000003",
        municipality_code="159",
        job_centre_id="jc_159",
        events_applied=1,
        version=1,
        **common,
    )
    return [placed, visited, contacted, stale]


def alert(key: str, state: AlertState, version: int) -> Alert:
    """One transition of an A01 alert in region R1."""
    return Alert(
        alert_key=key,
        rule_id="A01",
        rule_name="VISITATION_OVERDUE",
        rules_version=1,
        state=state,
        severity=Severity.HIGH,
        pathway_id=key.split(":")[0],
        citizen_id="cz_test_0001",
        municipality_code="153",
        region_code="R1",
        job_centre_id="jc_153",
        since=T0,
        deadline=T0 + timedelta(days=7),
        state_since=T0 + timedelta(days=version),
        version=version,
    )


def load(insert: Insert) -> None:
    """Write the scenario, every batch twice (a replay must change nothing)."""
    evs = events()
    # An older version of pw_a comes after the newer one: FINAL must still pick the newer.
    fact_rows = [fact_row(f, NOW) for f in facts()]
    raw_rows = [raw_row(ev, 0, i, NOW) for i, ev in enumerate(evs)]
    alert_rows = [
        alert_row(a, NOW)
        for a in (
            alert("pw_b_000002:A01", AlertState.WARNING, 1),
            alert("pw_b_000002:A01", AlertState.DUE, 2),
            alert("pw_a_000001:A01", AlertState.WARNING, 1),
            alert("pw_a_000001:A01", AlertState.RESOLVED, 2),
        )
    ]
    dl = DeadLetter(
        reason=Reason.VALIDATION_ERROR,
        detail="bad value 010170-1234",
        source_topic="t.events.v1",
        source_partition=1,
        source_offset=7,
        payload='{"x": "0101701234"}',
    )
    dl_rows = [dead_letter_row(dl, T0, NOW)]
    wms = [
        Watermark(
            partition=p,
            watermark=T0 + timedelta(hours=h),
            max_event_time=T0 + timedelta(hours=h + 1),
            events_seen=10 * h,
            emitted_at=NOW + timedelta(milliseconds=100 * h),
        )
        for p in (0, -1)
        for h in (1, 2, 3)
    ]
    progress_rows = [progress_row(w, NOW) for w in wms]
    for _ in range(2):
        insert(tables.PATHWAY_FACTS, FACT_COLUMNS, fact_rows)
        insert(tables.RAW_EVENTS, RAW_COLUMNS, raw_rows)
        insert(tables.ALERTS, ALERT_COLUMNS, alert_rows)
        insert(tables.DEAD_LETTERS, DEAD_LETTER_COLUMNS, dl_rows)
        insert(tables.PROGRESS, PROGRESS_COLUMNS, progress_rows)


def check(query: Query, db: str) -> None:
    """The exact answers every target must give."""
    names = {str(r[0]) for r in query(f"SELECT name FROM system.tables WHERE database = '{db}'")}
    assert names == {*tables.TABLES, *tables.VIEWS, tables.SCHEMA_MIGRATIONS}

    muni = query(
        f"SELECT municipality_code, toString(entry_week), pathways, visited, visited_in_7d, "
        f"placed, median_days_to_placement FROM {db}.{tables.facts_view('municipality', 'week')} "
        f"ORDER BY municipality_code"
    )
    assert [(r[0], r[1], int(r[2]), int(r[3]), int(r[4]), int(r[5])) for r in muni] == [
        ("153", "2024-03-04", 2, 2, 1, 1),
        ("159", "2024-03-04", 1, 0, 0, 0),
    ]
    assert float(muni[0][6]) == 12.0
    for level in tables.LEVELS:
        for period in tables.PERIODS:
            total = query(f"SELECT sum(pathways) FROM {db}.{tables.facts_view(level, period)}")
            assert int(total[0][0]) == 3, (level, period)
    month = query(f"SELECT toString(entry_month) FROM {db}.facts_by_region_month")
    assert {r[0] for r in month} == {str(date(2024, 3, 1))}

    raw = query(f"SELECT count() FROM {db}.{tables.RAW_EVENTS} FINAL")
    assert int(raw[0][0]) == 6

    open_alerts = query(
        f"SELECT alert_key, current_state, current_version FROM {db}.{tables.ALERTS_OPEN}"
    )
    assert [(r[0], r[1], int(r[2])) for r in open_alerts] == [("pw_b_000002:A01", "DUE", 2)]
    by_rule = query(
        f"SELECT region_code, rule_id, sum(open_alerts) "
        f"FROM {db}.{tables.ALERTS_OPEN_BY_REGION_RULE} GROUP BY region_code, rule_id"
    )
    assert [(r[0], r[1], int(r[2])) for r in by_rule] == [("R1", "A01", 1)]
    history = query(f"SELECT count() FROM {db}.{tables.ALERTS} FINAL")
    assert int(history[0][0]) == 4

    dls = query(f"SELECT detail, payload FROM {db}.{tables.DEAD_LETTERS} FINAL")
    assert dls == [(WITHHELD, None)]
    by_day = query(f"SELECT toString(day), reason, dead_letters FROM {db}.dead_letters_by_day")
    assert [(r[0], r[1], int(r[2])) for r in by_day] == [("2024-03-04", "validation_error", 1)]

    wm = query(
        f"SELECT partition, toUnixTimestamp(complete_up_to), events_seen_total "
        f"FROM {db}.{tables.WATERMARK_LATEST} ORDER BY partition"
    )
    expected_wm = int((T0 + timedelta(hours=3)).timestamp())
    assert [(int(r[0]), int(r[1]), int(r[2])) for r in wm] == [
        (-1, expected_wm, 30),
        (0, expected_wm, 30),
    ]


def sql_literal(value: Any) -> str:
    """A value as a ClickHouse SQL literal (for engines without a native insert path)."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime):
        return f"toDateTime({int(value.timestamp())})"
    if isinstance(value, date):
        return f"toDate('{value.isoformat()}')"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(sql_literal(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'")
    return f"'{text}'"
