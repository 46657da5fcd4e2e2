"""bench/reference.py: the per-partition batch reference and the comparison of `make scale`."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bench.reference import FACT_COLUMNS, Expected, compare, expected, fact_cells
from producers.simulator import Options, Rates, load, stream
from schemas.decode import Coordinates, decode
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from streams.batch import batch_alerts, batch_facts, key_partition
from streams.ruleset import load as load_rules

PARTITIONS = 4


def test_fact_cells_are_every_column_in_clickhouse_terms() -> None:
    fact = PathwayFact(
        pathway_id="p1",
        citizen_id="c1",
        municipality_code="101",
        job_centre_id="jc",
        entry_at=datetime(2025, 1, 6, 8, 0, tzinfo=UTC),
        entry_week=date(2025, 1, 6),
        visited_within_7_days=True,
        hours_values=[10.5],
        events_applied=3,
        version=3,
    )
    cells = dict(zip(FACT_COLUMNS, fact_cells(fact), strict=True))
    assert "pathway_id" not in cells
    assert set(cells) == set(PathwayFact.model_fields) - {"pathway_id"}
    assert cells["entry_at"] == 1736150400
    assert cells["entry_week"] == date(2025, 1, 6)
    assert cells["visited_within_7_days"] == 1
    assert cells["pre_course_to_placement_7d"] is None
    assert cells["hours_values"] == [10.5]


def test_per_partition_reference_equals_batch_over_the_whole_log() -> None:
    rates = Rates(duplicate=0.05, correction=0.05)
    messages = list(stream(load(), Options("national", seed=3, pathways=40, rates=rates)))
    by_partition: dict[int, list[bytes]] = {p: [] for p in range(PARTITIONS)}
    for msg in messages:
        by_partition[key_partition(msg.key, PARTITIONS)].append(msg.value)
    got = expected("t.events.v1", by_partition, PARTITIONS)

    now = datetime.now(UTC)
    events = [decode(m.value, Coordinates("t", 0, i), now) for i, m in enumerate(messages)]
    valid = [e for e in events if isinstance(e, Envelope)]
    facts = batch_facts(valid)
    views = batch_alerts(valid, load_rules(), lambda pid: key_partition(pid, PARTITIONS))
    assert got.valid_events == len(valid) == len(messages)
    assert got.facts == {pid: fact_cells(f) for pid, f in facts.items()}
    assert set(got.alerts) == set(views)
    assert {k: v[0] for k, v in got.alerts.items()} == {k: v.state.value for k, v in views.items()}
    assert len(got.facts) == 40
    assert len(got.alerts) > 40


def _want() -> Expected:
    row = tuple(range(len(FACT_COLUMNS)))
    return Expected(
        facts={"p1": row, "p2": row},
        alerts={
            "p1:A01": ("DUE", 1, 2, 3),
            "p1:A02": ("RESOLVED", 1, None, 5),
        },
    )


def test_equal_tables_compare_equal() -> None:
    want = _want()
    diff = compare(want, dict(want.facts), dict(want.alerts))
    assert diff.none
    assert diff.pathways == diff.alert_keys == []


def test_a_different_column_a_missing_fact_and_an_extra_fact_are_counted() -> None:
    want = _want()
    changed = list(want.facts["p1"])
    changed[FACT_COLUMNS.index("conversations_held")] = -1
    got = {"p1": tuple(changed), "p3": want.facts["p2"]}
    diff = compare(want, got, dict(want.alerts))
    assert diff.pathways == ["p1", "p2", "p3"]
    assert diff.columns == {"conversations_held": 1, "(missing)": 1, "(unexpected)": 1}
    assert not diff.none
    assert any("conversations_held" in e for e in diff.examples)


def test_open_alerts_must_match_exactly_and_resolved_ones_must_be_there() -> None:
    want = _want()
    extra_resolved = {**want.alerts, "p2:A01": ("RESOLVED", 1, None, 9)}
    assert compare(want, dict(want.facts), extra_resolved).none  # extra retraction: tolerated
    extra_open = {**want.alerts, "p2:A01": ("WARNING", 1, 2, 1)}
    assert compare(want, dict(want.facts), extra_open).alert_keys == ["p2:A01"]
    moved = {**want.alerts, "p1:A01": ("OVERDUE", 1, 2, 4)}
    assert compare(want, dict(want.facts), moved).alert_keys == ["p1:A01"]
    lost = {"p1:A01": want.alerts["p1:A01"]}
    assert compare(want, dict(want.facts), lost).alert_keys == ["p1:A02"]
