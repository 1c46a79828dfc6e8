-- rep_accountability: one row per accountable owner of the scoped handoffs (a known rep, or
-- $unassigned for an owner that is no known rep: empty, a queue), with what the owner history
-- says they answer for, people with the most breaches first:
-- - breaches_owned: breached handoffs whose breach owner (the owner at breach_at) is the rep,
--   whoever owns the lead now;
-- - reassigned_away: handoffs the rep held untouched that went to a different owner: an owner
--   change from the rep to another owner in [mql_at, first touch, else as_of];
-- - reassigned_in: handoffs that came to the rep from another owner in that same span.
-- The owner changes counted are exactly those of lead_handoff's `reassignments`.
WITH scoped AS (
    SELECT lead_id, mql_at, first_touch_at, sla_status, breach_owner_id
    FROM handoff_scope($filters)
),

reassigned AS (
    SELECT s.lead_id, o.from_owner_id, o.to_owner_id
    FROM scoped AS s
    JOIN owner_changes AS o USING (lead_id)
    WHERE o.to_owner_id IS DISTINCT FROM o.from_owner_id
      AND o.changed_at >= s.mql_at
      AND o.changed_at <= coalesce(s.first_touch_at, $as_of)
),

-- one row per (owner, lead, what the owner answers for), owners outside reps as unassigned
owned AS (
    SELECT breach_owner_id AS owner_id, lead_id, 'breach' AS kind
    FROM scoped WHERE sla_status = 'breached'
    UNION ALL
    SELECT from_owner_id, lead_id, 'away' FROM reassigned
    UNION ALL
    SELECT to_owner_id, lead_id, 'in' FROM reassigned
),

final AS (
    SELECT
        r.rep_id AS owner_id,
        coalesce(any_value(r.name), CASE WHEN r.rep_id IS NULL THEN $unassigned END) AS owner_name,
        any_value(r.team) AS team,
        count(DISTINCT o.lead_id) FILTER (WHERE o.kind = 'breach') AS breaches_owned,
        count(DISTINCT o.lead_id) FILTER (WHERE o.kind = 'away') AS reassigned_away,
        count(DISTINCT o.lead_id) FILTER (WHERE o.kind = 'in') AS reassigned_in
    FROM owned AS o
    LEFT JOIN reps AS r ON r.rep_id = o.owner_id
    GROUP BY r.rep_id
)

SELECT * FROM final
ORDER BY breaches_owned DESC, reassigned_away DESC, owner_id NULLS LAST
