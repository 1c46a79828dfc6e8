-- breach_queue: untouched handoffs that have breached their SLA or will within
-- $warn_minutes business minutes, oldest first: what a manager acts on today. With
-- $open_only, only leads still inside their meeting window (older ones have gone cold and
-- count as never contacted).
SELECT
    lead_id,
    owner_id,
    owner_name,
    team,
    tier,
    source,
    campaign,
    mql_at,
    sla_status,
    sla_target_business_minutes,
    age_business_minutes,
    sla_minutes_left
FROM handoff_scope($date_from, $date_to, $sources, $tiers, $teams, $owners, $segments)
WHERE NOT contacted
  AND (sla_status = 'breached' OR sla_minutes_left <= $warn_minutes)
  AND (NOT $open_only OR window_end > $as_of)
ORDER BY mql_at, lead_id
