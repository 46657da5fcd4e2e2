-- Read models the dashboards query (issue 5). Names are declared in schemas/tables.py;
-- docs/clickhouse.md says which question each answers.
-- Facts are read with FINAL so each pathway counts once, at its latest version; alerts and
-- watermarks take argMax(..., version) per key. Medians use quantileExact (deterministic).
-- Metric ids (M01 ...) are domain.md §6.1. Output names never repeat a column name inside an
-- aggregate (ClickHouse resolves aliases before columns). Nullable flags go through ifNull:
-- on 18.16 countIf over a Nullable condition returns NULL when every value is NULL.

-- Cohorts of pathways by region and entry_week.
CREATE VIEW IF NOT EXISTS {db}.facts_by_region_week AS
SELECT
    region_code,
    entry_week,
    count() AS pathways,
    countIf(visitation_at IS NOT NULL) AS visited,
    countIf(ifNull(visited_within_7_days, 0) = 1) AS visited_in_7d,
    quantileExact(0.5)(days_to_visitation) AS median_days_to_visitation,
    countIf(first_offer_at IS NOT NULL) AS offered,
    quantileExact(0.5)(days_visitation_to_first_offer) AS median_days_visitation_to_offer,
    countIf(first_company_placement_at IS NOT NULL) AS placed,
    quantileExact(0.5)(days_to_first_company_placement) AS median_days_to_placement,
    avg(days_to_first_company_placement) AS mean_days_to_placement,
    quantileExact(0.5)(days_visitation_to_first_company_placement)
        AS median_days_visitation_to_placement,
    countIf(ever_company_oriented = 1) AS company_oriented,
    sum(internship_days) AS internship_days_total,
    sum(conversations_held) AS conversations_held_total,
    sum(no_shows) AS no_shows_total,
    countIf(pre_course_ended_at IS NOT NULL) AS pre_courses_ended,
    countIf(ifNull(pre_course_to_placement_7d, 0) = 1) AS pre_course_placed_in_7d,
    sum(company_offers_started) AS company_offers_started_total,
    sum(company_offers_ended) AS company_offers_ended_total,
    sum(company_placement_weeks) AS company_placement_weeks_total,
    sum(company_offers_over_13_weeks) AS company_offers_over_13_weeks_total,
    sum(interrupted_placements) AS interrupted_placements_total,
    sum(company_placements_with_mentor) AS placements_with_mentor_total,
    sum(company_placements_goals_agreed_7d) AS placements_goals_agreed_7d_total,
    countIf(exit_at IS NOT NULL) AS exited,
    countIf(outcome IN ('SELF_SUFFICIENT_JOB', 'SELF_SUFFICIENT_EDUCATION'))
        AS exited_self_sufficient,
    countIf(exit_at IS NULL) AS still_open
FROM {db}.pathway_facts FINAL
WHERE entry_week IS NOT NULL
GROUP BY region_code, entry_week;

-- Cohorts of pathways by region and entry_month.
CREATE VIEW IF NOT EXISTS {db}.facts_by_region_month AS
SELECT
    region_code,
    entry_month,
    count() AS pathways,
    countIf(visitation_at IS NOT NULL) AS visited,
    countIf(ifNull(visited_within_7_days, 0) = 1) AS visited_in_7d,
    quantileExact(0.5)(days_to_visitation) AS median_days_to_visitation,
    countIf(first_offer_at IS NOT NULL) AS offered,
    quantileExact(0.5)(days_visitation_to_first_offer) AS median_days_visitation_to_offer,
    countIf(first_company_placement_at IS NOT NULL) AS placed,
    quantileExact(0.5)(days_to_first_company_placement) AS median_days_to_placement,
    avg(days_to_first_company_placement) AS mean_days_to_placement,
    quantileExact(0.5)(days_visitation_to_first_company_placement)
        AS median_days_visitation_to_placement,
    countIf(ever_company_oriented = 1) AS company_oriented,
    sum(internship_days) AS internship_days_total,
    sum(conversations_held) AS conversations_held_total,
    sum(no_shows) AS no_shows_total,
    countIf(pre_course_ended_at IS NOT NULL) AS pre_courses_ended,
    countIf(ifNull(pre_course_to_placement_7d, 0) = 1) AS pre_course_placed_in_7d,
    sum(company_offers_started) AS company_offers_started_total,
    sum(company_offers_ended) AS company_offers_ended_total,
    sum(company_placement_weeks) AS company_placement_weeks_total,
    sum(company_offers_over_13_weeks) AS company_offers_over_13_weeks_total,
    sum(interrupted_placements) AS interrupted_placements_total,
    sum(company_placements_with_mentor) AS placements_with_mentor_total,
    sum(company_placements_goals_agreed_7d) AS placements_goals_agreed_7d_total,
    countIf(exit_at IS NOT NULL) AS exited,
    countIf(outcome IN ('SELF_SUFFICIENT_JOB', 'SELF_SUFFICIENT_EDUCATION'))
        AS exited_self_sufficient,
    countIf(exit_at IS NULL) AS still_open
