"""`pathwatch export` on the real server; PM4Py reads every format and agrees on case durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import orjson
import pandas as pd
import pm4py
import pytest

from consumers.clickhouse import ClickHouseWriter, connect
from consumers.rows import FACT_COLUMNS, RAW_COLUMNS, fact_row, raw_row
from schemas import tables
from schemas.decode import Coordinates, decode
from schemas.envelope import Envelope
from schemas.facts import PathwayFact
from tests.e2e.conftest import Pipeline
from tests.factories import T0, contact, offer, visitation

pytestmark = pytest.mark.e2e
NOW = datetime(2024, 6, 1, tzinfo=UTC)


def load(pipe: Pipeline) -> dict[str, float]:
    """Ten pathways, R1 for even ones; returns the expected R1 case durations in seconds."""
    client = connect(pipe.settings)
    raws, facts, expected = [], [], {}
    for i in range(10):
        pid = f"pw_{i:06d}"
        region = "R1" if i % 2 == 0 else "R2"
        payloads = [
            contact(T0 + timedelta(hours=i), pathway_id=pid),
            visitation(T0 + timedelta(days=2, hours=i), pathway_id=pid),
            offer(
                T0 + timedelta(days=5 + i),
                pathway_id=pid,
                offer_id=f"of_{i}",
                company_id=f"co_{i % 3:06d}",
            ),
        ]
        for n, p in enumerate(payloads):
            ev = decode(orjson.dumps(p), Coordinates("t", 0, 3 * i + n), NOW)
            assert isinstance(ev, Envelope)
            raws.append(raw_row(ev, 0, 3 * i + n, NOW))
        facts.append(
            fact_row(
                PathwayFact(
                    pathway_id=pid,
                    citizen_id=f"cz_{i:06d}",
                    municipality_code="153",
                    region_code=region,
                    job_centre_id="jc_153",
                    entry_month=T0.date().replace(day=1),
                    events_applied=3,
                    version=3,
                ),
                NOW,
            )
        )
        if region == "R1":
            expected[pid] = (timedelta(days=5 + i) - timedelta(hours=i)).total_seconds()
    db = pipe.settings.clickhouse.database
    ClickHouseWriter(client, f"{db}.{tables.RAW_EVENTS}", RAW_COLUMNS).write(raws * 2)
    ClickHouseWriter(client, f"{db}.{tables.PATHWAY_FACTS}", FACT_COLUMNS).write(facts)
    return expected


def test_export_formats_load_in_pm4py(pipeline: Pipeline, tmp_path: Path) -> None:
    pipe = pipeline
    pipe.cli("migrate")
    expected = load(pipe)

    xes = tmp_path / "r1.xes"
    pipe.cli("export", "--format", "xes", "--region", "R1", "--out", str(xes))
    log = pm4py.read_xes(str(xes))
    durations = dict(
        zip(
            log["case:concept:name"].unique(),
            pm4py.get_all_case_durations(log),
            strict=True,
        )
    )
    assert durations == pytest.approx(expected)
    assert set(log["lifecycle:transition"]) == {"start", "complete"}
    assert len(log) == 15  # 5 pathways x 3 events; the replayed rows collapsed

    csv_path = tmp_path / "r1.csv"
    pipe.cli(
        "export", "--format", "csv", "--cohort", "2024-03", "--region", "R1", "--out", str(csv_path)
    )
    df = pd.read_csv(csv_path)
    df["time:timestamp"] = pd.to_datetime(df["time:timestamp"], utc=True)
    by_case = df.groupby("case:concept:name")["time:timestamp"]
    ours = ((by_case.max() - by_case.min()).dt.total_seconds()).to_dict()
    assert ours == pytest.approx(expected)

    ocel_path = tmp_path / "r1.jsonocel"
    pipe.cli("export", "--format", "ocel", "--region", "R1", "--out", str(ocel_path))
    ocel = pm4py.read_ocel2_json(str(ocel_path))
    types = set(ocel.objects["ocel:type"])
    assert types == {"pathway", "offer", "company"}
    assert len(ocel.events) == 15
    offers = ocel.relations[ocel.relations["ocel:type"] == "offer"]
    assert len(offers) == 5

    empty = pipe.cli("export", "--format", "csv", "--cohort", "1999-01")
    assert empty.stdout.strip().splitlines() == [
        ",".join(
            (
                "case:concept:name",
                "concept:name",
                "time:timestamp",
                "lifecycle:transition",
                "org:role",
                "event_id",
                "municipality_code",
                "job_centre_id",
            )
        )
    ]


def test_retention_drops_only_old_months(pipeline: Pipeline) -> None:
    pipe = pipeline
    pipe.cli("migrate")
    client = connect(pipe.settings)
    db = pipe.settings.clickhouse.database
    old = datetime(2020, 1, 15, tzinfo=UTC)
    rows = []
    for n, at in enumerate((old, old, T0)):
        ev = decode(
            orjson.dumps(contact(at, pathway_id=f"pw_{n:06d}")), Coordinates("t", 0, n), NOW
        )
        assert isinstance(ev, Envelope)
        rows.append(raw_row(ev, 0, n, NOW))
    ClickHouseWriter(client, f"{db}.{tables.RAW_EVENTS}", RAW_COLUMNS).write(rows)

    # 2020-01 is more than three years old on any clock that can run this test; 2024-03 is not
    # (the machine's clock is after 2024).
    days = (datetime.now(UTC) - datetime(2023, 6, 1, tzinfo=UTC)).days
    dry = pipe.cli("retention", "--older-than", str(days), "--dry-run")
    assert f"would drop {db}.raw_events partition 202001" in dry.stdout
    assert "202403" not in dry.stdout
    pipe.cli("retention", "--older-than", str(days))
    left = client.execute(
        f"SELECT toYYYYMM(occurred_at) AS m, count() FROM {db}.raw_events GROUP BY m"
    )
    assert [(int(m), int(c)) for m, c in left] == [(202403, 1)]
