"""The dashboard benchmark's generated facts and panel SQL run on current ClickHouse (chDB);
`make bench` runs them on the 18.16 server."""

from __future__ import annotations

from bench import dashboard
from schemas.reference import municipalities
from tests.chdb_engine import migrated


def test_generated_facts_collapse_to_one_row_per_pathway_and_fill_every_panel() -> None:
    db = "bench_dash"
    with migrated(db) as engine:
        inserted = dashboard.load(engine.execute, db, pathways=2000, batch=700)
        assert inserted == 2200  # a tenth of the pathways carry an older version too
        rows, unique = engine.execute(
            f"SELECT count(), uniqExact(pathway_id) FROM {db}.pathway_facts"
        )[0]
        assert (int(rows), int(unique)) == (2200, 2000)
        # The read views count each pathway once, at its latest version.
        assert (
            int(engine.execute(f"SELECT sum(pathways) FROM {db}.facts_by_region_month")[0][0])
            == 2000
        )
        regions = {
            r[0] for r in engine.execute(f"SELECT DISTINCT region_code FROM {db}.pathway_facts")
        }
        assert "" not in regions
        assert len(regions) >= 4
        munis = {
            r[0]
            for r in engine.execute(f"SELECT DISTINCT municipality_code FROM {db}.pathway_facts")
        }
        assert munis <= set(municipalities())
        region, muni = engine.execute(
            f"SELECT any(region_code), any(municipality_code) FROM {db}.alerts"
        )[0]
        for name, sql in dashboard.queries(db, region, muni).items():
            assert engine.execute(sql), f"panel query returned nothing: {name}"


def test_columns_are_read_from_the_generated_select() -> None:
    sql = "SELECT\n  a + 1 AS first,\n  if(x,\n     y) AS second,\n  z\n    AS third\nFROM t"
    assert dashboard._columns(sql) == "first, second, third"
