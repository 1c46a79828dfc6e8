"""Where the model's data comes from: a store file, a folder of files, or the bundled sample."""

from __future__ import annotations

import os
from pathlib import Path

from handoff.policy import Policy
from handoff.sources.files import import_dir
from handoff.store import Store, snapshot

DEFAULT_DB = Path("handoff.duckdb")
SAMPLE_DIR = Path(os.environ.get("HANDOFF_SAMPLE_DATA", Path(__file__).resolve().parents[3] / "sample_data"))


def open_data(db: str | Path | None = None, data: str | Path | None = None, policy: Policy | None = None) -> Store:
    """An in-memory store for the model: `--data DIR`, else `--db PATH`, else the default
    database file when it exists, else the bundled sample data."""
    policy = policy or Policy()
    if data:
        store = Store()
        report = import_dir(store, data, policy)
        store.import_report = report
        return store
    if db:
        return snapshot(db)
    if DEFAULT_DB.exists():
        return snapshot(DEFAULT_DB)
    return open_sample(policy)


def open_sample(policy: Policy | None = None) -> Store:
    store = Store()
    store.import_report = import_dir(store, SAMPLE_DIR, policy or Policy())
    store.set_meta("origin", "sample")
    return store
