-- Overall completeness (issue 4): the least complete partition, from the latest watermark of
-- every events partition (partition >= 0). Correct also when several workers each publish only
-- the partitions they own (a worker publishes partition -1 only while it owns all of them).
CREATE VIEW IF NOT EXISTS {db}.watermark_overall AS
SELECT
    min(complete_up_to) AS complete_up_to,
    max(max_event_time_seen) AS max_event_time_seen,
    count() AS partitions_reporting
-- A partition that has seen only dead letters reports event time 0 (schemas/progress.py
-- NO_EVENT_TIME): it constrains nothing yet, as in the worker's own overall watermark. (The
-- filter sits in a subquery: outside it the aggregate aliases above would shadow the columns.)
FROM (
    SELECT complete_up_to, max_event_time_seen
    FROM {db}.watermark_latest
    WHERE partition >= 0 AND max_event_time_seen > toDateTime(0)
);
