"""Loading data from the Data page: uploaded files (through the validating import) and a sync
of any registered CRM connector. Both report progress through a callback the page draws.

Nothing here knows a connector by name: the page loops over `connectors()`.
"""

from __future__ import annotations

import getpass
import json
import os
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


def target() -> Path:
    """The database file uploads and syncs write: HANDOFF_DB, else handoff.duckdb."""
    return state.db_path() or datasets.DEFAULT_DB


def default_loader() -> str:
    """Who is loading, as far as the app knows: the signed-in user (st.login), else the
    account the app runs under. People can type another name."""
    try:
        if st.user.is_logged_in:
            return str(st.user.get("email") or st.user.get("name") or "")
    except Exception:  # no sign-in configured
        pass
    try:
        return getpass.getuser()
    except Exception:  # no user name in this environment
        return ""


def upload_names(files: list[Any]) -> list[str]:
    """The canonical names of uploaded files (`Leads.CSV` -> `leads.csv`); ValueError naming
    a file that is not one of the canonical tables, or two files for one table."""
    names: dict[str, str] = {}
    for f in files:
        name = canonical_name(f.name)
        if name is None:
            raise ValueError(
                f"{f.name!r} is not one of the canonical files: "
                + ", ".join(f"{t}.csv/.parquet" for t in sorted(CANONICAL))
            )
        table = Path(name).stem
        if table in names:
            raise ValueError(f"Two files for the {table} table ({names[table]} and {f.name}): upload one.")
        names[table] = name
    return [names[t] for t in sorted(names)]


def import_uploads(files: list[Any], who: str, progress: Progress) -> ImportReport:
    """Import uploaded files (the same validating import as `handoff import`) into a new
    database file that replaces the app's database for everyone; the replaced file is kept
    so `revert()` can bring it back. Raises ValueError with a readable message when a name
    is not a canonical table or the import fails as a whole (then nothing changes)."""
    names = upload_names(files)
    with tempfile.TemporaryDirectory(prefix="handoff-upload-") as tmp:
        for f in files:
            Path(tmp, canonical_name(f.name) or "").write_bytes(f.getvalue())
        try:
            report = datasets.replace_with_files(target(), tmp, state.policy(), who.strip(), names, progress=progress)
        except ImportError_ as exc:
            raise ValueError(f"Nothing was imported: {exc}") from None
        except datasets.StoreError as exc:
            raise ValueError(f"Nothing was replaced: {exc}.") from None
    state.clear_upload()
    return report


# -- what is loaded, what came before --------------------------------------------------------------
SAMPLE = "sample"


@st.cache_data(max_entries=16, show_spinner=False)
def _describe(path: str, stamp: tuple) -> datasets.Version | None:
    return datasets.describe(path)


def _stamp(path: Path) -> tuple:
    try:
        info = path.stat()
    except OSError:
        return ()
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def version(path: Path) -> datasets.Version | None:
    """Who loaded the database file, what and when (None: no file)."""
    return _describe(str(path), _stamp(path))


def current_version() -> datasets.Version | None:
    """The database file the app shows (None: the bundled sample is shown)."""
    path = target()
    return version(path) if path.exists() else None


def previous_version() -> datasets.Version | str | None:
    """What a revert brings back: the kept file's version, SAMPLE (the sample data, which
    the current file replaced), or None (nothing to go back to)."""
    path = target()
    kept = datasets.previous_path(path)
    if kept.exists():
        return version(kept)
    current = current_version()
    if current is not None and current.replaced_sample and not os.environ.get("HANDOFF_DB"):
        return SAMPLE
    return None


def revert() -> None:
    """Swap the database file with the one it replaced (ValueError in words when it cannot)."""
    try:
        datasets.revert(target())
    except datasets.StoreError as exc:
        raise ValueError(f"Nothing was changed: {exc}.") from None
    _describe.clear()
    state.clear_upload()


def when(instant: Any) -> str:
    """An instant for people, in the company timezone: `3 Dec 2025, 14:05 EST`."""
    if instant is None or pd.isna(instant):
        return "an unknown time"
    stamp = pd.Timestamp(instant)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    local = stamp.tz_convert(state.policy().timezone)
    return f"{local.day} {local:%b %Y, %H:%M} {local.tzname()}"


KINDS = {"upload": "files uploaded", "import": "files imported", "sync": "a sync"}


def describe_version(v: datasets.Version | str | None) -> str:
    """A data version in one line: `files uploaded by ann on 3 Dec 2025, 14:05 EST (leads.csv):
    2,000 leads`."""
    if v is None or v == SAMPLE:
        return "the bundled sample data"
    assert isinstance(v, datasets.Version)
    if not v.readable:
        return f"the database {v.path.name} (busy or unreadable just now)"
    what = _source_words(v.kind, v.what)
    by = f" by {v.loaded_by}" if v.loaded_by else ""
    leads = v.counts.get("leads", 0)
    if v.kind is None:
        return f"the database {v.path.name}: {leads:,} leads"
    return f"{what}{by} on {when(v.loaded_at)}: {leads:,} leads"


