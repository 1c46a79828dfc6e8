-- undispositioned: handoffs still without a disposition more than the disposition SLA
-- (48 hours, wall clock) after mql_at, oldest first: the leads sales owes marketing an answer on.
SELECT
    lead_id,
    owner_id,
    owner_name,
    team,
    tier,
    source,
    campaign,
    company,
    mql_at,
    contacted,
    (epoch_us($as_of) - epoch_us(mql_at)) / 3600000000.0 AS hours_since_mql
FROM handoff_scope($date_from, $date_to, $sources, $tiers, $teams, $owners, $segments)
WHERE disposition IS NULL
  AND epoch_us($as_of) - epoch_us(mql_at) > $disposition_sla_hours * 3600000000
ORDER BY mql_at, lead_id
