-- lead_meetings: one row per handoff with a booking at or after mql_at: the first one (a
-- booking is contact, whatever its later status), whether a meeting that was not canceled
-- was booked inside [mql_at, window_end], and when the first such meeting was booked (the
-- booking curve of the young-cohort projection reads it). Bookings after as_of have not
-- happened yet.
SELECT
    c.lead_no,
    min(m.booked_at) AS first_booking_at,
    bool_or(m.status <> 'canceled' AND m.booked_at <= c.window_end) AS booked_in_window,
    min(m.booked_at) FILTER (WHERE m.status <> 'canceled' AND m.booked_at <= c.window_end) AS window_booking_at
FROM handoff_clock AS c
JOIN meetings AS m
    ON m.lead_id = c.lead_id
    AND m.booked_at >= c.mql_at
    AND m.booked_at <= $as_of
GROUP BY c.lead_no
