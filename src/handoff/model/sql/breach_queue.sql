-- breach_queue: one row per handoff of the selection on the call list at $as_of (the breach
-- queue of DESIGN.md): untouched at $as_of, still inside its meeting window ($as_of <
-- window_end), and at least target - $warn_minutes business minutes past mql_at.
-- stage: `warning` while the elapsed business minutes are at most the target, `breached`
-- while at most target + $escalation_minutes, `escalated` beyond. Bounds are compared in whole
-- microseconds, so a lead exactly at a bound is in the stage the design says.
-- Order (the order a manager calls in): leads that can still be saved first (warning, least
-- time left), then the breached and escalated by tier (high, medium, low), newest first.
-- minutes_left = target - elapsed business minutes (negative: overdue by that much).
WITH untouched AS (
    SELECT
        *,
        minutes_to_us(age_business_minutes) AS elapsed_us,
        minutes_to_us(sla_target_business_minutes) AS target_us
    FROM handoff_scope($filters)
    WHERE NOT contacted
      AND $as_of < window_end
),

staged AS (
    SELECT
        *,
        CASE
            WHEN elapsed_us <= target_us THEN 'warning'
            WHEN elapsed_us <= target_us + minutes_to_us($escalation_minutes) THEN 'breached'
            ELSE 'escalated'
        END AS stage
    FROM untouched
    WHERE elapsed_us >= target_us - minutes_to_us($warn_minutes)
),

final AS (
    SELECT
        lead_id,
        owner_id,
        owner_name,
        company,
        title,
        source,
        tier,
        stage,
        mql_at,
        age_business_minutes AS elapsed_business_minutes,
        sla_target_business_minutes,
        sla_target_business_minutes - age_business_minutes AS minutes_left,
        team,
        campaign,
        window_end
    FROM staged
)

SELECT * FROM final
ORDER BY
    stage <> 'warning',
    CASE WHEN stage = 'warning' THEN minutes_left END,
    CASE tier WHEN 'high' THEN 0 WHEN 'medium' THEN 1 ELSE 2 END,
    mql_at DESC,
    lead_id
