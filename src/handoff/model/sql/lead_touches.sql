-- lead_touches: one row per handoff with a qualifying touch (an outbound, human activity of
-- a type other than `other`, at or after mql_at and not after as_of, by any rep): the first
-- one and the qualifying touches inside the meeting window, [mql_at, min(window_end, as_of)].
SELECT
    c.lead_no,
    min(a.occurred_at) AS first_activity_at,
    count(*) FILTER (WHERE a.occurred_at <= c.window_end) AS touches_in_window
FROM handoff_clock AS c
JOIN activities AS a
    ON a.lead_id = c.lead_id
    AND a.occurred_at >= c.mql_at
    AND a.occurred_at <= $as_of
WHERE a.direction = 'outbound'
  AND NOT a.is_automated
  AND a.type <> 'other'
GROUP BY c.lead_no
