-- owner_at(instant): as the DuckDB form, with Spark's max_by and min_by (a struct orders by
-- its fields in turn; a NULL owner is kept).
CASE
    WHEN max(changed_at) FILTER (WHERE changed_at <= {instant}) IS NULL
    THEN min_by(from_owner_id, {'at': changed_at, 'id': change_id})
    ELSE max_by(to_owner_id, {'at': changed_at, 'id': change_id}) FILTER (WHERE changed_at <= {instant})
END
