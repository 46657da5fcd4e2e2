"""`pathwatch migrate --cluster NAME --print`: every table replicated and distributed."""

from __future__ import annotations

from click.testing import CliRunner

from pathwatch import PROJECT_ROOT
from pathwatch import migrate as mig
from pathwatch.cli import cli
from pathwatch.cluster import cluster_statements
from schemas import tables

MIGRATIONS = PROJECT_ROOT / "deploy" / "clickhouse" / "migrations"


def test_each_table_is_replicated_and_distributed_by_its_sorting_key() -> None:
    ddl = cluster_statements(mig.load(MIGRATIONS), "pw", "c1")
    assert ddl[0] == "CREATE DATABASE IF NOT EXISTS pw ON CLUSTER c1"
    assert all(" ON CLUSTER c1" in s for s in ddl)
    for table in tables.TABLES:
        local = [s for s in ddl if s.startswith(f"CREATE TABLE IF NOT EXISTS pw.{table}_local ")]
        dist = [s for s in ddl if s.startswith(f"CREATE TABLE IF NOT EXISTS pw.{table} ON")]
        assert len(local) == 1, table
        assert "ENGINE = ReplicatedReplacingMergeTree(" in local[0]
        assert f"'/clickhouse/tables/{{shard}}/pw/{table}_local', '{{replica}}'" in local[0]
        assert len(dist) == 1, table
        assert f"ENGINE = Distributed(c1, pw, {table}_local, cityHash64(" in dist[0]
    facts = next(s for s in ddl if "pathway_facts_local ON CLUSTER c1\n(" in s)
    assert "'{replica}', version)" in facts  # the version column survives
    assert any("cityHash64(pathway_id)" in s for s in ddl)
    views = [s for s in ddl if s.startswith("CREATE VIEW")]
    assert len(views) == len(tables.VIEWS)
    alters = [s for s in ddl if s.startswith("ALTER TABLE")]
    assert {a.split()[2] for a in alters} == {"pw.pathway_facts_local", "pw.pathway_facts"}


def test_cli_prints_cluster_ddl_without_connecting() -> None:
    result = CliRunner().invoke(cli, ["migrate", "--cluster", "c1", "--print", "--database", "x"])
    assert result.exit_code == 0, result.output
    assert "ENGINE = Distributed(c1, x, raw_events_local" in result.output
    bad = CliRunner().invoke(cli, ["migrate", "--cluster", "c1"])
    assert bad.exit_code != 0
