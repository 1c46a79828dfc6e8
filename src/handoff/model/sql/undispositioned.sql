-- undispositioned: one row per handoff of the selection still without a disposition more
-- than the disposition SLA (the policy's disposition_sla_hours, wall clock) after mql_at
-- (`disposition_overdue` in lead_handoff), oldest first: the leads sales owes marketing an
-- answer on.
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
    us_to_hours(to_us($as_of) - to_us(mql_at)) AS hours_since_mql
FROM handoff_scope($filters)
WHERE disposition_overdue
ORDER BY mql_at, lead_id
