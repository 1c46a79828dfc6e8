-- rep_distribution: one row per rep (the `{group}` is the rep grouping) with the spread of
-- response_business_minutes over their contacted handoffs: the quantiles a box plot needs,
-- so the chart never ships every lead to the browser.
SELECT
    {group} AS owner_id,
    any_value(owner_name) AS owner_name,
    count(*) AS contacted,
    continuous_quantile(response_business_minutes, 0.10) AS p10,
    continuous_quantile(response_business_minutes, 0.25) AS q1,
    continuous_quantile(response_business_minutes, 0.50) AS median,
    continuous_quantile(response_business_minutes, 0.75) AS q3,
    continuous_quantile(response_business_minutes, 0.90) AS p90
FROM handoff_scope($filters)
WHERE contacted
GROUP BY ALL
ORDER BY median, owner_id
