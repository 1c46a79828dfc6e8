-- clock_points: each touched handoff's first touch, the earlier of its first qualifying
-- activity and its first booking.
SELECT
    c.lead_id,
    'touch' AS point,
    c.calendar_id,
    epoch_us(least(t.first_activity_at, m.first_booking_at)) AS t_us
FROM handoff_clock AS c
LEFT JOIN lead_touches AS t USING (lead_id)
LEFT JOIN lead_meetings AS m USING (lead_id)
WHERE t.first_activity_at IS NOT NULL OR m.first_booking_at IS NOT NULL
