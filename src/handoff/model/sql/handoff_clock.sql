-- handoff_clock: one row per handoff. Its calendar number, business time at mql_at and
-- assigned_at, business time at as_of for its calendar, its tier's SLA target, and two inverse
-- lookups on the accumulated business time (the day in which the target falls, end-inclusive):
-- window_end, the earliest instant at which the meeting window's business minutes have
-- elapsed since mql_at, and sla_due_at, the earliest instant at which the SLA target's have
-- (a breached lead's breach_at).
WITH keyed AS (
    SELECT
        h.lead_no,
        h.lead_id,
        c.cal_no,
        h.mql_at,
        to_us(h.mql_at) AS mql_us,
        minutes_to_us(CASE h.tier
            WHEN 'high' THEN $sla_high
            WHEN 'medium' THEN $sla_medium
            ELSE $sla_low
        END) AS target_us,
        -- an assignment before the MQL is looked up at mql_at: the routing delay is 0 either
        -- way, and the calendar need not reach back to it
        to_us(CASE WHEN h.assigned_at IS NOT NULL THEN greatest(h.assigned_at, h.mql_at) END) AS assigned_us
    FROM handoffs AS h
    JOIN calendars AS c USING (calendar_id)
),

calendar_now AS (
    SELECT c.cal_no, business_us(t.t_us, b.cum_us, b.lo1, b.hi1, b.lo2, b.hi2) AS bt_asof_us
    FROM calendars AS c
    CROSS JOIN (SELECT to_us($as_of) AS t_us) AS t
    LEFT JOIN business_hours AS b ON b.cal_no = c.cal_no AND b.hour_no = hour_no(t.t_us)
),

clocked AS (
    SELECT
        k.lead_no,
        k.lead_id,
        k.cal_no,
        k.mql_at,
        k.target_us,
        business_us(k.mql_us, m.cum_us, m.lo1, m.hi1, m.lo2, m.hi2) AS bt_mql_us,
        business_us(k.assigned_us, a.cum_us, a.lo1, a.hi1, a.lo2, a.hi2) AS bt_assigned_us,
        n.bt_asof_us
    FROM keyed AS k
    JOIN calendar_now AS n USING (cal_no)
    LEFT JOIN business_hours AS m ON m.cal_no = k.cal_no AND m.hour_no = hour_no(k.mql_us)
    LEFT JOIN business_hours AS a ON a.cal_no = k.cal_no AND a.hour_no = hour_no(k.assigned_us)
),

targets AS (
    SELECT *, bt_mql_us + minutes_to_us($window_minutes) AS window_target_us, bt_mql_us + target_us AS due_target_us
    FROM clocked
),

-- the inverse lookups: an ASOF join on DuckDB, an equi-join on a bucket of business time on
-- Spark (snippets/<engine>/clock_lookup.sql)
windowed AS (
    {clock_lookup(targets, window_target_us, window_end)}
)

{clock_lookup(windowed, due_target_us, sla_due_at)}
