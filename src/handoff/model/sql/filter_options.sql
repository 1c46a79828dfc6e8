-- filter_options: the values each sidebar filter offers (all handoffs, unfiltered), with
-- a readable label, plus the MQL date range as `date` rows.
WITH base AS (
    SELECT * FROM handoff_scope(NULL, NULL, NULL, NULL, NULL, NULL, NULL)
),

final AS (
    SELECT DISTINCT 'source' AS dimension, coalesce(source, '(none)') AS value, coalesce(source, '(none)') AS label FROM base
    UNION ALL
    SELECT DISTINCT 'tier', tier, tier FROM base
    UNION ALL
    SELECT DISTINCT 'team', coalesce(team, '(unassigned)'), coalesce(team, '(unassigned)') FROM base
    UNION ALL
    SELECT 'rep', coalesce(owner_id, '(unassigned)'),
           coalesce(any_value(owner_name) || ' (' || owner_id || ')', coalesce(owner_id, '(unassigned)'))
    FROM base GROUP BY owner_id
    UNION ALL
    SELECT DISTINCT 'segment', coalesce(segment, '(none)'), coalesce(segment, '(none)') FROM base
    UNION ALL
    SELECT 'date', CAST(min(mql_date) AS VARCHAR), CAST(max(mql_date) AS VARCHAR) FROM base
)

SELECT * FROM final
ORDER BY dimension, label
