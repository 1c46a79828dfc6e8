-- lead_owner_history: one row per handoff with owner history (rows in owner_changes for its
-- lead); a lead without history has no row, and lead_handoff keeps the leads file's
-- assigned_at and owner_id for it, so an empty owner_changes costs an empty join.
-- Per DESIGN "Owner history": the owner at instant t is the to_owner_id of the latest change
-- at or before t (of changes at the same instant, the one with the greater change_id), else
-- the from_owner_id of the first change; an owner that is no known rep (empty, a queue) is
-- unassigned. Changes after as_of have not happened yet: none is counted or assigns.
-- - assigned_at: mql_at if the owner at mql_at is a known rep, else the changed_at of the
--   first change after mql_at (up to as_of) to a known rep, else empty; bt_assigned_us its
--   business time in the lead's calendar (the routing delay's end);
-- - reassignments: changes to a different owner in [mql_at, first touch, else as_of];
-- - due_owner_id: the owner at sla_due_at (a breached lead's breach_at: its breach owner);
-- - escalated: a change to a different owner in [sla_due_at, escalation_end] (up to as_of),
--   escalation_end being the earliest instant at which $escalation_minutes business minutes
--   have elapsed since sla_due_at (the inverse lookup of handoff_clock).
WITH changes AS (
    SELECT
        c.lead_no,
        o.change_id,
        o.changed_at,
        o.from_owner_id,
        o.to_owner_id,
        r.rep_id IS NOT NULL AS to_known_rep,
        o.to_owner_id IS DISTINCT FROM o.from_owner_id AS is_reassignment
    FROM owner_changes AS o
    JOIN handoff_clock AS c USING (lead_id)
    LEFT JOIN reps AS r ON r.rep_id = o.to_owner_id
),

-- the owner from each instant with a change on
instants AS (
    SELECT lead_no, changed_at, max_by_null(to_owner_id, change_id) AS owner_id
    FROM changes
    GROUP BY lead_no, changed_at
),

per_lead AS (
    SELECT lead_no, min_by_null(from_owner_id, {'at': changed_at, 'id': change_id}) AS first_owner_id
    FROM changes
    GROUP BY lead_no
),

leads_in AS (
    SELECT
        c.lead_no,
        c.cal_no,
        c.mql_at,
        c.sla_due_at,
        c.bt_mql_us + c.target_us + minutes_to_us($escalation_minutes) AS escalation_target_us,
        least(t.first_activity_at, m.first_booking_at) AS first_touch_at,
        p.first_owner_id
    FROM per_lead AS p
    JOIN handoff_clock AS c USING (lead_no)
    LEFT JOIN lead_touches AS t USING (lead_no)
    LEFT JOIN lead_meetings AS m USING (lead_no)
),

-- the owner at mql_at and at sla_due_at (snippets/<engine>/owner_at.sql)
at_mql AS (
    {owner_at(leads_in, mql_at, mql_owner_id)}
),

at_due AS (
    {owner_at(at_mql, sla_due_at, due_owner_id)}
),

escalation AS (
    {clock_lookup(at_due, escalation_target_us, escalation_end)}
),

counted AS (
    SELECT
        e.lead_no,
        count(*) FILTER (
            WHERE ch.is_reassignment AND ch.changed_at >= e.mql_at
            AND ch.changed_at <= coalesce(e.first_touch_at, $as_of)
        ) AS reassignments,
        min(ch.changed_at) FILTER (
            WHERE ch.to_known_rep AND ch.changed_at > e.mql_at AND ch.changed_at <= $as_of
        ) AS first_assigned_at,
        coalesce(bool_or(
            ch.is_reassignment AND ch.changed_at >= e.sla_due_at
            AND ch.changed_at <= e.escalation_end AND ch.changed_at <= $as_of
        ), false) AS escalated
    FROM escalation AS e
    JOIN changes AS ch USING (lead_no)
    GROUP BY e.lead_no
),

assigned AS (
    SELECT
        e.lead_no,
        e.cal_no,
        e.mql_owner_id,
        e.due_owner_id,
        c.reassignments,
        c.escalated,
        CASE WHEN r.rep_id IS NOT NULL THEN e.mql_at ELSE c.first_assigned_at END AS assigned_at
    FROM escalation AS e
    JOIN counted AS c USING (lead_no)
    LEFT JOIN reps AS r ON r.rep_id = e.mql_owner_id
),

final AS (
    SELECT
        a.lead_no,
        a.assigned_at,
        business_us(to_us(a.assigned_at), b.cum_us, b.lo1, b.hi1, b.lo2, b.hi2) AS bt_assigned_us,
        a.mql_owner_id,
        a.due_owner_id,
        a.reassignments,
        a.escalated
    FROM assigned AS a
    LEFT JOIN business_hours AS b ON b.cal_no = a.cal_no AND b.hour_no = hour_no(to_us(a.assigned_at))
)

SELECT * FROM final
