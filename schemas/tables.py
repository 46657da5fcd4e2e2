"""Every ClickHouse table and view name, declared once (DDL: deploy/clickhouse/migrations).

Sinks write the tables; dashboards and operations read the views. docs/clickhouse.md says which
question each one answers. A test checks that the migrations create exactly these names.
"""

from __future__ import annotations

from typing import Final, Literal

# --- tables the sinks write (0001, 0002) ---
PATHWAY_FACTS: Final = (
    "pathway_facts"  # latest PathwayFact per pathway, ReplacingMergeTree(version)
)
RAW_EVENTS: Final = "raw_events"  # pseudonymised audit log of valid events, dedup by event_id
ALERTS: Final = "alerts"  # every alert transition, dedup by (alert_key, version), §5.2
DEAD_LETTERS: Final = "dead_letters"  # reason + Kafka coordinates, dedup by source coordinates
PROGRESS: Final = "progress"  # completeness watermark reports, per partition and overall
SCHEMA_MIGRATIONS: Final = "schema_migrations"  # written by pathwatch/migrate.py

TABLES: Final = (PATHWAY_FACTS, RAW_EVENTS, ALERTS, DEAD_LETTERS, PROGRESS)

# Tables with monthly partitions that `pathwatch retention` may drop (pathway_facts is not
# partitioned: it is the current state, not history).
PARTITIONED: Final = (RAW_EVENTS, ALERTS, DEAD_LETTERS, PROGRESS)

# --- read views (0003) ---
Level = Literal["region", "municipality", "job_centre"]
Period = Literal["week", "month"]
LEVELS: Final[tuple[Level, ...]] = ("region", "municipality", "job_centre")
PERIODS: Final[tuple[Period, ...]] = ("week", "month")


def facts_view(level: Level, period: Period) -> str:
    """Cohort view of pathway facts by `level` x entry `period`, e.g. facts_by_region_week."""
    return f"facts_by_{level}_{period}"


FACT_VIEWS: Final = tuple(facts_view(lv, p) for lv in LEVELS for p in PERIODS)
ALERTS_CURRENT: Final = "alerts_current"  # latest state of every alert key
ALERTS_OPEN: Final = "alerts_open"  # alerts whose latest state is not RESOLVED
ALERTS_OPEN_BY_REGION_RULE: Final = "alerts_open_by_region_rule"  # counts for tiles and metrics
WATERMARK_LATEST: Final = "watermark_latest"  # latest watermark per partition (-1 = overall)
WATERMARK_OVERALL: Final = "watermark_overall"  # min over partitions' latest watermarks (0004)
DEAD_LETTERS_BY_DAY: Final = "dead_letters_by_day"  # data-quality panel

VIEWS: Final = (
    *FACT_VIEWS,
    ALERTS_CURRENT,
    ALERTS_OPEN,
    ALERTS_OPEN_BY_REGION_RULE,
    WATERMARK_LATEST,
    DEAD_LETTERS_BY_DAY,
    WATERMARK_OVERALL,
)