FROM {db}.pathway_facts FINAL
WHERE entry_month IS NOT NULL
GROUP BY region_code, entry_month;

-- Cohorts of pathways by municipality and entry_week.
CREATE VIEW IF NOT EXISTS {db}.facts_by_municipality_week AS
SELECT
    region_code, municipality_code,
    entry_week,
    count() AS pathways,
    countIf(visitation_at IS NOT NULL) AS visited,
    countIf(ifNull(visited_within_7_days, 0) = 1) AS visited_in_7d,
    quantileExact(0.5)(days_to_visitation) AS median_days_to_visitation,
    countIf(first_offer_at IS NOT NULL) AS offered,
    quantileExact(0.5)(days_visitation_to_first_offer) AS median_days_visitation_to_offer,
    countIf(first_company_placement_at IS NOT NULL) AS placed,
    quantileExact(0.5)(days_to_first_company_placement) AS median_days_to_placement,
    avg(days_to_first_company_placement) AS mean_days_to_placement,
    quantileExact(0.5)(days_visitation_to_first_company_placement)
        AS median_days_visitation_to_placement,
    countIf(ever_company_oriented = 1) AS company_oriented,
    sum(internship_days) AS internship_days_total,
    sum(conversations_held) AS conversations_held_total,
    sum(no_shows) AS no_shows_total,
    countIf(pre_course_ended_at IS NOT NULL) AS pre_courses_ended,
    countIf(ifNull(pre_course_to_placement_7d, 0) = 1) AS pre_course_placed_in_7d,
    sum(company_offers_started) AS company_offers_started_total,
    sum(company_offers_ended) AS company_offers_ended_total,
    sum(company_placement_weeks) AS company_placement_weeks_total,
    sum(company_offers_over_13_weeks) AS company_offers_over_13_weeks_total,
    sum(interrupted_placements) AS interrupted_placements_total,
    sum(company_placements_with_mentor) AS placements_with_mentor_total,
    sum(company_placements_goals_agreed_7d) AS placements_goals_agreed_7d_total,
    countIf(exit_at IS NOT NULL) AS exited,
    countIf(outcome IN ('SELF_SUFFICIENT_JOB', 'SELF_SUFFICIENT_EDUCATION'))
        AS exited_self_sufficient,
    countIf(exit_at IS NULL) AS still_open
FROM {db}.pathway_facts FINAL
WHERE entry_week IS NOT NULL
GROUP BY region_code, municipality_code, entry_week;

