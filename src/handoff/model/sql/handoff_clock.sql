-- handoff_clock: per handoff, business time at mql_at, assigned_at and as_of, and
-- window_end: the earliest instant at which the meeting window's business minutes have
-- elapsed since mql_at (the inverse lookup on the accumulated business time).
WITH per_lead AS (
    SELECT
        lead_id,
        max(bt_us) FILTER (WHERE point = 'mql') AS bt_mql_us,
        max(bt_us) FILTER (WHERE point = 'assigned') AS bt_assigned_us
    FROM clock_values
    WHERE lead_id IS NOT NULL
    GROUP BY lead_id
),

now AS (
    SELECT calendar_id, bt_us AS bt_asof_us
    FROM clock_values
    WHERE point = 'as_of'
),

targets AS (
    SELECT
        h.lead_id,
        h.calendar_id,
        h.mql_at,
        p.bt_mql_us,
        p.bt_assigned_us,
        n.bt_asof_us,
        p.bt_mql_us + CAST(round($window_minutes * 60000000) AS BIGINT) AS window_target_us
    FROM handoffs AS h
    JOIN per_lead AS p USING (lead_id)
    JOIN now AS n USING (calendar_id)
)

SELECT
    t.*,
    timezone('UTC', make_timestamp(d.open_us + (t.window_target_us - d.cum_before_us))) AS window_end
FROM targets AS t
ASOF LEFT JOIN business_days AS d
    ON t.calendar_id = d.calendar_id AND t.window_target_us > d.cum_before_us
