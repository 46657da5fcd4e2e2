-- Sink tables (issue 5). Names are declared once in schemas/tables.py.
-- Portable: ClickHouse 18.16 and current ClickHouse (no LowCardinality, DateTime64, TTL, Bool).
-- Booleans are UInt8 (Nullable(UInt8) where the fact says "not known yet"). Timestamps are
-- DateTime, stored as Unix seconds (UTC); dates are Copenhagen calendar dates.

-- pathway_facts: every PathwayFact field (schemas/facts.py). entry_at replaces contact_at.
-- Not partitioned: a fact's entry month can move when an earlier contact arrives late, and
-- ReplacingMergeTree only collapses versions inside one partition.
ALTER TABLE {db}.pathway_facts
    ADD COLUMN region_code String DEFAULT '' AFTER municipality_code,
    ADD COLUMN programme_id String DEFAULT 'NONE' AFTER job_centre_id,
    ADD COLUMN trial_arm String DEFAULT '' AFTER programme_id,
    ADD COLUMN readiness String DEFAULT '' AFTER trial_arm,
    ADD COLUMN match_group String DEFAULT '' AFTER readiness,
    ADD COLUMN age_band String DEFAULT '' AFTER match_group,
    ADD COLUMN entry_at Nullable(DateTime) AFTER age_band,
    ADD COLUMN entry_week Nullable(Date) AFTER entry_at,
    ADD COLUMN entry_month Nullable(Date) AFTER entry_week,
    ADD COLUMN trial_entry_at Nullable(DateTime) AFTER entry_month,
    ADD COLUMN days_to_visitation Nullable(Int32) AFTER visitation_at,
    ADD COLUMN visited_within_7_days Nullable(UInt8) AFTER days_to_visitation,
    ADD COLUMN first_offer_at Nullable(DateTime) AFTER visited_within_7_days,
    ADD COLUMN days_visitation_to_first_offer Nullable(Int32) AFTER first_offer_at,
    ADD COLUMN days_visitation_to_first_company_placement Nullable(Int32)
        AFTER days_to_first_company_placement,
    ADD COLUMN ever_company_oriented UInt8 DEFAULT 0
        AFTER days_visitation_to_first_company_placement,
    ADD COLUMN internship_days Int32 DEFAULT 0 AFTER ever_company_oriented,
    ADD COLUMN conversation_weeks Array(Int32) AFTER internship_days,
    ADD COLUMN conversations_held UInt32 DEFAULT 0 AFTER conversation_weeks,
    ADD COLUMN conversations_scheduled UInt32 DEFAULT 0 AFTER conversations_held,
    ADD COLUMN no_shows UInt32 DEFAULT 0 AFTER conversations_scheduled,
    ADD COLUMN benefit_ended_at Nullable(DateTime) AFTER no_shows,
    ADD COLUMN pre_course_ended_at Nullable(DateTime) AFTER benefit_ended_at,
    ADD COLUMN pre_course_to_placement_7d Nullable(UInt8) AFTER pre_course_ended_at,
    ADD COLUMN stage_reached String DEFAULT 'CONTACTED' AFTER pre_course_to_placement_7d,
    ADD COLUMN stages_reached Array(String) AFTER stage_reached,
    ADD COLUMN lost_at_stage String DEFAULT '' AFTER stages_reached,
    ADD COLUMN current_state String DEFAULT 'CONTACTED' AFTER lost_at_stage,
    ADD COLUMN company_offers_started UInt32 DEFAULT 0 AFTER current_state,
    ADD COLUMN company_offers_ended UInt32 DEFAULT 0 AFTER company_offers_started,
    ADD COLUMN company_placement_weeks Float64 DEFAULT 0 AFTER company_offers_ended,
    ADD COLUMN company_offers_over_13_weeks UInt32 DEFAULT 0 AFTER company_placement_weeks,
    ADD COLUMN offer_extensions UInt32 DEFAULT 0 AFTER company_offers_over_13_weeks,
    ADD COLUMN interrupted_placements UInt32 DEFAULT 0 AFTER offer_extensions,
    ADD COLUMN hours_initial Nullable(Float64) AFTER interrupted_placements,
    ADD COLUMN hours_latest Nullable(Float64) AFTER hours_initial,
    ADD COLUMN hours_max Nullable(Float64) AFTER hours_latest,
    ADD COLUMN hours_target Nullable(Float64) AFTER hours_max,
    ADD COLUMN hours_weeks Array(Int32) AFTER hours_target,
    ADD COLUMN hours_values Array(Float64) AFTER hours_weeks,
    ADD COLUMN company_placements_with_mentor UInt32 DEFAULT 0 AFTER hours_values,
    ADD COLUMN company_placements_goals_agreed_7d UInt32 DEFAULT 0
        AFTER company_placements_with_mentor,
    ADD COLUMN parallel_efforts UInt32 DEFAULT 0 AFTER company_placements_goals_agreed_7d,
    ADD COLUMN parallel_overlaps_offer UInt8 DEFAULT 0 AFTER parallel_efforts,
    ADD COLUMN outcome String DEFAULT '' AFTER parallel_overlaps_offer,
    ADD COLUMN exit_at Nullable(DateTime) AFTER outcome,
    ADD COLUMN last_event_at Nullable(DateTime) AFTER exit_at;

