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
