"""Which data the app shows, and the one cached `Model` per data version.

Data source, in order: files uploaded on the Data page (until the next upload or sync),
`HANDOFF_DB` or `handoff.duckdb` (copied into memory with `snapshot` and reloaded when
the file's modification time changes, so a sync from the command line shows up), else
the bundled sample. Query results are cached per (data version, question, filters).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from handoff.data import DEFAULT_DB, Store, StoreBusy, database, sample
from handoff.model import Filters, Model, views
from handoff.policy import Policy, load_policy


@dataclass
class Data:
    """A loaded data version: its store, the model built on it and where it came from."""

    key: str
    origin: str  # sample, database, upload
    detail: str
    store: Store
    model: Model
    import_report: Any = None
    notes: list[str] = field(default_factory=list)


def db_path() -> Path | None:
    """The database the app reads: HANDOFF_DB, else handoff.duckdb when it exists."""
    env = os.environ.get("HANDOFF_DB")
    if env:
        return Path(env)
    return DEFAULT_DB if DEFAULT_DB.exists() else None


@st.cache_resource(show_spinner=False)
def policy() -> Policy:
    return load_policy()


@st.cache_resource(show_spinner=False)
def uploads() -> dict:
    """The app-wide slot holding data uploaded on the Data page (shared by all sessions)."""
    return {}


@st.cache_resource(show_spinner="Loading data and computing the handoff facts...", max_entries=3)
def _load(key: str) -> Data:
    pol = policy()
    kind, _, rest = key.partition(":")
    if kind == "sample":
        dataset = sample(pol)
        return Data(key, "sample", "bundled sample data", dataset.store, Model(dataset.store.con, pol), dataset.report)
    path = Path(rest.rsplit("@", 1)[0])
    store = database(path)
    return Data(key, "database", str(path), store, Model(store.con, pol))


def current() -> Data:
    """The data the app shows now (cached; a changed database file gives a new version)."""
    uploaded = uploads().get("data")
    if uploaded is not None:
        return uploaded
    path = db_path()
    if path is not None:
        if not path.exists():
            raise ValueError(f"HANDOFF_DB names {path}, which does not exist.")
        try:
            data = _load(f"db:{path.resolve()}@{path.stat().st_mtime_ns}")
        except StoreBusy as exc:
            last = last_loaded().get("data")
            if last is None:
                raise ValueError(f"{exc} Try again when it has finished.") from None
            return replace(last, notes=[f"Showing the data loaded before: {exc}"])
        last_loaded()["data"] = data
        return data
    return _load("sample")


@st.cache_resource(show_spinner=False)
def last_loaded() -> dict:
    """The last database version loaded, shown while the file is busy with a sync."""
    return {}


def set_upload(store: Store, report: Any, name: str) -> Data:
    """Make an imported store the app's data (replacing the previous upload)."""
    pol = policy()
    model = Model(store.con, pol)
    key = f"upload:{name}:{id(store)}"
    data = Data(key, "upload", name, store, model, report)
    uploads()["data"] = data
    return data


def clear_upload() -> None:
    uploads().pop("data", None)


# -- cached questions ----------------------------------------------------------------------
QUESTIONS: dict[str, Callable[..., pd.DataFrame]] = {
    name: getattr(views, name)
    for name in (
        "overall",
        "weeks",
        "this_week",
        "top_rejections",
        "sla_by_team",
        "sla_trend",
        "speed_distribution",
        "delays",
        "call_list",
        "rep_table",
        "rep_distribution",
        "rep_leads",
        "disposition_trend",
        "acceptance_by_week",
        "rejection_reasons",
        "undispositioned",
        "meeting_rate",
        "conversion_by_speed",
        "leak_calibration",
        "rep_scorecard",
        "never_contacted",
        "routing_delay",
        "recent_undispositioned",
    )
}


@st.cache_data(max_entries=512, show_spinner=False)
def _answer(data_key: str, name: str, filters_key: str, kwargs: tuple, _model: Model, _filters: Filters):
    return QUESTIONS[name](_model, _filters, **dict(kwargs))


def ask(name: str, filters: Filters, **kwargs: Any):
    """A view's answer for the current data, cached by data version, filters and arguments."""
    data = current()
    return _answer(data.key, name, repr(filters), tuple(sorted(kwargs.items())), data.model, filters)


@st.cache_data(max_entries=16, show_spinner=False)
def _options(data_key: str, _model: Model) -> dict:
    return views.filter_options(_model)


def filter_options() -> dict:
    data = current()
    return _options(data.key, data.model)
