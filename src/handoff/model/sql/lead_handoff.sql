-- lead_handoff: one row per handoff, with its facts exactly per the design's metric
-- definitions. Business minutes are differences of business time in integer µs, so a
-- response exactly at its target is `met` and a touch exactly at a bucket's bound falls in
-- that (the lower) bucket. The speed buckets come from the `speed_buckets` table
-- (handoff.schema.SPEED_BUCKETS, loaded by the model). A lead with owner history takes its
-- assigned_at (so its routing delay), its reassignments and its breach owner from
-- lead_owner_history; one without keeps the leads file's assigned_at and its owner_id.
WITH joined AS (
    SELECT
        h.* EXCLUDE (assigned_at),
        c.cal_no,
        c.bt_mql_us,
        c.bt_asof_us,
        c.window_end,
        c.sla_due_at,
        c.target_us,
        oh.lead_no IS NOT NULL AS has_owner_history,
        CASE WHEN oh.lead_no IS NOT NULL THEN oh.assigned_at ELSE h.assigned_at END AS assigned_at,
        CASE WHEN oh.lead_no IS NOT NULL THEN oh.bt_assigned_us ELSE c.bt_assigned_us END AS bt_assigned_us,
        CASE WHEN oh.lead_no IS NOT NULL THEN oh.due_owner_id ELSE h.owner_id END AS due_owner_id,
        coalesce(oh.reassignments, 0) AS reassignments,
        coalesce(oh.escalated, false) AS reassigned_in_escalation,
        least(t.first_activity_at, m.first_booking_at) AS first_touch_at,
        coalesce(t.touches_in_window, 0) AS touches_in_window,
        coalesce(m.booked_in_window, false) AS booked_in_window,
        m.window_booking_at,
        coalesce(o.opportunities, 0) AS opportunities,
        coalesce(o.pipeline_amount, 0) AS pipeline_amount,
        coalesce(o.is_won, false) AS is_won,
        o.won_amount
    FROM handoffs AS h
    JOIN handoff_clock AS c USING (lead_no)
    LEFT JOIN lead_touches AS t USING (lead_no)
    LEFT JOIN lead_meetings AS m USING (lead_no)
    LEFT JOIN lead_outcomes AS o ON o.lead_id = h.lead_id
    LEFT JOIN lead_owner_history AS oh USING (lead_no)
),

touch_clock AS (
    SELECT
        j.*,
        business_us(to_us(j.first_touch_at), b.cum_us, b.lo1, b.hi1, b.lo2, b.hi2) AS bt_touch_us,
        business_us(to_us(j.window_booking_at), k.cum_us, k.lo1, k.hi1, k.lo2, k.hi2) AS bt_booking_us
    FROM joined AS j
    LEFT JOIN business_hours AS b
        ON b.cal_no = j.cal_no AND b.hour_no = hour_no(to_us(j.first_touch_at))
    LEFT JOIN business_hours AS k
        ON k.cal_no = j.cal_no AND k.hour_no = hour_no(to_us(j.window_booking_at))
),

timed AS (
    SELECT
        *,
        to_us(first_touch_at) - to_us(mql_at) AS response_us,
        bt_touch_us - bt_mql_us AS response_bt_us,
        greatest(bt_asof_us - bt_mql_us, 0) AS age_bt_us,
        minutes_to_us($day_minutes) AS day_us
    FROM touch_clock
),

-- the SLA status; a breached lead's breach came at sla_due_at, when its target was reached
judged AS (
    SELECT
        *,
        CASE
            WHEN first_touch_at IS NOT NULL AND response_bt_us <= target_us THEN 'met'
            WHEN first_touch_at IS NOT NULL THEN 'breached'
            WHEN age_bt_us > target_us THEN 'breached'
            ELSE 'pending'
        END AS sla_status
    FROM timed
),

