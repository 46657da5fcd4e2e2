-- Pathway facts, latest version wins (ReplacingMergeTree collapses at merge time only:
-- exact reads use FINAL or argMax). Portable: ClickHouse 18.16 and current ClickHouse.
CREATE TABLE IF NOT EXISTS {db}.pathway_facts
(
    pathway_id String,
    citizen_id String,
    municipality_code String,
    job_centre_id String,
    contact_at Nullable(DateTime),
    visitation_at Nullable(DateTime),
    first_company_placement_at Nullable(DateTime),
    -- M04: calendar days (Europe/Copenhagen) from first contact to first company placement
    days_to_first_company_placement Nullable(Int32),
    events_applied UInt32,
    version UInt64,
    written_at DateTime
)
ENGINE = ReplacingMergeTree(version)
ORDER BY pathway_id;
