-- owner_at(input, instant, output): as the DuckDB form, by an equi-join on the lead: each row of
-- `instants` holds its owner until the lead's next change, so one row at most matches.
SELECT q.*, CASE WHEN i.changed_at IS NULL THEN q.first_owner_id ELSE i.owner_id END AS {output}
FROM {input} AS q
LEFT JOIN (
    SELECT *, lead(changed_at) OVER (PARTITION BY lead_no ORDER BY changed_at) AS next_at
    FROM instants
) AS i
    ON i.lead_no = q.lead_no
    AND q.{instant} >= i.changed_at
    AND (i.next_at IS NULL OR q.{instant} < i.next_at)
