-- clock_points: the instants whose business time the handoff clock needs before any touch
-- is known: each lead's mql_at and assigned_at, and as_of once per calendar.
SELECT lead_id, 'mql' AS point, calendar_id, epoch_us(mql_at) AS t_us
FROM handoffs

UNION ALL

SELECT lead_id, 'assigned' AS point, calendar_id, epoch_us(assigned_at) AS t_us
FROM handoffs
WHERE assigned_at IS NOT NULL

UNION ALL

SELECT DISTINCT NULL AS lead_id, 'as_of' AS point, calendar_id, epoch_us($as_of) AS t_us
FROM handoffs
