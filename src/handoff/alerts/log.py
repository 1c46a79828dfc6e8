"""What was sent: the store's `alerts_sent` and `alert_failures` tables.

A (lead, stage, destination) row is written only after the destination accepted it (a 2xx
answer, an SMTP server's acceptance), one transaction per accepted message, so a run killed
half-way repeats at most the message in flight. Failures keep the destination's name, an
error kind (never a URL, an address's password or a server's full answer) and how many
alerts were left pending for the next run. Values are bound parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from handoff.store import Store


class AlertLog:
    """The sent-alerts log of one store."""

    def __init__(self, store: Store):
        self.store = store

    def sent(self, destination: str) -> dict[str, set[str]]:
        """The stages already sent to `destination`, per lead."""
        rows = self.store.con.execute(
            "SELECT lead_id, stage FROM alerts_sent WHERE destination = ?", [destination]
        ).fetchall()
        out: dict[str, set[str]] = {}
        for lead_id, stage in rows:
            out.setdefault(lead_id, set()).add(stage)
        return out

    def mark_sent(self, destination: str, keys: Iterable[tuple[str, str]], as_of: datetime) -> None:
        rows = [[lead, stage, destination, datetime.now(UTC), as_of] for lead, stage in keys]
        if not rows:
            return
        with self.store.transaction():
            self.store.con.executemany("INSERT OR IGNORE INTO alerts_sent VALUES (?, ?, ?, ?, ?)", rows)

    def failed(self, destination: str, error: str, pending: int, as_of: datetime) -> None:
        self.store.con.execute(
            "INSERT INTO alert_failures VALUES (?, ?, ?, ?, ?)",
            [destination, datetime.now(UTC), error, int(pending), as_of],
        )
