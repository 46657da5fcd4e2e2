-- Overall completeness (issue 4): the least complete partition, from the latest watermark of
-- every events partition (partition >= 0). Correct also when several workers each publish only
-- the partitions they own (a worker publishes partition -1 only while it owns all of them).
CREATE VIEW IF NOT EXISTS {db}.watermark_overall AS
SELECT
    min(complete_up_to) AS complete_up_to,
    max(max_event_time_seen) AS max_event_time_seen,
    count() AS partitions_reporting
FROM {db}.watermark_latest
WHERE partition >= 0;
