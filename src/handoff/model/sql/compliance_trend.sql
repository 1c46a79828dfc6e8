-- compliance_trend: one row per MQL week and group of the scoped handoffs: SLA outcomes and
-- compliance over time. The metrics are the registry's (`{aggregates}`, `{formulas}`: the
-- same expressions as handoff_metrics), grouped by week as well; `{group}` is one of the
-- model's whitelisted grouping expressions. The handoffs come from handoff_cohort, like
-- handoff_metrics', so every registry aggregate has the columns it reads.
WITH scoped AS (
    SELECT mql_week AS week, {group} AS "group", *
    FROM handoff_cohort($filters, $reference_weeks)
),

aggregated AS (
    SELECT
        week,
        "group",
        {aggregates}
    FROM scoped
    GROUP BY week, "group"
),

final AS (
    SELECT
        *,
        {formulas}
    FROM aggregated
)

SELECT week, "group", handoffs, met, breached, pending, sla_compliance
FROM final
ORDER BY week, "group"