-- Rows written before this migration get entry_at when their pathway's next version is written,
-- or all at once by replaying the compacted facts topic (docs/clickhouse.md, "Backfill").
ALTER TABLE {db}.pathway_facts DROP COLUMN contact_at;

-- raw_events: the pseudonymised audit log of every valid event (what the worker accepted at
-- the edge: CPR-checked, pseudonymous ids only). A replayed event_id collapses into one row.
-- Partitioned by month of occurred_at (fixed per event_id), so retention drops whole months.
CREATE TABLE IF NOT EXISTS {db}.raw_events
(
    event_id String,
    event_type String,
    schema_version UInt16,
    occurred_at DateTime,
    recorded_at DateTime,
    ingested_at Nullable(DateTime),
    source_system String,
    producer_id String,
    citizen_id String,
    pathway_id String,
    municipality_code String,
    job_centre_id String,
    actor_role String,
    programme_id String,
    trial_arm String,
    sensitivity String,
    supersedes_event_id String,
    -- The validated event as JSON (pydantic), never the producer's raw bytes.
    body String,
    kafka_partition Int32,
    kafka_offset Int64,
    written_at DateTime
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(occurred_at)
ORDER BY (pathway_id, event_id);

-- alerts: every transition of every alert (schemas/alerts.py, domain.md §5.2). One row per
-- (alert_key, version); a replayed transition collapses. Current state = argMax(..., version).
CREATE TABLE IF NOT EXISTS {db}.alerts
(
    alert_key String,
    rule_id String,
    rule_name String,
    rules_version UInt32,
    state String,
    severity String,
    pathway_id String,
    citizen_id String,
    municipality_code String,
    region_code String,
    job_centre_id String,
    since DateTime,
    deadline Nullable(DateTime),
    state_since DateTime,
    version UInt64,
    written_at DateTime
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(state_since)
ORDER BY (alert_key, version);

-- dead_letters: why a message was rejected and where it sits in Kafka. `payload` is what
-- schemas/deadletter.py let through (NULL when it may hold a CPR number); the sink checks it and
-- `detail` for CPR-like values again before writing. Dedup by the source coordinates.
-- dead_lettered_at is the Kafka timestamp of the dead-letter record (stable under replay).
CREATE TABLE IF NOT EXISTS {db}.dead_letters
(
    reason String,
    detail String,
    source_topic String,
    source_partition Int32,
    source_offset Int64,
    payload Nullable(String),
    dead_lettered_at DateTime,
    written_at DateTime
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(dead_lettered_at)
ORDER BY (source_topic, source_partition, source_offset);

-- progress: every completeness watermark the worker published (schemas/progress.py), per
-- events-topic partition and overall (partition = -1). emitted_us orders reports exactly.
CREATE TABLE IF NOT EXISTS {db}.progress
(
    partition Int32,
    watermark DateTime,
    max_event_time DateTime,
    events_seen UInt64,
    events_applied UInt64,
    duplicates UInt64,
    dead_letters UInt64,
    emitted_at DateTime,
    emitted_us UInt64,
    written_at DateTime
)
ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMM(emitted_at)
ORDER BY (partition, emitted_us);
