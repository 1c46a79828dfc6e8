-- rep_weekly: one row per owner (the `{group}` is the rep grouping) and MQL week, for the
-- $weeks MQL weeks ending with the selection's newest one: the SLA outcomes and SLA
-- compliance (met / (met + breached), as the registry defines it) and the median response in
-- business minutes. A week without handoffs of that owner is a row with empty values, so a
-- sparkline over the rows has a gap there rather than a shorter history. `assigned` says
-- whether the owner is a known rep (a person) rather than a queue or no owner.
WITH scoped AS (
    SELECT
        {group} AS owner_id,
        owner_name,
        assigned,
        mql_week,
        sla_status,
        response_business_minutes
    FROM handoff_scope($filters)
),

span AS (
    SELECT max(mql_week) AS last_week FROM scoped
),

calendar AS (
    SELECT CAST(last_week - to_weeks(CAST(n AS INTEGER)) AS DATE) AS week
    FROM span, range($weeks) AS r(n)
    WHERE last_week IS NOT NULL
),

owners AS (
    SELECT owner_id, any_value(owner_name) AS owner_name, bool_and(assigned) AS assigned
    FROM scoped
    GROUP BY owner_id
),

weekly AS (
    SELECT
        owner_id,
        mql_week AS week,
        count(*) AS handoffs,
        count(*) FILTER (WHERE sla_status = 'met') AS met,
        count(*) FILTER (WHERE sla_status = 'breached') AS breached,
        median(response_business_minutes) AS median_response_business_minutes
    FROM scoped
    GROUP BY owner_id, mql_week
),

final AS (
    SELECT
        o.owner_id,
        o.owner_name,
        o.assigned,
        c.week,
        coalesce(w.handoffs, 0) AS handoffs,
        coalesce(w.met, 0) AS met,
        coalesce(w.breached, 0) AS breached,
        w.met / nullif(w.met + w.breached, 0) AS sla_compliance,
        w.median_response_business_minutes
    FROM owners AS o
    CROSS JOIN calendar AS c
    LEFT JOIN weekly AS w ON w.owner_id = o.owner_id AND w.week = c.week
)

SELECT * FROM final
ORDER BY owner_id, week
