-- owner_at(instant): in a query over `changes` grouped by lead, the lead's owner at `instant`:
-- the to_owner_id of its latest change at or before it (of changes at the same instant, the
-- greater change_id), else its first change's from_owner_id (a NULL owner kept either way).
CASE
    WHEN max(changed_at) FILTER (WHERE changed_at <= {instant}) IS NULL
    THEN arg_min_null(from_owner_id, {'at': changed_at, 'id': change_id})
    ELSE arg_max_null(to_owner_id, {'at': changed_at, 'id': change_id}) FILTER (WHERE changed_at <= {instant})
END
