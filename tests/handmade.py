"""Small hand-made datasets built straight into an in-memory store, for the tests."""

from __future__ import annotations

import pandas as pd

from handoff.model import Model
from handoff.policy import Policy
from handoff.store import Store


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype="object") if rows else pd.DataFrame()


def build_store(**tables: list[dict]) -> Store:
    store = Store()
    for name in ("reps", "leads", "activities", "meetings", "opportunities"):
        rows = tables.get(name) or []
        if rows:
            store.upsert(name, frame(rows))
    return store


def build_model(policy: Policy | None = None, as_of: str | None = None, **tables: list[dict]) -> Model:
    store = build_store(**tables)
    return Model(store.con, policy or Policy(), pd.Timestamp(as_of).to_pydatetime() if as_of else None)


def facts(model: Model) -> dict[str, dict]:
    """The per-lead facts keyed by lead_id."""
    rows = model.lead_handoff().to_dict(orient="records")
    return {r["lead_id"]: r for r in rows}


# -- row builders: one canonical row each, with the fields a test does not care about filled.
# Unless a test says otherwise the owner is rep r1 (the `ny_rep` fixture: New York, US
# holidays) and T0 = Tue 2026-06-02 14:00Z = 10:00 EDT, a plain business day.
T0 = "2026-06-02T14:00:00Z"


def lead(lead_id: str, mql_at: str | None = T0, **extra) -> dict:
    return {"lead_id": lead_id, "created_at": mql_at or T0, "mql_at": mql_at, "owner_id": "r1",
            "source": "Webinar"} | extra


def act(activity_id: str, lead_id: str, at: str, **extra) -> dict:
    return {"activity_id": activity_id, "lead_id": lead_id, "occurred_at": at, "type": "call"} | extra


def meet(meeting_id: str, lead_id: str, at: str, **extra) -> dict:
    return {"meeting_id": meeting_id, "lead_id": lead_id, "booked_at": at} | extra


def opp(opportunity_id: str, lead_id: str, created_at: str, **extra) -> dict:
    return {"opportunity_id": opportunity_id, "lead_id": lead_id, "created_at": created_at} | extra


def minutes_after(at: str, minutes: float) -> str:
    """An ISO timestamp `minutes` (may be fractional or negative) after `at`."""
    return (pd.Timestamp(at) + pd.Timedelta(minutes=minutes)).isoformat()
