-- staffing_roster: one row per rep who answers new leads: the active reps whose role is
-- `$role` (case and surrounding spaces ignored), or every active rep when no active rep
-- has a role at all. Each with the timezone their business hours run in: their own, else
-- the company's. A missing `active` counts as active (the canonical default).
WITH active AS (
    SELECT
        rep_id,
        name,
        team,
        nullif(trim(role), '') AS role,
        coalesce(nullif(trim(timezone), ''), $company_tz) AS timezone
    FROM reps
    WHERE coalesce(active, true)
),

final AS (
    SELECT rep_id, name, team, role, timezone
    FROM active
    WHERE upper(role) = upper(trim($role))
       OR NOT EXISTS (SELECT 1 FROM active WHERE role IS NOT NULL)
)

SELECT * FROM final ORDER BY timezone, rep_id
