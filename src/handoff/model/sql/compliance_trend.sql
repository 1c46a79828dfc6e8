-- compliance_trend: SLA outcomes per MQL week and group, for compliance over time.
-- `{group}` is one of the model's whitelisted grouping expressions.
WITH scoped AS (
    SELECT mql_week AS week, {group} AS "group", sla_status
    FROM handoff_scope($date_from, $date_to, $sources, $tiers, $teams, $owners, $segments)
),

final AS (
    SELECT
        week,
        "group",
        count(*) AS handoffs,
        count(*) FILTER (WHERE sla_status = 'met') AS met,
        count(*) FILTER (WHERE sla_status = 'breached') AS breached,
        count(*) FILTER (WHERE sla_status = 'pending') AS pending
    FROM scoped
    GROUP BY ALL
)

SELECT *, met / nullif(met + breached, 0) AS sla_compliance
FROM final
ORDER BY week, "group"
