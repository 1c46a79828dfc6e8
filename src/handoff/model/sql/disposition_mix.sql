-- disposition_mix: one row per group and disposition code: the dispositioned handoffs.
-- `{group}` is one of the model's whitelisted grouping expressions.
SELECT
    {group} AS "group",
    disposition,
    count(*) AS handoffs
FROM handoff_scope($filters)
WHERE disposition IS NOT NULL
GROUP BY ALL
ORDER BY "group", disposition
