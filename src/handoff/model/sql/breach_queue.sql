-- breach_queue: one row per untouched handoff of the selection that has breached its SLA or
-- will within $warn_minutes business minutes, oldest first: what a manager acts on today. With
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
FROM handoff_scope($filters)
WHERE NOT contacted
  AND (sla_status = 'breached' OR sla_minutes_left <= $warn_minutes)
  AND (NOT $open_only OR window_end > $as_of)
ORDER BY mql_at, lead_id
