-- rejection_reasons: one row per group and reason (disposition code): the dispositioned
-- handoffs that sales did not accept, with a few example leads (newest first) for the
-- discussion.
-- `{group}` is one of the model's whitelisted grouping expressions.
WITH rejected AS (
    SELECT {group} AS "group", *
    FROM handoff_scope($filters)
    WHERE disposition IS NOT NULL AND disposition <> $accepting_code
),

final AS (
    SELECT
        "group",
        disposition AS reason,
        count(*) AS handoffs,
        latest_three(lead_id, mql_at, lead_id) AS example_leads,
        latest_three(coalesce(company, ''), mql_at, lead_id) AS example_companies
    FROM rejected
    GROUP BY ALL
)

SELECT
    *,
    handoffs / sum(handoffs) OVER (PARTITION BY "group") AS share_of_rejections
FROM final
ORDER BY "group", handoffs DESC, reason
