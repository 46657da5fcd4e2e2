"""The migrations rewritten for a ClickHouse cluster: Replicated*MergeTree + Distributed.

`pathwatch migrate --cluster NAME --print` prints this DDL for an operator to review and apply
(docs/operations.md). Each table `T` becomes a replicated `T_local` on every node plus a
Distributed `T` over the cluster, sharded by a hash of the table's full sorting key: rows that
ReplacingMergeTree must collapse (same key) always land on the same shard, so FINAL and argMax
in the views stay exact when they run shard by shard. Views read the Distributed tables.
"""

from __future__ import annotations

import re

from pathwatch.migrate import Migration

CREATE_TABLE = re.compile(
    r"^CREATE TABLE IF NOT EXISTS (?P<db>\w+)\.(?P<table>\w+)\s*(?P<columns>\(.*\))\s*"
    r"ENGINE = (?P<engine>\w*MergeTree)\((?P<args>[^)]*)\)(?P<rest>.*)$",
    re.S,
)
ORDER_BY = re.compile(r"ORDER BY (?P<key>\([^)]*\)|\w+)")
ALTER_TABLE = re.compile(r"^ALTER TABLE (?P<db>\w+)\.(?P<table>\w+)\s+(?P<rest>.*)$", re.S)
CREATE_VIEW = re.compile(
    r"^CREATE VIEW IF NOT EXISTS (?P<db>\w+)\.(?P<view>\w+) AS(?P<rest>.*)$", re.S
)


def cluster_statements(migrations: list[Migration], database: str, cluster: str) -> list[str]:
    """Every migration statement for `cluster`, in order."""
    out = [f"CREATE DATABASE IF NOT EXISTS {database} ON CLUSTER {cluster}"]
    for mig in migrations:
        for statement in mig.statements(database):
            out.extend(_rewrite(statement, cluster))
    return out


def _rewrite(statement: str, cluster: str) -> list[str]:
    if m := CREATE_TABLE.match(statement):
        db, table = m["db"], m["table"]
        args = m["args"].strip()
        path = f"'/clickhouse/tables/{{shard}}/{db}/{table}_local', '{{replica}}'"
        engine = f"Replicated{m['engine']}({path}{', ' + args if args else ''})"
        key = ORDER_BY.search(m["rest"])
        if key is None:
            raise ValueError(f"{db}.{table}: no ORDER BY to shard by")
        sharding = (
            f"cityHash64{key['key']}"
            if key["key"].startswith("(")
            else (f"cityHash64({key['key']})")
        )
        return [
            f"CREATE TABLE IF NOT EXISTS {db}.{table}_local ON CLUSTER {cluster}\n"
            f"{m['columns']}\nENGINE = {engine}{m['rest']}",
            f"CREATE TABLE IF NOT EXISTS {db}.{table} ON CLUSTER {cluster} AS {db}.{table}_local\n"
            f"ENGINE = Distributed({cluster}, {db}, {table}_local, {sharding})",
        ]
    if m := ALTER_TABLE.match(statement):
        db, table, rest = m["db"], m["table"], m["rest"]
        # The Distributed table must carry the same columns as its local tables.
        return [
            f"ALTER TABLE {db}.{table}_local ON CLUSTER {cluster}\n    {rest}",
            f"ALTER TABLE {db}.{table} ON CLUSTER {cluster}\n    {rest}",
        ]
    if m := CREATE_VIEW.match(statement):
        return [
            f"CREATE VIEW IF NOT EXISTS {m['db']}.{m['view']} ON CLUSTER {cluster} AS{m['rest']}"
        ]
    raise ValueError(f"no cluster form for statement: {statement[:80]}")