def _source_words(kind: str | None, source: str) -> str:
    if kind == "upload":
        return f"files uploaded ({source})"
    if kind == "import":
        return f"files imported from the folder {Path(source).name or source}"
    if kind == "sync":
        label = next((c.label for c in connectors() if c.name == source), source)
        return f"{label} sync"
    return source or "data"


STATUS = {
    "ok": "",
    "rejects": "",
    "running": " (still running)",
    "stopped": " (stopped at the CRM's API limit; run it again to continue)",
    "failed": " (failed; nothing from it was kept)",
}


def load_log() -> list[str]:
    """Every load of the data shown, newest first, in words: `3 Dec 2025, 14:05 EST — leads.csv:
    2,000 rows added, 3 rejected; ... — by ann`."""
    from handoff.model import views

    data = state.current()
    loads = views.load_history(data.model)
    noted = datasets.loaders(data.store)
    lines = []
    for row in loads.itertuples(index=False):
        extra = noted.get(int(row.load_id), {})
        files = {Path(f).stem: f for f in extra.get("files", [])}
        try:
            summary = json.loads(row.summary or "{}")
        except (TypeError, ValueError):
            summary = {}
        parts = _table_words(summary, files)
        notes = [str(n) for n in summary.get("notes", [])]
        at = row.finished_at if not pd.isna(row.finished_at) else row.started_at
        head = f"{when(at)} — {_source_words(row.kind, row.source)}{STATUS.get(row.status, '')}"
        text = head + (": " + "; ".join(parts) if parts else ": nothing changed" if row.status != "running" else "")
        if notes:
            text += ". " + ". ".join(n.rstrip(".") for n in notes) + "."
        if extra.get("by"):
            text += f" Loaded by {extra['by']}."
        lines.append(text)
    return lines


def _table_words(summary: dict, files: dict[str, str]) -> list[str]:
    """`leads.csv: 2,000 rows added, 3 rejected` per table a load touched."""
    out = []
    tables = [t.name for t in TABLES]
    for table in tables:
        counts = [(kind, int((summary.get(kind) or {}).get(table, 0) or 0)) for kind in KIND_WORDS]
        said = [f"{n:,} {KIND_WORDS[kind]}" for kind, n in counts if n]
        if said:
            out.append(f"{files.get(table, table.replace('_', ' '))}: " + ", ".join(said))
    return out


KIND_WORDS = {"added": "rows added", "changed": "changed", "deleted": "deleted", "rejected": "rejected"}


SYNC_WORDS = {
    "ok": "finished",
    "rejects": "finished, with rejected rows",
    "running": "still running",
    "stopped": "stopped at the CRM's API limit",
    "failed": "failed",
}


def status_words(status: str | None) -> str:
    return SYNC_WORDS.get(status or "", status or "unknown")


def report_lines(report: ImportReport) -> list[str]:
    """What an import did, per file, in words."""
    lines = []
    for f in report.files:
        said = [f"{f.rows:,} rows read", f"{f.added:,} added"]
        if f.changed:
            said.append(f"{f.changed:,} changed")
        said.append(f"{f.rejected:,} rejected")
        lines.append(f"{f.file}: " + ", ".join(said))
    return lines


REJECT_HEADERS = {
    "table": "Table",
    "file": "File",
    "line": "Line",
    "column": "Column in the file",
    "reason": "Problem",
    "value": "Value",
    "record_id": "Record",
}


def rejects_for_people(rejects: pd.DataFrame) -> pd.DataFrame:
    """Rejected rows with headers in words (and without the store's bookkeeping)."""
    frame = rejects.drop(columns=[c for c in ("load_id",) if c in rejects.columns])
    return frame.rename(columns=REJECT_HEADERS)


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


CURSOR_HEADERS = {"object": "CRM object", "cursor": "Read up to (UTC)", "updated_at": "Saved at (UTC)"}


@dataclass
class LastSync:
    cursors: pd.DataFrame  # object, cursor, updated_at
    status: str | None  # ok, stopped, failed, running
    finished_at: Any
    notes: list[str]


def last_sync(connector: Connector) -> LastSync:
    """The connector's saved cursors and its latest load in the data shown."""
    from handoff.model import views

    model = state.current().model
    cursors = views.sync_status(model)
    cursors = cursors[cursors["source"] == connector.name].drop(columns="source").rename(columns=CURSOR_HEADERS)
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


def sync(connector: Connector, creds: Any, full: bool, progress: Progress, who: str = ""):
    """Sync into the app's database file (HANDOFF_DB or handoff.duckdb), then show it; the
    load log notes `who` ran it.

    The file is opened only for the sync, so the command line can use it at other times.
    """
    path = target()
    config = settings(connector)
    try:
        store = datasets.writable(path)
    except Exception as exc:
        raise ValueError(f"Could not open {path} for the sync (is another sync running?): {exc}") from None
    try:
        policy = state.policy()
        summary = run_sync(
            connector, store, config, creds, full=full, progress=progress, tier_map=policy.tier_map, policy=policy
        )
    except Exception as exc:
        raise ValueError(f"The {connector.label} sync stopped: {exc}") from None
    else:
        datasets.record_loader(store, who.strip())
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
        columns=["Table", "Added", "Changed", "Deleted", "Rejected"],
    )


def is_one_tier_note(note: str) -> bool:
    return note.startswith(ONE_TIER_PREFIX)
