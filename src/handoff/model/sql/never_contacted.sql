-- never_contacted: one row per group (`{group}`: the rep or the source grouping) of the
-- scoped handoffs that has any handoff without a first touch by as_of, with the spend those
-- leads represent (DESIGN: never-contacted spend = never-contacted handoffs x the policy's
-- cost per lead, $cost_per_lead in the policy's currency). `still_open` counts the
-- never-contacted handoffs whose meeting window has not ended (a touch can still come);
-- `assigned` says whether a rep group is a known rep (a person) rather than a queue or no
-- owner. Most spend first.
WITH scoped AS (
    SELECT
        {group} AS "group",
        owner_name,
        assigned,
        contacted,
        window_end
    FROM handoff_scope($filters)
),

grouped AS (
    SELECT
        "group",
        any_value(owner_name) AS owner_name,
        bool_and(assigned) AS assigned,
        count(*) AS handoffs,
        count(*) FILTER (WHERE NOT contacted) AS never_contacted,
        count(*) FILTER (WHERE NOT contacted AND $as_of < window_end) AS still_open
    FROM scoped
    GROUP BY "group"
),

final AS (
    SELECT
        *,
        never_contacted / handoffs AS never_contacted_rate,
        never_contacted * $cost_per_lead AS never_contacted_spend
    FROM grouped
    WHERE never_contacted > 0
)

SELECT * FROM final
ORDER BY never_contacted_spend DESC, "group"
