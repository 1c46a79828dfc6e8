-- lead_handoff: the per-lead handoff facts, exactly per the design's metric definitions.
-- Business minutes are differences of business time in integer µs, so a response exactly
-- at its target is `met` and a touch exactly at the bucket bound falls in the lower bucket.
WITH joined AS (
    SELECT
        h.*,
        c.cal_no,
        c.bt_mql_us,
        c.bt_assigned_us,
        c.bt_asof_us,
        c.window_end,
        least(t.first_activity_at, m.first_booking_at) AS first_touch_at,
        coalesce(t.touches_in_window, 0) AS touches_in_window,
        coalesce(m.booked_in_window, false) AS booked_in_window,
        CAST(round(CASE h.tier
            WHEN 'high' THEN $sla_high
            WHEN 'medium' THEN $sla_medium
            ELSE $sla_low
        END * 60000000) AS BIGINT) AS target_us,
        coalesce(o.opportunities, 0) AS opportunities,
        coalesce(o.pipeline_amount, 0) AS pipeline_amount,
        coalesce(o.is_won, false) AS is_won,
        o.won_amount
    FROM handoffs AS h
    JOIN handoff_clock AS c USING (lead_no)
    LEFT JOIN lead_touches AS t USING (lead_no)
    LEFT JOIN lead_meetings AS m USING (lead_no)
    LEFT JOIN lead_outcomes AS o ON o.lead_id = h.lead_id
),

touch_clock AS (
    SELECT
        j.*,
        business_us(epoch_us(j.first_touch_at), b.cum_us, b.lo1, b.hi1, b.lo2, b.hi2) AS bt_touch_us
    FROM joined AS j
    LEFT JOIN business_hours AS b
        ON b.cal_no = j.cal_no AND b.hour_no = hour_no(epoch_us(j.first_touch_at))
),

timed AS (
    SELECT
        *,
        epoch_us(first_touch_at) - epoch_us(mql_at) AS response_us,
        bt_touch_us - bt_mql_us AS response_bt_us,
        greatest(bt_asof_us - bt_mql_us, 0) AS age_bt_us
    FROM touch_clock
),

final AS (
    SELECT
        lead_id,
        owner_id,
        tier,
        mql_at,
        first_touch_at,
        response_us / 60000000.0 AS response_minutes,
        response_bt_us / 60000000.0 AS response_business_minutes,
        target_us / 60000000.0 AS sla_target_business_minutes,
        CASE
            WHEN first_touch_at IS NOT NULL AND response_bt_us <= target_us THEN 'met'
            WHEN first_touch_at IS NOT NULL THEN 'breached'
            WHEN age_bt_us > target_us THEN 'breached'
            ELSE 'pending'
        END AS sla_status,
        CASE
            WHEN first_touch_at IS NULL THEN 'never'
            WHEN response_us <= 5 * 60000000::BIGINT THEN '0-5m'
            WHEN response_us <= 30 * 60000000::BIGINT THEN '5-30m'
            WHEN response_us <= 60 * 60000000::BIGINT THEN '30-60m'
            WHEN response_us <= 240 * 60000000::BIGINT THEN '1-4h'
            WHEN response_us <= 1440 * 60000000::BIGINT THEN '4-24h'
            WHEN response_us <= 4320 * 60000000::BIGINT THEN '1-3d'
            ELSE '3d+'
        END AS speed_bucket,
        window_end,
        CASE
            WHEN booked_in_window THEN true
            WHEN $as_of >= window_end THEN false
        END AS meeting_in_window,
        touches_in_window,
        disposition,
        CASE
            WHEN disposition IS NOT NULL AND disposition_at IS NOT NULL
            THEN epoch_us(disposition_at) - epoch_us(mql_at) <= $disposition_sla_hours * 3600000000
        END AS disposition_on_time,
        -- beyond the contract: what the aggregates and pages slice and show
        owner_name,
        team,
        assigned,
        first_touch_at IS NOT NULL AS contacted,
        source,
        campaign,
        segment,
        company,
        title,
        score,
        mql_date,
        mql_week,
        assigned_at,
        CASE WHEN assigned_at IS NOT NULL
            THEN greatest(bt_assigned_us - bt_mql_us, 0) / 60000000.0 END AS routing_business_minutes,
        CASE WHEN assigned_at IS NOT NULL AND first_touch_at IS NOT NULL
            THEN greatest(bt_touch_us - greatest(bt_assigned_us, bt_mql_us), 0) / 60000000.0
        END AS rep_business_minutes,
        age_bt_us / 60000000.0 AS age_business_minutes,
        CASE WHEN first_touch_at IS NULL THEN (target_us - age_bt_us) / 60000000.0 END AS sla_minutes_left,
        touches_in_window >= $cadence_target AS cadence_met,
        disposition_at,
        disposition = $accepting_code AS accepted,
        sql_at,
        sql_at IS NOT NULL AS is_sql,
        opportunities,
        pipeline_amount,
        is_won,
        won_amount
    FROM timed
)

SELECT * FROM final
