"""What a sync rejected, read back from the store, and the file import's wording it must use."""

from __future__ import annotations

from handoff.store import Store

INVISIBLE_ID = "id contains control or invisible characters (tab, NUL, zero-width space, ...)"
TOO_LARGE = "implausibly large (over 1,000,000,000,000)"


def rejects(store: Store) -> dict[str, tuple]:
    """record id -> (table, origin, column, reason, value) of each rejected record."""
    rows = store.con.execute('SELECT record_id, "table", file, "column", reason, value FROM rejects').fetchall()
    return {r[0]: r[1:] for r in rows}
