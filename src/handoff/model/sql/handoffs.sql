-- handoffs: one row per handoff (a lead with mql_at set, not after as_of), with its tier,
-- its owner (as the lead has it) and the calendar its clock runs in. `lead_no` is an
-- integer key the per-lead layer joins on (faster than the text lead_id).
WITH leads_in AS (
    SELECT *, row_key() AS lead_no FROM leads
    WHERE mql_at IS NOT NULL AND mql_at <= $as_of
),

-- each rep's calendar: its timezone and holiday country, else the company's
owners AS (
    SELECT
        rep_id,
        name AS owner_name,
        team,
        coalesce(nullif(trim(timezone), ''), $company_tz) || '|'
            || coalesce(nullif(upper(trim(country)), ''), $company_country) AS calendar_id
    FROM reps
),

final AS (
    SELECT
        l.lead_no,
        l.lead_id,
        l.owner_id,
        o.owner_name,
        o.team,
        o.rep_id IS NOT NULL AS assigned,
        coalesce(l.tier, t.tier, 'low') AS tier,
        l.source,
        l.campaign,
        l.segment,
        l.company,
        l.title,
        l.score,
        l.mql_at,
        CAST(local_time($company_tz, l.mql_at) AS DATE) AS mql_date,
        CAST(date_trunc('week', local_time($company_tz, l.mql_at)) AS DATE) AS mql_week,
        CASE WHEN l.assigned_at <= $as_of THEN l.assigned_at END AS assigned_at,
        CASE WHEN l.disposition_at IS NULL OR l.disposition_at <= $as_of THEN l.disposition END AS disposition,
        CASE WHEN l.disposition_at <= $as_of THEN l.disposition_at END AS disposition_at,
        CASE WHEN l.sql_at <= $as_of THEN l.sql_at END AS sql_at,
        coalesce(o.calendar_id, $company_tz || '|' || $company_country) AS calendar_id
    FROM leads_in AS l
    LEFT JOIN owners AS o ON o.rep_id = l.owner_id
    -- the tier map is read for a lead without a tier only
    LEFT JOIN tier_map AS t ON t.source_key = CASE WHEN l.tier IS NULL THEN lower(trim(l.source)) END
)

SELECT * FROM final
