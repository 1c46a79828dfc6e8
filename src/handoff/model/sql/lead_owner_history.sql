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
-- A lead has about one change, so every fact is an aggregate of its changes, each next to
-- its lead's instants, in one pass grouped by lead.
WITH changes AS (
    SELECT
        c.lead_no,
        c.cal_no,
        c.mql_at,
        c.sla_due_at,
        c.bt_mql_us + c.target_us + minutes_to_us($escalation_minutes) AS escalation_target_us,
        least(t.first_activity_at, m.first_booking_at) AS first_touch_at,
        o.change_id,
        o.changed_at,
        o.from_owner_id,
        o.to_owner_id,
        r.rep_id IS NOT NULL AS to_known_rep,
        o.to_owner_id IS DISTINCT FROM o.from_owner_id AS is_reassignment
    FROM owner_changes AS o
    JOIN handoff_clock AS c USING (lead_id)
    LEFT JOIN lead_touches AS t USING (lead_no)
    LEFT JOIN lead_meetings AS m USING (lead_no)
    LEFT JOIN reps AS r ON r.rep_id = o.to_owner_id
),

-- per lead: the owner at mql_at and at sla_due_at (snippets/<engine>/owner_at.sql), and
-- what its changes count; `first_due_reassignment_at` is the first reassignment at or after
-- sla_due_at (up to as_of), an escalation when it comes by escalation_end
per_lead AS (
    SELECT
        lead_no,
        cal_no,
        mql_at,
        escalation_target_us,
        {owner_at(mql_at)} AS mql_owner_id,
        {owner_at(sla_due_at)} AS due_owner_id,
        count(*) FILTER (
            WHERE is_reassignment AND changed_at >= mql_at AND changed_at <= coalesce(first_touch_at, $as_of)
        ) AS reassignments,
        min(changed_at) FILTER (
            WHERE to_known_rep AND changed_at > mql_at AND changed_at <= $as_of
        ) AS first_assigned_at,
        min(changed_at) FILTER (
            WHERE is_reassignment AND changed_at >= sla_due_at AND changed_at <= $as_of
        ) AS first_due_reassignment_at
    FROM changes
    GROUP BY lead_no, cal_no, mql_at, sla_due_at, escalation_target_us, first_touch_at
),

escalation AS (
    {clock_lookup(per_lead, escalation_target_us, escalation_end)}
),

assigned AS (
    SELECT
        e.lead_no,
        e.cal_no,
        e.mql_owner_id,
        e.due_owner_id,
        e.reassignments,
        -- an escalation_end beyond the calendar (which reaches past as_of) is after as_of
        coalesce(e.first_due_reassignment_at <= coalesce(e.escalation_end, $as_of), false) AS escalated,
        CASE WHEN r.rep_id IS NOT NULL THEN e.mql_at ELSE e.first_assigned_at END AS assigned_at
    FROM escalation AS e
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
