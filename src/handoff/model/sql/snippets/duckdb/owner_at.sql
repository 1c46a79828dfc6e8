-- owner_at(input, instant, output): the rows of `input` (a lead_no and first_owner_id each)
-- with `output`, the lead's owner at `instant`: the owner of the latest row of `instants` at or
-- before it (an ASOF join), else the lead's first from_owner_id.
SELECT q.*, CASE WHEN i.changed_at IS NULL THEN q.first_owner_id ELSE i.owner_id END AS {output}
FROM {input} AS q
ASOF LEFT JOIN instants AS i ON i.lead_no = q.lead_no AND q.{instant} >= i.changed_at
