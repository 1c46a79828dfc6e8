-- alerts_sent: one row per alert `handoff alert` delivered (per lead, stage and
-- destination), newest first, at most $limit rows.
SELECT sent_at, lead_id, stage, destination, as_of
FROM alerts_sent
ORDER BY sent_at DESC, lead_id, stage, destination
LIMIT $limit
