"""Data access, outside the model: which store the model computes on, and where it comes from.

    dataset = load(db=None, data=None, policy=policy)   # --data DIR, --db PATH, handoff.duckdb, the sample
    model = Model(dataset.store.con, policy)

A `Dataset` is a store of its own plus how it was made (`origin`: files, database, sample,
upload) and, for files, the import's report. Database files are read from a private copy
(`store.snapshot`), so neither the app nor a command holds the file while it reads; a sync
or an import opens the file for writing with `writable`. The sample data ships inside the
package (`handoff/sample_data/*.parquet`, package data), so a regular install finds it as well
as a checkout; `HANDOFF_SAMPLE_DATA` names another folder.

The model never opens anything: it receives a connection and computes. The app's pages
and the commands come here, not to the store.

Files uploaded in the app replace the database file (`replace_with_files`); the file they
replace is kept beside it as `<name>.previous<suffix>` (`handoff.previous.duckdb`), and
`revert` swaps the two, so a revert can itself be reverted. `describe` says who loaded a
database file, what and when, for people to read.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from importlib import resources
from pathlib import Path

from handoff.policy import Policy, load_policy
from handoff.sources.files import FileReport, ImportReport, import_dir
from handoff.store import Store, StoreBusy, StoreError, first_line, snapshot, store_error

log = logging.getLogger(__name__)

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
    "Version",
    "describe",
    "previous_path",
    "replace_with_files",
    "revert",
    "record_loader",
    "loaders",
    "refresh_facts",
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
    """The bundled sample, imported once per policy and code version and kept in the cache
    folder with its per-lead facts (`sample_cache`), so a start reads it instead of
    validating the files and computing the facts again."""
    policy = policy or Policy()
    try:
        cached = _cached_sample(policy)
    except Exception:  # a cache that cannot be written or read: import as before
        cached = None
    if cached is not None:
        return cached
    dataset = import_folder(sample_dir(), policy, origin="sample")
    dataset.store.set_meta("origin", "sample")
    return dataset


SAMPLE_REPORT = "sample:import_report"


def cache_dir() -> Path:
    """Where derived files are kept between runs: HANDOFF_CACHE_DIR, else ~/.cache/handoff."""
    env = os.environ.get("HANDOFF_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "handoff"


def sample_cache(policy: Policy) -> Path:
    """The cached sample database for this policy, these sample files and this code: any
    change to one of them names another file."""
    from handoff.model import persist

    digest = hashlib.sha256(persist.fingerprint(policy).encode())
    folder = sample_dir()
    for path in sorted(folder.iterdir()):
        if path.is_file():
            info = path.stat()
            digest.update(f"{path.name}:{info.st_size}:{info.st_mtime_ns}".encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    return cache_dir() / f"sample-{digest.hexdigest()[:24]}.duckdb"


def _cached_sample(policy: Policy) -> Dataset | None:
    path = sample_cache(policy)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with _building(path):
            if not path.exists():  # another process may have built it while this one waited
                _build_sample(path, policy)
    store = snapshot(path)
    saved = json.loads(store.get_meta(SAMPLE_REPORT) or "{}")
    files = [FileReport(**f) for f in saved.pop("files", [])]
    return Dataset(store, "sample", ImportReport(files=files, **saved))


def _build_sample(path: Path, policy: Policy) -> None:
    partial = path.with_name(f"{path.stem}.{uuid.uuid4().hex[:12]}.partial")
    try:
        with Store(partial) as store:
            report = import_dir(store, sample_dir(), policy)
            store.set_meta("origin", "sample")
            store.set_meta(SAMPLE_REPORT, json.dumps(asdict(report)))
            refresh_facts(store, policy)
        os.replace(partial, path)
        _prune_sample_cache(path)
    finally:
        partial.unlink(missing_ok=True)
        Path(f"{partial}.wal").unlink(missing_ok=True)


@contextmanager
def _building(path: Path) -> Iterator[None]:
    """One process builds a cached sample at a time; the others wait for it and read its file
    (several app servers or test workers starting together would otherwise each build it).
    Where file locks are not available, each builds its own, as before."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(path.with_name(f"{path.stem}.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


SAMPLE_CACHE_KEEP = 8


