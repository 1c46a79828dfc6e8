-- recent_rejects: rows the loads rejected, with file, line, column and reason (newest load first).
SELECT load_id, "table", file, line, "column", reason, "value", record_id
FROM rejects
ORDER BY load_id DESC, file, line
LIMIT $limit