-- Cohorts of pathways by municipality and entry_month.
CREATE VIEW IF NOT EXISTS {db}.facts_by_municipality_month AS
SELECT
    region_code, municipality_code,
    entry_month,
    count() AS pathways,
    countIf(visitation_at IS NOT NULL) AS visited,
    countIf(ifNull(visited_within_7_days, 0) = 1) AS visited_in_7d,
    quantileExact(0.5)(days_to_visitation) AS median_days_to_visitation,
    countIf(first_offer_at IS NOT NULL) AS offered,
    quantileExact(0.5)(days_visitation_to_first_offer) AS median_days_visitation_to_offer,
    countIf(first_company_placement_at IS NOT NULL) AS placed,
    quantileExact(0.5)(days_to_first_company_placement) AS median_days_to_placement,
    avg(days_to_first_company_placement) AS mean_days_to_placement,
    quantileExact(0.5)(days_visitation_to_first_company_placement)
        AS median_days_visitation_to_placement,
    countIf(ever_company_oriented = 1) AS company_oriented,
    sum(internship_days) AS internship_days_total,
    sum(conversations_held) AS conversations_held_total,
    sum(no_shows) AS no_shows_total,
    countIf(pre_course_ended_at IS NOT NULL) AS pre_courses_ended,
    countIf(ifNull(pre_course_to_placement_7d, 0) = 1) AS pre_course_placed_in_7d,
    sum(company_offers_started) AS company_offers_started_total,
    sum(company_offers_ended) AS company_offers_ended_total,
    sum(company_placement_weeks) AS company_placement_weeks_total,
    sum(company_offers_over_13_weeks) AS company_offers_over_13_weeks_total,
    sum(interrupted_placements) AS interrupted_placements_total,
    sum(company_placements_with_mentor) AS placements_with_mentor_total,
    sum(company_placements_goals_agreed_7d) AS placements_goals_agreed_7d_total,
    countIf(exit_at IS NOT NULL) AS exited,
    countIf(outcome IN ('SELF_SUFFICIENT_JOB', 'SELF_SUFFICIENT_EDUCATION'))
        AS exited_self_sufficient,
    countIf(exit_at IS NULL) AS still_open
FROM {db}.pathway_facts FINAL
WHERE entry_month IS NOT NULL
GROUP BY region_code, municipality_code, entry_month;

-- Cohorts of pathways by job centre and entry_week.
CREATE VIEW IF NOT EXISTS {db}.facts_by_job_centre_week AS
SELECT
    region_code, municipality_code, job_centre_id,
    entry_week,
    count() AS pathways,
    countIf(visitation_at IS NOT NULL) AS visited,
    countIf(ifNull(visited_within_7_days, 0) = 1) AS visited_in_7d,
    quantileExact(0.5)(days_to_visitation) AS median_days_to_visitation,
    countIf(first_offer_at IS NOT NULL) AS offered,
    quantileExact(0.5)(days_visitation_to_first_offer) AS median_days_visitation_to_offer,
    countIf(first_company_placement_at IS NOT NULL) AS placed,
    quantileExact(0.5)(days_to_first_company_placement) AS median_days_to_placement,
    avg(days_to_first_company_placement) AS mean_days_to_placement,
    quantileExact(0.5)(days_visitation_to_first_company_placement)
        AS median_days_visitation_to_placement,
    countIf(ever_company_oriented = 1) AS company_oriented,
    sum(internship_days) AS internship_days_total,
    sum(conversations_held) AS conversations_held_total,
    sum(no_shows) AS no_shows_total,
    countIf(pre_course_ended_at IS NOT NULL) AS pre_courses_ended,
    countIf(ifNull(pre_course_to_placement_7d, 0) = 1) AS pre_course_placed_in_7d,
    sum(company_offers_started) AS company_offers_started_total,
    sum(company_offers_ended) AS company_offers_ended_total,
    sum(company_placement_weeks) AS company_placement_weeks_total,
    sum(company_offers_over_13_weeks) AS company_offers_over_13_weeks_total,
    sum(interrupted_placements) AS interrupted_placements_total,
    sum(company_placements_with_mentor) AS placements_with_mentor_total,
    sum(company_placements_goals_agreed_7d) AS placements_goals_agreed_7d_total,
    countIf(exit_at IS NOT NULL) AS exited,
    countIf(outcome IN ('SELF_SUFFICIENT_JOB', 'SELF_SUFFICIENT_EDUCATION'))
        AS exited_self_sufficient,
    countIf(exit_at IS NULL) AS still_open
FROM {db}.pathway_facts FINAL
WHERE entry_week IS NOT NULL
GROUP BY region_code, municipality_code, job_centre_id, entry_week;

