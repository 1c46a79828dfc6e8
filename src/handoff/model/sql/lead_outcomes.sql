-- lead_outcomes: one row per lead with an opportunity created by as_of: the pipeline
-- created, whether one was won, and the won amount.
SELECT
    o.lead_id,
    count(*) AS opportunities,
    sum(coalesce(o.amount, 0)) AS pipeline_amount,
    bool_or(o.is_won AND coalesce(o.closed_at, o.created_at) <= $as_of) AS is_won,
    sum(o.amount) FILTER (WHERE o.is_won AND coalesce(o.closed_at, o.created_at) <= $as_of) AS won_amount
FROM opportunities AS o
WHERE o.lead_id IS NOT NULL AND o.created_at <= $as_of
GROUP BY o.lead_id
