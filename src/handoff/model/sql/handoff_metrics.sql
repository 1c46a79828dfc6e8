-- handoff_metrics: one row per group of the scoped handoffs, one column per metric of the
-- registry (handoff.model.definitions), in its order, then its cohort status fields (is the
-- group mature, when does it mature, are its dispositions and pipeline final); a question may
-- ask for some of them only (compose.render's `metrics`). `{group}` is
-- one of the model's whitelisted grouping expressions; `{aggregates}` are the registry's
-- aggregates over the group's handoffs, `{formulas}` its formulas over those (the shares),
-- and `{columns}` the metrics and status fields in registry order. `{selection}`: the
-- handoffs from handoff_cohort (cohort.sql), which adds each one's expected meeting for the
-- projection, with $mature_weeks_only only those of the selection's mature MQL weeks; or,
-- when no metric asked for reads those, from handoff_scope (scope.sql).
WITH scoped AS (
    SELECT {group} AS "group", *
    FROM {selection}
),

aggregated AS (
    SELECT
        "group",
        -- one value per rep; for other groups the first in order, so a rebuild gives the same
        min(owner_name) AS owner_name,
        min(team) AS team,
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
