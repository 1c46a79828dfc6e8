"""Loading data from the Data page: uploaded files (through the validating import) and a sync
of any registered CRM connector. Both report progress through a callback the page draws.

Nothing here knows a connector by name: the page loops over `connectors()`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from handoff import data as datasets
from handoff.schema import TABLES
from handoff.sources import registry
from handoff.sources.connector import Connector, ConnectorSettings
from handoff.sources.files import ImportError_, ImportReport
from handoff.sources.runner import ONE_TIER_PREFIX
from handoff.sources.runner import run as run_sync
from handoff.ui import state

CANONICAL = {t.name for t in TABLES}
SUFFIXES = (".csv", ".parquet")
Progress = Callable[[int, "int | None", str], None]


def canonical_name(file_name: str) -> str | None:
    """`leads.csv` -> `leads.csv`; None when the name is not a canonical table file."""
    path = Path(file_name)
    stem, suffix = path.stem.strip().lower(), path.suffix.lower()
    if stem in CANONICAL and suffix in SUFFIXES:
        return f"{stem}{suffix}"
    return None


def import_uploads(files: list[Any], progress: Progress) -> ImportReport:
    """Import uploaded files into a fresh in-memory store and make it the app's data.

    Raises ValueError with a readable message when a name is not a canonical table or the
    import fails as a whole (then the data shown does not change).
    """
    names = {}
    for f in files:
        name = canonical_name(f.name)
        if name is None:
            raise ValueError(
                f"{f.name!r} is not one of the canonical files: "
                + ", ".join(f"{t}.csv/.parquet" for t in sorted(CANONICAL))
            )
        names[name] = f
    with tempfile.TemporaryDirectory(prefix="handoff-upload-") as tmp:
        for name, f in names.items():
            Path(tmp, name).write_bytes(f.getvalue())
        try:
            dataset = datasets.import_folder(tmp, state.policy(), origin="upload", progress=progress)
        except ImportError_ as exc:
            raise ValueError(f"Nothing was imported: {exc}") from None
    report = dataset.report
    if report is None:  # an import always reports; this keeps the type honest
        raise ValueError("Nothing was imported.")
    dataset.store.set_meta("origin", "upload")
    state.set_upload(dataset.store, report, ", ".join(sorted(names)))
    return report


# -- CRM connectors -------------------------------------------------------------------------------
def connectors() -> list[Connector]:
    """The registered connectors this installation can use, in registry order."""
    return registry.available()


def _secrets() -> dict | None:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml: credentials may still come from the environment
        return None


def credentials(connector: Connector) -> Any:
    """Configured credentials, or None. Raises ValueError for an incomplete or malformed set
    (naming the setting, never its value)."""
    try:
        return connector.credentials(_secrets())
    except Exception as exc:  # the connector's SyncError: a readable configuration problem
        raise ValueError(str(exc)) from None


def settings(connector: Connector) -> ConnectorSettings:
    """The connector's validated `[name]` table of handoff.toml; ValueError naming a bad setting."""
    try:
        return connector.settings(state.policy().connector_config(connector.name))
    except Exception as exc:
        raise ValueError(str(exc)) from None


def settings_table(connector: Connector) -> pd.DataFrame:
    """The connector's settings in force, one row each, for people to read."""
    return pd.DataFrame(settings(connector).rows(), columns=["Setting", "Value", "Meaning"])


@dataclass
class LastSync:
    cursors: pd.DataFrame  # object, cursor, updated_at
    status: str | None  # ok, stopped, failed, running
    finished_at: Any
    notes: list[str]


def last_sync(connector: Connector) -> LastSync:
    """The connector's saved cursors and its latest load in the data shown."""
    import json

    from handoff.model import views

    model = state.current().model
    cursors = views.sync_status(model)
    cursors = cursors[cursors["source"] == connector.name].drop(columns="source")
    loads = views.load_history(model)
    loads = loads[(loads["source"] == connector.name) & (loads["kind"] == "sync")]
    if loads.empty:
        return LastSync(cursors, None, None, [])
    latest = loads.iloc[0]
    try:
        notes = list(json.loads(latest["summary"] or "{}").get("notes", []))
    except (TypeError, ValueError):
        notes = []
    finished = latest["finished_at"]
    return LastSync(cursors, latest["status"], None if pd.isna(finished) else finished, notes)


def sync(connector: Connector, creds: Any, full: bool, progress: Progress):
    """Sync into the app's database file (HANDOFF_DB or handoff.duckdb), then show it.

    The file is opened only for the sync, so the command line can use it at other times.
    """
    path = state.db_path() or datasets.DEFAULT_DB
    config = settings(connector)
    try:
        store = datasets.writable(path)
    except Exception as exc:
        raise ValueError(f"Could not open {path} for the sync (is another sync running?): {exc}") from None
    try:
        summary = run_sync(
            connector, store, config, creds, full=full, progress=progress, tier_map=state.policy().tier_map
        )
    except Exception as exc:
        raise ValueError(f"The {connector.label} sync stopped: {exc}") from None
    finally:
        store.close()
    state.clear_upload()
    return summary


def summary_table(summary) -> pd.DataFrame:
    """Rows added, changed, deleted and rejected per table."""
    tables = sorted(set(summary.added) | set(summary.changed) | set(summary.deleted) | set(summary.rejected))
    return pd.DataFrame(
        [
            (
                t,
                summary.added.get(t, 0),
                summary.changed.get(t, 0),
                summary.deleted.get(t, 0),
                summary.rejected.get(t, 0),
            )
            for t in tables
        ],
        columns=["table", "added", "changed", "deleted", "rejected"],
    )


def is_one_tier_note(note: str) -> bool:
    return note.startswith(ONE_TIER_PREFIX)
