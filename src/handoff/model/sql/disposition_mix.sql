-- disposition_mix: dispositioned handoffs per group and disposition code.
-- `{group}` is one of the model's whitelisted grouping expressions.
SELECT
    {group} AS "group",
    disposition,
    count(*) AS handoffs
FROM handoff_scope($date_from, $date_to, $sources, $tiers, $teams, $owners, $segments)
WHERE disposition IS NOT NULL
GROUP BY ALL
ORDER BY "group", disposition