def _prune_sample_cache(newest: Path) -> None:
    """Keep the most recently written sample databases (one per policy and code version):
    an upgrade or a policy edit names a new file, and the old ones would pile up."""
    cached = sorted(newest.parent.glob("sample-*.duckdb"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in cached[SAMPLE_CACHE_KEEP:]:
        if old != newest:
            old.unlink(missing_ok=True)
            old.with_name(f"{old.stem}.lock").unlink(missing_ok=True)


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


def writable(path: str | Path, policy: Policy | None = None) -> Store:
    """The database file opened for writing (a sync or an import); close it when done.
    Closing it brings the persisted per-lead facts up to date when the data changed
    (`refresh_facts`, under `policy`, default the working folder's handoff.toml)."""
    return _FactsStore(path, policy)


class _FactsStore(Store):
    """A writable store that brings the persisted facts up to date when it is closed (after
    a load that changed data, also one that stopped part-way: what it committed counts),
    unless Ctrl-C ended the load."""

    def __init__(self, path: str | Path, policy: Policy | None):
        super().__init__(path)
        self._policy = policy
        self._facts_done = False

    def close(self) -> None:
        try:
            if not self._facts_done:
                self._facts_done = True
                stale_all, changed = self.changed_leads()
                if stale_all or changed:
                    refresh_facts(self, self._policy)
        except Exception:  # never let the facts stop the file from closing
            pass
        finally:
            super().close()

    def __exit__(self, exc_type, *rest) -> None:
        if exc_type is not None and not issubclass(exc_type, Exception):
            self._facts_done = True  # interrupted: the next load or start computes them
        self.close()


def refresh_facts(store: Store, policy: Policy | None = None) -> str:
    """Bring the per-lead facts kept in a database file up to date after an import or a
    sync (`handoff.model.persist.refresh`, which writes them in one transaction), so the app and the commands
    read them instead of computing them. A fault while computing or writing them (DuckDB's
    memory limit, a full disk) leaves them stale: whoever opens the file next computes them.
    Returns what was done: current, incremental, full, none or stale; why they were left
    stale is logged as a warning (on the command line, one line on stderr)."""
    from handoff.model import persist

    try:
        return persist.refresh(store.con, policy or load_policy())
    except Exception as exc:  # the load itself is committed; the facts are computed when next opened
        log.warning(
            "handoff: the per-lead facts were not kept (%s); they are computed when the data is next opened",
            first_line(store_error(exc, store.path) or exc),
        )
        return "stale"


# -- replacing the database file, and going back ------------------------------------------------
_SWAP = threading.Lock()  # one replacement or revert at a time in this process
REPLACED_SAMPLE = "sample"  # meta `replaced`: the file replaced nothing (the sample was shown)


def previous_path(path: str | Path) -> Path:
    """Where the database file a replacement replaced is kept: `handoff.previous.duckdb`."""
    path = Path(path)
    return path.with_name(f"{path.stem}.previous{path.suffix}")


@dataclass
class Version:
    """A database file as people know it: when it was last loaded, by whom, with what."""

    path: Path
    loaded_at: datetime | None = None  # the latest load's end (its start while running)
    loaded_by: str | None = None
    kind: str | None = None  # upload, import, sync
    what: str = ""  # the files uploaded, the folder imported or the CRM synced
    counts: dict[str, int] = field(default_factory=dict)
    replaced_sample: bool = False  # it replaced the bundled sample (no file was there)
    readable: bool = True


def record_loader(store: Store, who: str, files: list[str] | None = None) -> None:
    """Note who made the store's latest load (and, for an upload, its file names)."""
    rows = store.con.execute("SELECT max(load_id) FROM loads").fetchall()
    load_id = rows[0][0] if rows else None
    if load_id is None:
        return
    if who:
        store.set_meta(f"load:{load_id}:by", who)
    if files is not None:
        store.set_meta(f"load:{load_id}:files", json.dumps(files))


def loaders(store: Store) -> dict[int, dict]:
    """load id -> {"by": name, "files": [names]} as `record_loader` noted them."""
    out: dict[int, dict] = {}
    for key, value in store.con.execute("SELECT key, value FROM meta WHERE key LIKE 'load:%'").fetchall():
        _, load_id, what = key.split(":", 2)
        if not load_id.isdigit():
            continue
        entry = out.setdefault(int(load_id), {})
        if what == "by":
            entry["by"] = value
        elif what == "files":
            try:
                entry["files"] = [str(f) for f in json.loads(value)]
            except (TypeError, ValueError):
                pass
    return out


def describe(path: str | Path) -> Version | None:
    """Who loaded the database file, what and when (None when there is no file). A file
    that cannot be read now (a sync holds it) is described as such."""
    path = Path(path)
    if not path.exists():
        return None
    try:
        store = Store(path, read_only=True, create=False)
    except StoreError:
        return Version(path, readable=False)
    try:
        return _describe(store, path)
    except Exception:  # an older or foreign file without the load tables
        return Version(path, readable=False)
    finally:
        store.close()


def _describe(store: Store, path: Path) -> Version:
    version = Version(path, counts=store.counts())
    version.replaced_sample = store.get_meta("replaced") == REPLACED_SAMPLE
    latest = store.con.execute(
        "SELECT load_id, kind, source, coalesce(finished_at, started_at) FROM loads ORDER BY load_id DESC LIMIT 1"
    ).fetchall()
    if latest:
        load_id, kind, source, at = latest[0]
        noted = loaders(store).get(load_id, {})
        version.kind, version.loaded_at, version.loaded_by = kind, at, noted.get("by")
        version.what = ", ".join(noted.get("files", [])) or str(source or "")
    return version


def replace_with_files(
    path: str | Path,
    folder: str | Path,
    policy: Policy,
    who: str,
    files: list[str],
    progress: Callable[[int, int | None, str], None] | None = None,
) -> ImportReport:
    """Import a folder of canonical files into a new database file and put it in place of
    `path`; the file it replaces is kept as `previous_path(path)` (an older kept file is
    discarded). A failed import changes nothing. Raises ImportError_ (from the import) or
    StoreError (busy, read-only, disk full)."""
    path = Path(path)
    incoming = path.with_name(f"{path.stem}.incoming-{uuid.uuid4().hex[:12]}{path.suffix}")
    try:
        store = Store(incoming)
        try:
            report = import_dir(store, folder, policy, progress=progress)
            refresh_facts(store, policy)
            with store.transaction():
                load_id = store.con.execute("SELECT max(load_id) FROM loads").fetchall()[0][0]
                store.con.execute(
                    "UPDATE loads SET kind = 'upload', source = ? WHERE load_id = ?", [", ".join(files), load_id]
                )
                record_loader(store, who, files)
                store.set_meta("origin", "upload")
                store.set_meta("origin_detail", ", ".join(files))
                if not path.exists():
                    store.set_meta("replaced", REPLACED_SAMPLE)
        finally:
            store.close()
        with _SWAP:
            previous = previous_path(path)
            if path.exists():
                _checkpoint(path)
                os.replace(path, previous)
            else:
                previous.unlink(missing_ok=True)
            os.replace(incoming, path)
    finally:
        incoming.unlink(missing_ok=True)
        Path(f"{incoming}.wal").unlink(missing_ok=True)
    return report


def _checkpoint(path: Path) -> None:
    """Open the file for writing once: refuses while another process holds it (StoreBusy),
    and closing it folds its write-ahead log into the file, so the file alone is complete."""
    Store(path, create=False).close()
    if Path(f"{path}.wal").exists():
        raise StoreError(f"{path} has an unfinished write-ahead log; open it once with handoff, then try again")


def revert(path: str | Path) -> None:
    """Swap the database file and the one it replaced. Where the file replaced the bundled
    sample, reverting removes it to the kept place (the sample shows again); reverting
    again brings it back. Raises ValueError when there is nothing to go back to, StoreError
    when the file is busy."""
    path = Path(path)
    previous = previous_path(path)
    with _SWAP:
        current = describe(path)
        if not previous.exists() and not (current is not None and current.replaced_sample):
            raise ValueError("There is no earlier data to go back to.")
        parked = path.with_name(f"{path.stem}.swap-{uuid.uuid4().hex[:12]}{path.suffix}")
        if path.exists():
            _checkpoint(path)
            os.replace(path, parked)
        if previous.exists():
            os.replace(previous, path)
        if parked.exists():
            os.replace(parked, previous)
