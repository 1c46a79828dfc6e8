-- routing_delay: one row per group (`{group}`) of the scoped handoffs: the system's part of
-- the response (business minutes mql_at -> assigned_at, where assigned_at is known) as its
-- median and p90, and the share of the handoffs with a known assignment that waited longer
-- than $late_minutes business minutes for an owner; beside it the rep's part (median and p90
-- business minutes from the later of mql_at and assigned_at to the first touch).
WITH scoped AS (
    SELECT
        {group} AS "group",
        routing_business_minutes,
        rep_business_minutes
    FROM handoff_scope($filters)
),

final AS (
    SELECT
        "group",
        count(*) AS handoffs,
        count(routing_business_minutes) AS routing_known,
        count(*) FILTER (WHERE routing_business_minutes > $late_minutes) AS assigned_late,
        count(*) FILTER (WHERE routing_business_minutes > $late_minutes)
            / nullif(count(routing_business_minutes), 0) AS assigned_late_share,
        median(routing_business_minutes) AS median_routing_business_minutes,
        continuous_quantile(routing_business_minutes, 0.9) AS p90_routing_business_minutes,
        median(rep_business_minutes) AS median_rep_business_minutes,
        continuous_quantile(rep_business_minutes, 0.9) AS p90_rep_business_minutes
    FROM scoped
    GROUP BY "group"
)

SELECT * FROM final
ORDER BY "group"
