"""Loading data from the Data page: uploaded files (through the validating import) and a
Salesforce sync. Both report progress through a callback the page draws."""

from __future__ import annotations

import importlib
import tempfile
from pathlib import Path
from typing import Any, Callable

import streamlit as st

from handoff.schema import TABLES
from handoff.sources.files import ImportError_, ImportReport, import_dir
from handoff.store import LoadSummary, Store
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
    store = Store()
    with tempfile.TemporaryDirectory(prefix="handoff-upload-") as tmp:
        for name, f in names.items():
            Path(tmp, name).write_bytes(f.getvalue())
        try:
            report = import_dir(store, tmp, state.policy(), progress=progress)
        except ImportError_ as exc:
            raise ValueError(f"Nothing was imported: {exc}") from None
    store.set_meta("origin", "upload")
    state.set_upload(store, report, ", ".join(sorted(names)))
    return report


def salesforce_module():
    """The Salesforce connector, or None when this installation has none."""
    try:
        return importlib.import_module("handoff.sources.salesforce")
    except ImportError:
        return None


def _secrets() -> dict | None:
    try:
        return st.secrets.to_dict()
    except Exception:  # no secrets.toml: credentials may still come from the environment
        return None


def salesforce_credentials(module) -> Any:
    """Configured credentials, or None. Raises ValueError for an incomplete set."""
    try:
        return module.credentials_from(_secrets())
    except Exception as exc:  # the connector's SyncError: a readable configuration problem
        raise ValueError(str(exc)) from None


def sync_salesforce(module, credentials: Any, full: bool, progress: Progress) -> LoadSummary:
    """Sync into the app's database file (HANDOFF_DB or handoff.duckdb), then show it.

    The file is opened only for the sync, so the command line can use it at other times.
    """
    path = state.db_path() or Path("handoff.duckdb")
    try:
        store = Store(path)
    except Exception as exc:
        raise ValueError(f"Could not open {path} for the sync (is another sync running?): {exc}") from None
    try:
        summary = module.sync(store, state.policy().connector_config("salesforce"), credentials, full=full, progress=progress)
    except Exception as exc:
        raise ValueError(f"The Salesforce sync stopped: {exc}") from None
    finally:
        store.close()
    state.clear_upload()
    return summary
