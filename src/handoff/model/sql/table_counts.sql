-- table_counts: one row per canonical table with its rows, plus one for the handoffs the
-- model computed.
SELECT 'reps' AS "table", count(*) AS "rows" FROM reps
UNION ALL SELECT 'leads', count(*) FROM leads
UNION ALL SELECT 'activities', count(*) FROM activities
UNION ALL SELECT 'meetings', count(*) FROM meetings
UNION ALL SELECT 'opportunities', count(*) FROM opportunities
UNION ALL SELECT 'handoffs (computed)', count(*) FROM lead_handoff
