"""Data access, outside the model: which store the model computes on, and where it comes from.

    dataset = load(db=None, data=None, policy=policy)   # --data DIR, --db PATH, handoff.duckdb, the sample
    model = Model(dataset.store.con, policy)

A `Dataset` is an in-memory store plus how it was made (`origin`: files, database, sample,
upload) and, for files, the import's report. Database files are copied into memory
(`store.snapshot`), so neither the app nor a command holds the file while it reads; a sync
or an import opens the file for writing with `writable`. The sample data ships inside the
package (`handoff/sample_data/*.parquet`, package data), so a regular install finds it as well
as a checkout; `HANDOFF_SAMPLE_DATA` names another folder.

The model never opens anything: it receives a connection and computes. The app's pages
and the commands come here, not to the store.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from handoff.policy import Policy
from handoff.sources.files import ImportReport, import_dir
from handoff.store import Store, StoreBusy, StoreError, snapshot

__all__ = [
    "DEFAULT_DB",
    "SAMPLE_DIR",
    "Dataset",
    "Store",
    "StoreBusy",
    "StoreError",
    "load",
    "open_data",
    "open_sample",
    "sample",
    "sample_dir",
    "database",
    "import_folder",
    "writable",
]

DEFAULT_DB = Path("handoff.duckdb")


def sample_dir() -> Path:
    """The bundled sample's folder (HANDOFF_SAMPLE_DATA overrides it)."""
    env = os.environ.get("HANDOFF_SAMPLE_DATA")
    if env:
        return Path(env)
    return Path(str(resources.files("handoff") / "sample_data"))


SAMPLE_DIR = sample_dir()


@dataclass
class Dataset:
    """A store to compute on, where it came from, and the import report when it was read from files."""

    store: Store
    origin: str  # files, database, sample, upload
    report: ImportReport | None = None


def load(db: str | Path | None = None, data: str | Path | None = None, policy: Policy | None = None) -> Dataset:
    """`--data DIR`, else `--db PATH`, else the default database file when it exists, else
    the bundled sample data: as an in-memory store."""
    policy = policy or Policy()
    if data:
        return import_folder(data, policy, origin="files")
    if db:
        return Dataset(database(db), "database")
    if DEFAULT_DB.exists():
        return Dataset(database(DEFAULT_DB), "database")
    return sample(policy)


def open_data(db: str | Path | None = None, data: str | Path | None = None, policy: Policy | None = None) -> Store:
    """The store of `load(...)`."""
    return load(db, data, policy).store


def sample(policy: Policy | None = None) -> Dataset:
    dataset = import_folder(sample_dir(), policy or Policy(), origin="sample")
    dataset.store.set_meta("origin", "sample")
    return dataset


def open_sample(policy: Policy | None = None) -> Store:
    return sample(policy).store


def database(path: str | Path) -> Store:
    """An in-memory copy of a database file (the file is not held open)."""
    return snapshot(path)


def import_folder(
    folder: str | Path,
    policy: Policy,
    origin: str = "files",
    progress: Callable[[int, int | None, str], None] | None = None,
) -> Dataset:
    """A fresh in-memory store with a folder of canonical files imported (validated row by row)."""
    store = Store()
    report = import_dir(store, folder, policy, progress=progress)
    return Dataset(store, origin, report)


def writable(path: str | Path) -> Store:
    """The database file opened for writing (a sync or an import); close it when done."""
    return Store(path)
