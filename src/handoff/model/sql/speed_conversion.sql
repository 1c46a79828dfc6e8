-- speed_conversion: meeting and SQL conversion per speed bucket (wall-clock response time).
WITH scoped AS (
    SELECT *
    FROM handoff_scope($date_from, $date_to, $sources, $tiers, $teams, $owners, $segments)
)

SELECT
    speed_bucket,
    count(*) AS handoffs,
    count(*) FILTER (WHERE meeting_in_window) AS meetings_in_window,
    count(meeting_in_window) AS meeting_decided,
    count(*) FILTER (WHERE is_sql) AS sqls,
    count(*) FILTER (WHERE is_won) AS won,
    avg(won_amount) AS avg_won_amount,
    count(*) FILTER (WHERE meeting_in_window) / nullif(count(meeting_in_window), 0) AS meeting_rate,
    count(*) FILTER (WHERE is_sql) / count(*) AS sql_rate
FROM scoped
GROUP BY speed_bucket
