-- arrivals_by_hour: one row per hour of the week (0 = Monday 00:00-01:00 in the company
-- timezone, 167 = Sunday 23:00-24:00) in which a scoped handoff arrived: the handoffs whose
-- mql_at falls in that hour of the company's wall clock, and that count per week over
-- `$weeks` weeks. Hours without a handoff have no row. The staffing model scopes it to one
-- tier and the full weeks before the week of as_of (handoff.model.staffing).
WITH scoped AS (
    SELECT local_time($company_tz, mql_at) AS mql_local
    FROM handoff_scope($filters)
),

hours AS (
    SELECT (isodow(mql_local) - 1) * 24 + hour(mql_local) AS hour_of_week
    FROM scoped
),

final AS (
    SELECT
        hour_of_week,
        count(*) AS handoffs,
        count(*) / $weeks AS arrivals_per_week
    FROM hours
    GROUP BY hour_of_week
)

SELECT * FROM final ORDER BY hour_of_week
