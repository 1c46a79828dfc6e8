-- handoff_cohort: one row per handoff of the selection (the rows of handoff_scope), with
-- what the young-cohort rule needs (DESIGN "Young cohorts"):
--   week_mature          every handoff of its MQL week (in this selection) is decided for the
--                        meeting rate: it booked in its window, or the window has ended;
--   meeting_expectation  1 for a meeting booked in the window, 0 for a window ended without
--                        one, and for an open handoff h(d): among the handoffs of the
--                        `recent_weeks` latest mature MQL weeks of the selection that had not
--                        booked within d business days, the share that booked within the
--                        window, d being the open handoff's whole business days since mql_at
--                        (elapsed_business_days). Without a mature week it is NULL: no
--                        projection. A d that no reference handoff reached unbooked gives 0.
{table_macro(handoff_cohort, filters, recent_weeks)}
WITH selection AS (
    SELECT * FROM handoff_scope(filters)
),

weeks AS (
    SELECT mql_week, bool_and(meeting_in_window IS NOT NULL) AS week_mature
    FROM selection
    GROUP BY mql_week
),

reference_weeks AS (
    SELECT mql_week
    FROM (
        SELECT mql_week, row_number() OVER (ORDER BY mql_week DESC) AS recency
        FROM weeks
        WHERE week_mature
    )
    WHERE recency <= recent_weeks
),

reference AS (
    SELECT s.meeting_in_window, s.booking_business_days
    FROM selection AS s
    SEMI JOIN reference_weeks AS r ON r.mql_week = s.mql_week
),

open_days AS (
    SELECT DISTINCT elapsed_business_days AS d
    FROM selection
    WHERE meeting_in_window IS NULL
),

-- h(d) for each d an open handoff has reached; "booked within d business days" is a booking
-- at most d business days after mql_at
curve AS (
    SELECT
        o.d,
        coalesce(
            count(*) FILTER (WHERE r.meeting_in_window AND r.booking_business_days > o.d)
            / nullif(count(*) FILTER (WHERE coalesce(r.booking_business_days > o.d, true)), 0),
            0) AS h
    FROM open_days AS o
    CROSS JOIN reference AS r
    GROUP BY o.d
)

SELECT
    s.*,
    w.week_mature,
    CASE
        WHEN s.meeting_in_window THEN 1.0
        WHEN NOT s.meeting_in_window THEN 0.0
        ELSE c.h
    END AS meeting_expectation
FROM selection AS s
JOIN weeks AS w USING (mql_week)
LEFT JOIN curve AS c ON c.d = s.elapsed_business_days
