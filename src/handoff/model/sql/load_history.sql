-- load_history: one row per load of the store (imports and syncs), newest first.
SELECT load_id, kind, source, started_at, finished_at, status, CAST(summary AS VARCHAR) AS summary
FROM loads
ORDER BY load_id DESC
