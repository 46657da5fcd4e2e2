"""Versioned ClickHouse DDL from deploy/clickhouse/migrations, applied once each, in order."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

MIGRATION_FILE = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class Migration:
    """One DDL file."""

    version: int
    name: str
    sql: str

    @property
    def checksum(self) -> str:
        """Content hash, recorded so an edited, already-applied file is noticed."""
        return hashlib.sha256(self.sql.encode()).hexdigest()[:16]

    def statements(self, database: str) -> list[str]:
        """The file's statements with `{db}` filled in, comments dropped."""
        text = "\n".join(
            line for line in self.sql.splitlines() if not line.strip().startswith("--")
        ).replace("{db}", database)
        return [s.strip() for s in text.split(";") if s.strip()]


def load(directory: Path) -> list[Migration]:
    """All migrations in version order; a gap or duplicate version is an error."""
    found = []
    for path in sorted(directory.glob("*.sql")):
        m = MIGRATION_FILE.match(path.name)
        if m is None:
            raise ValueError(f"migration file name not NNNN_name.sql: {path.name}")
        found.append(Migration(int(m.group(1)), m.group(2), path.read_text()))
    for expected, mig in enumerate(found, start=1):
        if mig.version != expected:
            raise ValueError(f"migration versions must be 1..n without gaps; got {mig.version}")
    return found


Execute = Callable[[str], list[tuple[object, ...]]]


def apply(execute: Execute, database: str, migrations: list[Migration]) -> list[Migration]:
    """Create the database and migrations table; apply what is not yet recorded."""
    if not IDENTIFIER.match(database):
        raise ValueError(f"invalid database name {database!r}")
    execute(f"CREATE DATABASE IF NOT EXISTS {database}")
    execute(
        f"CREATE TABLE IF NOT EXISTS {database}.schema_migrations "
        "(version UInt32, name String, checksum String, applied_at DateTime) "
        "ENGINE = MergeTree ORDER BY version"
    )
    rows = execute(f"SELECT version, checksum FROM {database}.schema_migrations")
    done = {int(str(v)): str(c) for v, c in rows}
    applied = []
    for mig in migrations:
        if mig.version in done:
            if done[mig.version] != mig.checksum:
                logger.warning("migration %04d_%s changed after it was applied", *mig_id(mig))
            continue
        for statement in mig.statements(database):
            execute(statement)
        execute(
            f"INSERT INTO {database}.schema_migrations (version, name, checksum, applied_at) "
            f"SELECT {mig.version}, '{mig.name}', '{mig.checksum}', now()"
        )
        logger.info("applied migration %04d_%s to %s", mig.version, mig.name, database)
        applied.append(mig)
    return applied


def mig_id(mig: Migration) -> tuple[int, str]:
    """(version, name) for log messages."""
    return mig.version, mig.name