-- Cohorts of pathways by job centre and entry_month.
CREATE VIEW IF NOT EXISTS {db}.facts_by_job_centre_month AS
SELECT
    region_code, municipality_code, job_centre_id,
    entry_month,
    count() AS pathways,
    countIf(visitation_at IS NOT NULL) AS visited,
    countIf(ifNull(visited_within_7_days, 0) = 1) AS visited_in_7d,
    quantileExact(0.5)(days_to_visitation) AS median_days_to_visitation,
    countIf(first_offer_at IS NOT NULL) AS offered,
    quantileExact(0.5)(days_visitation_to_first_offer) AS median_days_visitation_to_offer,
    countIf(first_company_placement_at IS NOT NULL) AS placed,
    quantileExact(0.5)(days_to_first_company_placement) AS median_days_to_placement,
    avg(days_to_first_company_placement) AS mean_days_to_placement,
    quantileExact(0.5)(days_visitation_to_first_company_placement)
        AS median_days_visitation_to_placement,
    countIf(ever_company_oriented = 1) AS company_oriented,
    sum(internship_days) AS internship_days_total,
    sum(conversations_held) AS conversations_held_total,
    sum(no_shows) AS no_shows_total,
    countIf(pre_course_ended_at IS NOT NULL) AS pre_courses_ended,
    countIf(ifNull(pre_course_to_placement_7d, 0) = 1) AS pre_course_placed_in_7d,
    sum(company_offers_started) AS company_offers_started_total,
    sum(company_offers_ended) AS company_offers_ended_total,
    sum(company_placement_weeks) AS company_placement_weeks_total,
    sum(company_offers_over_13_weeks) AS company_offers_over_13_weeks_total,
    sum(interrupted_placements) AS interrupted_placements_total,
    sum(company_placements_with_mentor) AS placements_with_mentor_total,
    sum(company_placements_goals_agreed_7d) AS placements_goals_agreed_7d_total,
    countIf(exit_at IS NOT NULL) AS exited,
    countIf(outcome IN ('SELF_SUFFICIENT_JOB', 'SELF_SUFFICIENT_EDUCATION'))
        AS exited_self_sufficient,
    countIf(exit_at IS NULL) AS still_open
FROM {db}.pathway_facts FINAL
WHERE entry_month IS NOT NULL
GROUP BY region_code, municipality_code, job_centre_id, entry_month;

-- Current state of every alert: the highest version per alert_key (all states).
CREATE VIEW IF NOT EXISTS {db}.alerts_current AS
SELECT
    alert_key,
    argMax(rule_id, version) AS rule_id,
    argMax(rule_name, version) AS rule_name,
    argMax(rules_version, version) AS rules_version,
    argMax(state, version) AS current_state,
    argMax(severity, version) AS severity,
    argMax(pathway_id, version) AS pathway_id,
    argMax(citizen_id, version) AS citizen_id,
    argMax(municipality_code, version) AS municipality_code,
    argMax(region_code, version) AS region_code,
    argMax(job_centre_id, version) AS job_centre_id,
    argMax(since, version) AS since,
    argMax(deadline, version) AS deadline,
    argMax(state_since, version) AS state_since,
    max(version) AS current_version
FROM {db}.alerts
GROUP BY alert_key;

-- Alerts that are open now (latest state is not RESOLVED), §5.2.
CREATE VIEW IF NOT EXISTS {db}.alerts_open AS
SELECT *
FROM {db}.alerts_current
WHERE current_state != 'RESOLVED';

-- Open alerts counted by region, municipality, rule and state (dashboard tiles, Prometheus).
CREATE VIEW IF NOT EXISTS {db}.alerts_open_by_region_rule AS
SELECT
    region_code,
    municipality_code,
    rule_id,
    rule_name,
    severity,
    current_state,
    count() AS open_alerts
FROM {db}.alerts_open
GROUP BY region_code, municipality_code, rule_id, rule_name, severity, current_state;

-- The latest completeness watermark per events partition; partition -1 is the overall one.
CREATE VIEW IF NOT EXISTS {db}.watermark_latest AS
SELECT
    partition,
    argMax(watermark, emitted_us) AS complete_up_to,
    argMax(max_event_time, emitted_us) AS max_event_time_seen,
    argMax(events_seen, emitted_us) AS events_seen_total,
    argMax(events_applied, emitted_us) AS events_applied_total,
    argMax(duplicates, emitted_us) AS duplicates_total,
    argMax(dead_letters, emitted_us) AS dead_letters_total,
    max(emitted_at) AS reported_at
FROM {db}.progress
GROUP BY partition;

-- Dead letters per day and reason (data-quality panel); coordinates stay in dead_letters.
CREATE VIEW IF NOT EXISTS {db}.dead_letters_by_day AS
SELECT
    toDate(dead_lettered_at) AS day,
    reason,
    source_topic,
    count() AS dead_letters
FROM {db}.dead_letters FINAL
GROUP BY day, reason, source_topic;
