-- sync_status: one row per source and object: its last sync (the saved cursor).
SELECT source, object, cursor, updated_at
FROM sync_state
ORDER BY source, object
