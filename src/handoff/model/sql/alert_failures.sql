-- alert_failures: one row per failed alert delivery (destination, error kind, alerts left
-- pending for the next run), newest first, at most $limit rows.
SELECT failed_at, destination, error, pending, as_of
FROM alert_failures
ORDER BY failed_at DESC, destination
LIMIT $limit
