"""docs/metrics.md's queries, run against facts and alerts of simulated runs (chDB and server)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from consumers.rows import (
    ALERT_COLUMNS,
    FACT_COLUMNS,
    PROGRESS_COLUMNS,
    Row,
    alert_row,
    fact_row,
    progress_row,
)
from pathwatch import PROJECT_ROOT
from schemas import tables
from schemas.alerts import AlertState
from schemas.facts import FUNNEL_STAGES
from streams.alerts import alert_of
from streams.batch import batch_alerts, batch_facts, partition_clocks
from streams.processor import Processor
from streams.ruleset import load
from tests.streams.simulated import JsonTable, simulated

DOC = PROJECT_ROOT / "docs" / "metrics.md"
Insert = Callable[[str, Sequence[str], Sequence[Row]], None]
Query = Callable[[str], list[tuple[Any, ...]]]
NOW = datetime(2030, 1, 1, tzinfo=UTC)
RULES = load()


def doc_queries(db: str) -> list[str]:
    """Every ```sql block of docs/metrics.md, on database `db`."""
    blocks = re.findall(r"```sql\n(.*?)```", DOC.read_text(), flags=re.S)
    return [b.replace("pathwatch.", f"{db}.") for b in blocks]


def events() -> list[Any]:
    """Three simulated runs (every event type the simulator emits)."""
    return [
        *simulated("trial", 24, seed=3),
        *simulated("brondby", 19, seed=2),
        *simulated("national", 30, seed=5),
    ]


def load_rows(insert: Insert) -> None:
    """Batch facts, alerts (one transition each) and the partition-0 watermark."""
    evs = events()
    facts = batch_facts(evs)
    views = batch_alerts(evs, RULES)
    insert(tables.PATHWAY_FACTS, FACT_COLUMNS, [fact_row(f, NOW) for f in facts.values()])
    alerts = [alert_of(v, facts[key.split(":")[0]], RULES, version=1) for key, v in views.items()]
    insert(tables.ALERTS, ALERT_COLUMNS, [alert_row(a, NOW) for a in alerts])
    proc = Processor(JsonTable(), RULES)
    for ev in evs:
        proc.on_event(ev, 0)
    wm = proc.watermark(0, NOW)
    assert wm is not None
    assert wm.watermark == partition_clocks(evs, lambda _p: 0, RULES)[0]
    insert(tables.PROGRESS, PROGRESS_COLUMNS, [progress_row(wm, NOW)])


def check(query: Query, db: str) -> None:
    """Every documented query runs and returns rows; some agree with the batch in Python."""
    queries = doc_queries(db)
    assert len(queries) >= 20
    for sql in queries:
        rows = query(sql)
        assert rows, sql
    evs = events()
    facts = list(batch_facts(evs).values())
    views = batch_alerts(evs, RULES)

    m14 = query(queries[_index("placed_within_7_days")])
    assert sum(int(r[1]) for r in m14) == sum(1 for f in facts if f.pre_course_to_placement_7d)
    assert sum(int(r[2]) for r in m14) == sum(1 for f in facts if f.pre_course_ended_at)
    m04 = query(queries[_index("within_9_weeks")])
    placed_9 = sum(
        1 for f in facts if f.days_to_first_company_placement is not None
        and f.days_to_first_company_placement <= 63
    )  # fmt: skip
    assert sum(int(r[3]) for r in m04) == placed_9
    funnel = {r[0]: int(r[1]) for r in query(queries[_index("sum(has(stages_reached, stage))")])}
    assert funnel == {s: sum(1 for f in facts if s in f.stages_reached) for s in FUNNEL_STAGES}
    open_alerts = query(queries[_index("open_alerts")])
    want = sum(1 for v in views.values() if v.state is not AlertState.RESOLVED)
    assert sum(int(r[4]) for r in open_alerts) == want
    m10 = query(queries[_index("m10a_citizen_weeks")])
    assert all(int(r[1]) <= int(r[2]) for r in m10)  # numerator within its denominator
    assert int(m10[0][0]) == 0


def _index(marker: str) -> int:
    queries = doc_queries("db")
    hits = [i for i, q in enumerate(queries) if marker in q]
    assert len(hits) == 1, marker
    return hits[0]


def documented_ids() -> set[str]:
    """Metric and rule ids with their own heading or table row in docs/metrics.md."""
    text = DOC.read_text()
    return set(re.findall(r"^### (M\d\d)", text, flags=re.M)) | set(
        re.findall(r"^\| (A\d\d) ", text, flags=re.M)
    )
