-- lead_outcomes: per lead, the opportunities created from it by as_of: pipeline created,
-- whether one was won, and the won amount.
SELECT
    o.lead_id,
    count(*) AS opportunities,
    sum(coalesce(o.amount, 0)) AS pipeline_amount,
    bool_or(o.is_won AND coalesce(o.closed_at, o.created_at) <= $as_of) AS is_won,
    sum(o.amount) FILTER (WHERE o.is_won AND coalesce(o.closed_at, o.created_at) <= $as_of) AS won_amount
FROM opportunities AS o
WHERE o.lead_id IS NOT NULL AND o.created_at <= $as_of
GROUP BY o.lead_id
