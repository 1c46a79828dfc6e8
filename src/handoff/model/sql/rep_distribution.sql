-- rep_distribution: the spread of response_business_minutes per rep (contacted handoffs):
-- the quantiles a box plot needs, so the chart never ships every lead to the browser.
SELECT
    coalesce(owner_id, '(unassigned)') AS owner_id,
    any_value(owner_name) AS owner_name,
    count(*) AS contacted,
    quantile_cont(response_business_minutes, 0.10) AS p10,
    quantile_cont(response_business_minutes, 0.25) AS q1,
    quantile_cont(response_business_minutes, 0.50) AS median,
    quantile_cont(response_business_minutes, 0.75) AS q3,
    quantile_cont(response_business_minutes, 0.90) AS p90
FROM handoff_scope($date_from, $date_to, $sources, $tiers, $teams, $owners, $segments)
WHERE contacted
GROUP BY ALL
ORDER BY median, owner_id
