-- handoff_metrics: the aggregate handoff metrics per group of the scoped handoffs.
-- `{group}` is one of the model's whitelisted grouping expressions.
WITH scoped AS (
    SELECT {group} AS "group", *
    FROM handoff_scope($date_from, $date_to, $sources, $tiers, $teams, $owners, $segments)
),

final AS (
    SELECT
        "group",
        any_value(owner_name) AS owner_name,
        any_value(team) AS team,
        count(*) AS handoffs,
        count(*) FILTER (WHERE assigned) AS assigned,
        count(*) FILTER (WHERE contacted) AS contacted,
        count(*) FILTER (WHERE NOT contacted) AS never_contacted,
        count(*) FILTER (WHERE sla_status = 'met') AS met,
        count(*) FILTER (WHERE sla_status = 'breached') AS breached,
        count(*) FILTER (WHERE sla_status = 'pending') AS pending,
        median(response_business_minutes) AS median_response_business_minutes,
        quantile_cont(response_business_minutes, 0.9) AS p90_response_business_minutes,
        median(response_minutes) AS median_response_minutes,
        count(*) FILTER (WHERE meeting_in_window) AS meetings_in_window,
        count(meeting_in_window) AS meeting_decided,
        count(disposition) AS dispositioned,
        count(*) FILTER (WHERE accepted) AS accepted,
        count(*) FILTER (WHERE disposition_on_time) AS disposition_on_time,
        count(*) FILTER (WHERE cadence_met) AS cadence_met,
        avg(touches_in_window) AS avg_touches_in_window,
        count(*) FILTER (WHERE is_sql) AS sqls,
        sum(pipeline_amount) AS pipeline_amount,
        count(assigned_at) AS routing_known,
        median(routing_business_minutes) AS median_routing_business_minutes,
        median(rep_business_minutes) AS median_rep_business_minutes
    FROM scoped
    GROUP BY "group"
)

SELECT
    *,
    never_contacted / handoffs AS never_contacted_rate,
    assigned / handoffs - contacted / handoffs AS assigned_contacted_gap,
    met / nullif(met + breached, 0) AS sla_compliance,
    meetings_in_window / nullif(meeting_decided, 0) AS handoff_to_meeting_rate,
    accepted / nullif(dispositioned, 0) AS acceptance_rate,
    disposition_on_time / nullif(dispositioned, 0) AS disposition_on_time_rate,
    cadence_met / handoffs AS cadence_rate,
    sqls / handoffs AS sql_rate
FROM final
ORDER BY "group"
