-- filter_options: one row per value a sidebar filter offers (all handoffs, unfiltered),
-- with a readable label, plus one `date` row with the MQL date range.
-- `{options}` is written by handoff.model.dimensions, one SELECT per filtered dimension.
WITH base AS (
    SELECT * FROM handoff_scope($filters)
),

final AS (
    {options}
    UNION ALL
    SELECT 'date', CAST(min(mql_date) AS VARCHAR), CAST(max(mql_date) AS VARCHAR) FROM base
)

SELECT * FROM final
ORDER BY dimension, label
