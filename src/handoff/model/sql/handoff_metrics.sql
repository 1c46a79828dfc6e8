-- handoff_metrics: one row per group of the scoped handoffs, one column per metric of the
-- registry (handoff.model.definitions), in its order. `{group}` is one of the model's
-- whitelisted grouping expressions; `{aggregates}` are the registry's aggregates over the
-- group's handoffs, `{formulas}` its formulas over those (the shares), and `{columns}` the
-- metrics in registry order.
WITH scoped AS (
    SELECT {group} AS "group", *
    FROM handoff_scope($filters)
),

aggregated AS (
    SELECT
        "group",
        any_value(owner_name) AS owner_name,
        any_value(team) AS team,
        {aggregates}
    FROM scoped
    GROUP BY "group"
),

final AS (
    SELECT
        *,
        {formulas}
    FROM aggregated
)

SELECT
    "group",
    owner_name,
    team,
    {columns}
FROM final
ORDER BY "group"