-- the bucket whose bounds hold the wall-clock response (lower bound exclusive, upper
-- inclusive); an untouched handoff is in the one bucket for the never contacted
bucketed AS (
    SELECT t.*, b.name AS speed_bucket
    FROM judged AS t
    LEFT JOIN speed_buckets AS b
        ON b.contacted = (t.first_touch_at IS NOT NULL)
        AND (NOT b.contacted OR (
            (b.lower_minutes IS NULL OR t.response_us > minutes_to_us(b.lower_minutes))
            AND (b.upper_minutes IS NULL OR t.response_us <= minutes_to_us(b.upper_minutes))
        ))
),

final AS (
    SELECT
        lead_id,
        owner_id,
        tier,
        mql_at,
        first_touch_at,
        us_to_minutes(response_us) AS response_minutes,
        us_to_minutes(response_bt_us) AS response_business_minutes,
        us_to_minutes(target_us) AS sla_target_business_minutes,
        sla_status,
        speed_bucket,
        window_end,
        CASE
            WHEN booked_in_window THEN true
            WHEN $as_of >= window_end THEN false
        END AS meeting_in_window,
        touches_in_window,
        disposition,
        CASE
            WHEN disposition IS NOT NULL AND disposition_at IS NOT NULL
            THEN to_us(disposition_at) - to_us(mql_at) <= hours_to_us($disposition_sla_hours)
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
            THEN us_to_minutes(greatest(bt_assigned_us - bt_mql_us, 0)) END AS routing_business_minutes,
        has_owner_history,
        reassignments,
        CASE WHEN sla_status = 'breached' THEN sla_due_at END AS breach_at,
        CASE WHEN sla_status = 'breached' THEN due_owner_id END AS breach_owner_id,
        -- escalation: a breached lead reassigned to another owner within the escalation time
        -- after its breach; NULL while that time has not ended and no reassignment came
        CASE WHEN sla_status = 'breached' THEN
            CASE
                WHEN reassigned_in_escalation THEN true
                WHEN age_bt_us >= target_us + minutes_to_us($escalation_minutes) THEN false
            END
        END AS escalated,
        CASE WHEN assigned_at IS NOT NULL AND first_touch_at IS NOT NULL
            THEN us_to_minutes(greatest(bt_touch_us - greatest(bt_assigned_us, bt_mql_us), 0))
        END AS rep_business_minutes,
        us_to_minutes(age_bt_us) AS age_business_minutes,
        CASE WHEN first_touch_at IS NULL THEN us_to_minutes(target_us - age_bt_us) END AS sla_minutes_left,
        touches_in_window >= $cadence_target AS cadence_met,
        disposition_at,
        disposition IS NULL
            AND to_us($as_of) - to_us(mql_at) > hours_to_us($disposition_sla_hours) AS disposition_overdue,
        disposition = $accepting_code AS accepted,
        -- young cohorts: whole business days since mql_at at as_of, and business days from
        -- mql_at to the first meeting booked in the window (the booking curve's input)
        age_bt_us // day_us AS elapsed_business_days,
        CASE WHEN booked_in_window THEN (bt_booking_us - bt_mql_us) / day_us END AS booking_business_days,
        -- marketing's delivery: the lead came with its context
        -- (a value is non-empty when it has a character trim keeps; one that starts with a
        -- printable ASCII character other than `~` has, which saves the trim of nearly every
        -- value)
        CASE WHEN source >= '!' AND source < '~' THEN true ELSE nullif(trim(source), '') IS NOT NULL END
            AND CASE WHEN campaign >= '!' AND campaign < '~' THEN true ELSE nullif(trim(campaign), '') IS NOT NULL END
            AND CASE WHEN company >= '!' AND company < '~' THEN true ELSE nullif(trim(company), '') IS NOT NULL END
            AND CASE WHEN title >= '!' AND title < '~' THEN true ELSE nullif(trim(title), '') IS NOT NULL END
            AND CASE WHEN segment >= '!' AND segment < '~' THEN true ELSE nullif(trim(segment), '') IS NOT NULL END
            AS data_complete,
        sql_at,
        sql_at IS NOT NULL AS is_sql,
        opportunities,
        pipeline_amount,
        is_won,
        won_amount
    FROM bucketed
)

SELECT * FROM final
