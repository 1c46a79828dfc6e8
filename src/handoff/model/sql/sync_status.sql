-- sync_status: the last sync per source and object (the saved cursors).
SELECT source, object, cursor, updated_at
FROM sync_state
ORDER BY source, object
