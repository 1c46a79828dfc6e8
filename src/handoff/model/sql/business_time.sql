-- clock_values: business time (µs accumulated since the calendar's first day) at each
-- clock point. One ASOF lookup finds the business day that opened last at or before the
-- instant; the part of that day up to the instant is clipped to the day's length.
-- An instant before the calendar's first day has business time 0.
SELECT
    p.lead_id,
    p.point,
    p.calendar_id,
    CASE
        WHEN p.t_us IS NULL THEN NULL
        WHEN d.open_us IS NULL THEN 0
        ELSE d.cum_before_us + least(p.t_us - d.open_us, d.length_us)
    END AS bt_us
FROM clock_points AS p
ASOF LEFT JOIN business_days AS d
    ON p.calendar_id = d.calendar_id AND p.t_us >= d.open_us
