-- recent_rejects: one row per record the loads rejected, with its file, line, column and
-- reason (the store's rejects table as it is), newest load first.
SELECT *
FROM rejects
ORDER BY load_id DESC, file, line
LIMIT $limit
