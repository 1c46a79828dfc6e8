"""The store: a DuckDB database with the canonical tables, upserts by id and sync state.

Every source (file import, generator, Salesforce, HubSpot) writes through `Store.upsert`
and `Store.delete` inside `Store.transaction()`, so a load either lands whole or not at all.
All timestamps are TIMESTAMPTZ and the session time zone is pinned to UTC, so the machine's
TZ never changes a stored value or a result.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from handoff.schema import BY_NAME, REJECT_COLUMNS, SQL_TYPES, TABLES, Table

_view_ids = itertools.count()


def _reject_type(column: str) -> str:
    return "BIGINT" if column == "line" else "VARCHAR"


META_DDL = """
CREATE TABLE IF NOT EXISTS sync_state (
    source VARCHAR, object VARCHAR, cursor TIMESTAMPTZ, updated_at TIMESTAMPTZ,
    PRIMARY KEY (source, object));
CREATE TABLE IF NOT EXISTS loads (
    load_id INTEGER PRIMARY KEY, kind VARCHAR, source VARCHAR, started_at TIMESTAMPTZ,
    finished_at TIMESTAMPTZ, status VARCHAR, summary JSON);
CREATE TABLE IF NOT EXISTS rejects (load_id INTEGER, {rejects_columns});
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS alerts_sent (
    lead_id VARCHAR, stage VARCHAR, destination VARCHAR, sent_at TIMESTAMPTZ, as_of TIMESTAMPTZ,
    PRIMARY KEY (lead_id, stage, destination));
CREATE TABLE IF NOT EXISTS alert_failures (
    destination VARCHAR, failed_at TIMESTAMPTZ, error VARCHAR, pending INTEGER, as_of TIMESTAMPTZ);
CREATE TABLE IF NOT EXISTS lead_changes (lead_id VARCHAR PRIMARY KEY);
""".format(rejects_columns=", ".join(f'"{c}" {_reject_type(c)}' for c in REJECT_COLUMNS))


# Leads whose canonical rows (or their activities, meetings, opportunities, owner changes)
# were added, changed or deleted since the persisted per-lead facts were last brought up to
# date (`handoff.model.persist`); the meta key STALE_ALL says every lead's facts are stale
# (a bulk load into an empty table, a change to the reps).
META_TABLES = ("sync_state", "loads", "rejects", "meta", "alerts_sent", "alert_failures", "lead_changes")
# Tables the model derives from the data and keeps in the file (handoff.model.persist).
DERIVED_TABLES = ("lead_facts", "lead_facts_clock")
STALE_ALL = "lead_facts:stale_all"


def table_ddl(table: Table) -> str:
    cols = [f'"{c.name}" {SQL_TYPES[c.kind]}' for c in table.columns]
    cols.append("extra JSON")
    return f'CREATE TABLE IF NOT EXISTS {table.name} ({", ".join(cols)}, PRIMARY KEY ("{table.key}"))'


@dataclass
class UpsertResult:
    added: int = 0
    changed: int = 0  # existing ids whose values differ; identical rows count as neither


@dataclass
class LoadSummary:
    """What a load did, per table; printed by the CLI and shown on the Data page."""

    added: dict[str, int] = field(default_factory=dict)
    changed: dict[str, int] = field(default_factory=dict)
    deleted: dict[str, int] = field(default_factory=dict)
    rejected: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def count(self, kind: str, table: str, n: int) -> None:
        bucket = getattr(self, kind)
        bucket[table] = bucket.get(table, 0) + int(n)

    def total(self, kind: str) -> int:
        return sum(getattr(self, kind).values())

    def as_dict(self) -> dict:
        return {
            "added": self.added,
            "changed": self.changed,
            "deleted": self.deleted,
            "rejected": self.rejected,
            "notes": self.notes,
        }


def connect(path: str | Path | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection in UTC; a file that cannot be opened raises a `StoreError`."""
    if path:
        check_database_path(path)
    try:
        con = duckdb.connect(str(path) if path else ":memory:", read_only=read_only)
    except duckdb.Error as exc:
        raise open_error(exc, path) from None
    con.execute("SET GLOBAL TimeZone = 'UTC'")
    limit_memory(con, file_backed=bool(path))
    return con


# DuckDB's own default is 80% of the machine's memory; a bounded limit makes the large
# statements (the import's checks, the per-lead facts) spill to disk instead of growing.
DEFAULT_MEMORY_LIMIT = "1GB"
MEMORY_RE = re.compile(r"^[0-9]+(\.[0-9]+)? ?([KMGT]i?B)$")


def limit_memory(con: duckdb.DuckDBPyConnection, file_backed: bool = True) -> None:
    """Bound DuckDB's memory (`HANDOFF_MEMORY_LIMIT`, e.g. `4GB`; default 1GB for a database
    file, whose tables live on disk, and DuckDB's own for an in-memory copy, whose tables are
    held in memory) and give it a folder to spill to (`HANDOFF_TEMP_DIR`, else the system's
    temporary folder), also for an in-memory database, which otherwise cannot spill. The
    limit is checked against a pattern and the folder quoted: neither comes from data."""
    limit = os.environ.get("HANDOFF_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT if file_backed else "")
    spill = os.environ.get("HANDOFF_TEMP_DIR") or os.path.join(tempfile.gettempdir(), f"handoff-duckdb-{os.getpid()}")
    if limit and not MEMORY_RE.match(limit):
        raise StoreError(f"HANDOFF_MEMORY_LIMIT={limit!r}: write a size such as 1GB or 512MB")
    if limit:
        con.execute(f"SET memory_limit = '{limit}'")
    con.execute("SET temp_directory = '" + spill.replace("'", "''") + "'")


def check_database_path(path: str | Path) -> None:
    """Refuse a database path DuckDB would hang on or misread: a pipe, device or socket
    (opening a pipe waits forever for a writer), or a path ending in a slash (a folder)."""
    if str(path).endswith(("/", "\\")):
        raise StoreError(f"{path} ends with a slash: name a database file, not a folder")
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # missing (created later) or unreadable: DuckDB names the cause
    if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
        raise StoreError(f"{path} is not a regular file (a pipe, device or socket); name a database file")


class Store:
    """A DuckDB database holding the canonical tables."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False, create: bool = True):
        self.path = Path(path) if path else None
        self.con = connect(path, read_only=read_only)
        if create and not read_only:
            try:
                self.create_schema()
            except duckdb.Error as exc:
                self.con.close()
                raise open_error(exc, path) from None

    def create_schema(self) -> None:
        for table in TABLES:
            self.con.execute(table_ddl(table))
        self.con.execute(META_DDL)

    owned_folder: Path | None = None  # a snapshot's private copy, removed on close

    def close(self) -> None:
        self.con.close()
        if self.owned_folder is not None:
            shutil.rmtree(self.owned_folder, ignore_errors=True)
            _OWN_COPIES.discard(self.owned_folder)
            self.owned_folder = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        else:
            self.con.execute("COMMIT")

    def upsert(
        self,
        table_name: str,
        rows: pd.DataFrame | str,
        unique: bool = False,
        extras: Mapping[str, str] | None = None,
    ) -> UpsertResult:
        """Insert or update rows by id. `rows` is a DataFrame or the name of a relation.

        Only canonical columns and `extra` are read by name; every other column is data,
        whose name becomes a key of the `extra` JSON as a bound parameter, never SQL text.
        For a relation, `extras` maps its other columns (named by the caller's code) to
        those keys; a DataFrame's other columns are renamed here.

        A batch carries some of the columns: ids already stored keep their values in the
        columns it does not carry (a narrower file never blanks data) and its extra keys are
        merged into the stored ones; new ids get the column defaults. A batch is
        deduplicated by id first, keeping the last row of each id, unless the caller says
        its ids are `unique` already (the file import rejects repeated ids itself).
        """
        table = BY_NAME[table_name]
        view = rows
        if isinstance(rows, pd.DataFrame):
            rows, extras = _safe_frame(table, rows)
            view = f"_upsert_{next(_view_ids)}"
            self.con.register(view, rows)
        try:
            present = {r[0] for r in self.con.execute(f"DESCRIBE SELECT * FROM {view}").fetchall()}
            carried = [c for c in table.column_names if c in present]
            extras = {c: k for c, k in (extras or {}).items() if c in present}
            staged = f"_staged_{next(_view_ids)}"
            batch, params = _batch_sql(table, view, carried, extras, "extra" in present, unique)
            self.con.execute(f"CREATE OR REPLACE TEMP TABLE {staged} AS {_over_stored(table, batch, carried)}", params)
            try:
                return self._merge(table, staged)
            finally:
                # after a failed statement the transaction is aborted, and its rollback drops
                # the staged table; a DROP would only hide the error that aborted it
                with contextlib.suppress(duckdb.TransactionException):
                    self.con.execute(f"DROP TABLE {staged}")
        finally:
            if isinstance(rows, pd.DataFrame):
                self.con.unregister(view)

    def _merge(self, table: Table, staged: str) -> UpsertResult:
        """Write a staged batch into its table; returns what was added and changed, and notes
        the leads whose facts it makes stale (`lead_changes`)."""
        names = table.column_names + ["extra"]
        cols = ", ".join(f'"{c}"' for c in names)
        key = table.key
        if not self.con.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table.name} LIMIT 1)").fetchall()[0][0]:
            total = self.con.execute(f"INSERT INTO {table.name} ({cols}) SELECT {cols} FROM {staged}").fetchall()[0][0]
            if total:
                self.set_meta(STALE_ALL, "1")
            return UpsertResult(added=total)
        s_row = ", ".join(f's."{c}"' for c in names)
        t_row = ", ".join(f't."{c}"' for c in names)
        lead = _lead_column(table)
        leads = f's."{lead}" AS new_lead, t."{lead}" AS old_lead' if lead else "NULL AS new_lead, NULL AS old_lead"
        # one pass over the batch: the rows that add or change something, and their leads
        self.con.execute(
            f'CREATE OR REPLACE TEMP TABLE _differs AS SELECT s."{key}" AS _key, t."{key}" IS NULL AS is_new, {leads} '
            f'FROM {staged} s LEFT JOIN {table.name} t USING ("{key}") '
            f'WHERE t."{key}" IS NULL OR row({s_row}) IS DISTINCT FROM row({t_row})'
        )
        added, changed = self.con.execute(
            "SELECT count(*) FILTER (WHERE is_new), count(*) FILTER (WHERE NOT is_new) FROM _differs"
        ).fetchall()[0]
        if added or changed:  # only the rows that add or change something are written
            self.con.execute(
                f"INSERT OR REPLACE INTO {table.name} ({cols}) SELECT {cols} FROM {staged} "
                f'WHERE "{key}" IN (SELECT _key FROM _differs)'
            )
        if lead is None and (added or changed):
            self.set_meta(STALE_ALL, "1")  # a rep's name, team or calendar: every lead may change
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE _touched AS SELECT unnest([new_lead, old_lead]) AS lead_id FROM _differs"
        )
        self._note_changes("_touched")
        self.con.execute("DROP TABLE _differs")
        return UpsertResult(added=added, changed=changed)

    def _note_changes(self, relation: str) -> None:
        """Add the lead ids of a relation (column `lead_id`) to `lead_changes`."""
        self.con.execute(
            f"INSERT OR IGNORE INTO lead_changes SELECT DISTINCT lead_id FROM {relation} WHERE lead_id IS NOT NULL"
        )

    def changed_leads(self) -> tuple[bool, int]:
        """Whether every lead's facts are stale, and how many leads are noted as changed."""
        stale_all = self.get_meta(STALE_ALL) == "1"
        return stale_all, self.con.execute("SELECT count(*) FROM lead_changes").fetchall()[0][0]

    def clear_changes(self) -> None:
        """The persisted facts are current: forget the changes noted since."""
        self.con.execute("DELETE FROM lead_changes")
        self.con.execute("DELETE FROM meta WHERE key = ?", [STALE_ALL])

    def delete(self, table_name: str, ids: list[str]) -> int:
        table = BY_NAME[table_name]
        if not ids:
            return 0
        frame = pd.DataFrame({"id": pd.Series(list(ids), dtype="str")})
        self.con.register("_delete_ids", frame)
        try:
            lead = _lead_column(table)
            if lead is None:
                self.set_meta(STALE_ALL, "1")
            else:
                self.con.execute(
                    f'CREATE OR REPLACE TEMP TABLE _touched AS SELECT "{lead}" AS lead_id FROM {table.name} '
                    f'WHERE "{table.key}" IN (SELECT id FROM _delete_ids)'
                )
                self._note_changes("_touched")
            n = self.con.execute(
                f'SELECT count(*) FROM {table.name} WHERE "{table.key}" IN (SELECT id FROM _delete_ids)'
            ).fetchall()[0][0]
            self.con.execute(f'DELETE FROM {table.name} WHERE "{table.key}" IN (SELECT id FROM _delete_ids)')
        finally:
            self.con.unregister("_delete_ids")
        return n

    # -- sync state ---------------------------------------------------------------------
    def get_cursor(self, source: str, obj: str) -> datetime | None:
        rows = self.con.execute(
            "SELECT cursor FROM sync_state WHERE source = ? AND object = ?", [source, obj]
        ).fetchall()
        return rows[0][0] if rows else None

    def set_cursor(self, source: str, obj: str, cursor: datetime | None) -> None:
        self.con.execute(
            "INSERT OR REPLACE INTO sync_state VALUES (?, ?, ?, ?)",
            [source, obj, cursor, datetime.now(UTC)],
        )

    def clear_cursors(self, source: str) -> None:
        self.con.execute("DELETE FROM sync_state WHERE source = ?", [source])

    # -- loads, rejects, meta -------------------------------------------------------------
    def begin_load(self, kind: str, source: str) -> int:
        load_id = self.con.execute("SELECT coalesce(max(load_id), 0) + 1 FROM loads").fetchall()[0][0]
        self.con.execute(
            "INSERT INTO loads VALUES (?, ?, ?, ?, NULL, 'running', NULL)",
            [load_id, kind, source, datetime.now(UTC)],
        )
        return load_id

    def finish_load(self, load_id: int, status: str, summary: LoadSummary) -> None:
        self.con.execute(
            "UPDATE loads SET finished_at = ?, status = ?, summary = ? WHERE load_id = ?",
            [datetime.now(UTC), status, json.dumps(summary.as_dict()), load_id],
        )

    def add_rejects(self, load_id: int, rejects: pd.DataFrame | str) -> None:
        """Append rejected rows, with the columns of `schema.REJECT_COLUMNS`."""
        view = rejects
        if isinstance(rejects, pd.DataFrame):
            if rejects.empty:
                return
            view = "_rejects_in"
            self.con.register(view, rejects)
        try:
            columns = ", ".join(f'CAST("{c}" AS {_reject_type(c)})' for c in REJECT_COLUMNS)
            self.con.execute(f"INSERT INTO rejects SELECT {int(load_id)}, {columns} FROM {view}")
        finally:
            if isinstance(rejects, pd.DataFrame):
                self.con.unregister(view)

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def get_meta(self, key: str) -> str | None:
        rows = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
        return rows[0][0] if rows else None

    def counts(self) -> dict[str, int]:
        return {t.name: self.con.execute(f"SELECT count(*) FROM {t.name}").fetchall()[0][0] for t in TABLES}


def _lead_column(table: Table) -> str | None:
    """The column naming the lead a row belongs to (None for the reps)."""
    return table.key if table.name == "leads" else table.lead_ref


def _safe_frame(table: Table, frame: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The frame with its non-canonical columns renamed `_extra_N`, and their original names.

    Columns whose name starts with `_` are the caller's own bookkeeping and are dropped.
    """
    known = set(table.column_names) | {"extra"}
    keep = [c for c in frame.columns if not str(c).startswith("_")]
    extras = {f"_extra_{i}": str(c) for i, c in enumerate(keep) if c not in known}
    renamed = {original: safe for safe, original in extras.items()}
    return frame[keep].rename(columns=renamed), extras


def _batch_sql(
    table: Table, view: str, carried: list[str], extras: Mapping[str, str], has_extra_json: bool, unique: bool
) -> tuple[str, list[str]]:
    """SQL and its parameters selecting a batch as the table's columns (cast, defaults,
    `extra`). Column names come from the schema and the caller's `extras` keys; the extra
    JSON keys, which come from data, are bound parameters."""
    select = []
    for col in table.columns:
        if col.name in carried:
            expr = f'CAST("{col.name}" AS {SQL_TYPES[col.kind]})'
            if col.default is not None:
                expr = f"coalesce({expr}, {col.default})"
        else:
            expr = col.default if col.default is not None else f"NULL::{SQL_TYPES[col.kind]}"
        select.append(f'{expr} AS "{col.name}"')
    params: list[str] = []
    if has_extra_json:
        select.append("CAST(extra AS JSON) AS extra")
    elif extras:
        pairs = []
        for name, json_key in extras.items():
            pairs.append(f'?, CAST("{name}" AS VARCHAR)')
            params.append(json_key)
        select.append(f"json_object({', '.join(pairs)}) AS extra")
    else:
        select.append("NULL::JSON AS extra")
    key = table.key
    if unique:
        return f'SELECT {", ".join(select)} FROM {view} WHERE "{key}" IS NOT NULL', params
    return (
        f"SELECT * EXCLUDE (_ord) FROM (SELECT {', '.join(select)}, row_number() OVER () AS _ord "
        f'FROM {view}) WHERE "{key}" IS NOT NULL '
        f'QUALIFY row_number() OVER (PARTITION BY "{key}" ORDER BY _ord DESC) = 1'
    ), params


class StoreError(RuntimeError):
    """The database file cannot be used; the message names the cause for people."""


def _over_stored(table: Table, batch: str, carried: list[str]) -> str:
    """The batch laid over the stored rows of the same ids: a column the batch does not
    carry keeps its stored value, and the batch's extra keys are merged into the stored ones
    (an empty value removes its key, so no key ever holds null)."""
    key = table.key
    select = []
    for col in table.column_names:
        if col in carried:
            select.append(f'b."{col}"')
        else:
            select.append(f'CASE WHEN t."{key}" IS NULL THEN b."{col}" ELSE t."{col}" END AS "{col}"')
    select.append(
        "CASE WHEN b.extra IS NULL THEN t.extra ELSE json_merge_patch(coalesce(t.extra, '{}'), b.extra) END AS extra"
    )
    return f'SELECT {", ".join(select)} FROM ({batch}) AS b LEFT JOIN {table.name} AS t ON b."{key}" = t."{key}"'


class StoreBusy(StoreError):
    """The database file is held read-write by another process (a sync or an import)."""


def open_error(exc: BaseException, path: str | Path | None, writing: bool = True) -> StoreError:
    """What a DuckDB error about the database file `path` means, as a `StoreError`.

    DuckDB raises an IOException both when another process holds the file's lock and when
    the file is not a database, so the two are told apart by the message.
    """
    text = str(exc)
    name = path or "the database"
    verb = "write" if writing else "read"
    if "Could not set lock" in text or "Conflicting lock" in text:
        return StoreBusy(f"the database {name} is in use by another process (an import or a sync)")
    if "not a valid DuckDB database" in text or "Corrupt" in text or "corrupt" in text:
        return StoreError(f"{name} is not a DuckDB database (corrupt or a different file)")
    if "Is a directory" in text:
        return StoreError(f"{name} is a folder, not a database file")
    if "No space left" in text:
        return StoreError(f"disk full while writing {name}")
    if "Permission denied" in text:
        return StoreError(f"cannot {verb} {name}: permission denied")
    if "Read-only file system" in text:
        return StoreError(f"cannot write {name}: read-only file system")
    if "No such file or directory" in text:
        return StoreError(f"cannot create {name}: its folder does not exist")
    return StoreError(f"cannot use the database {name}: {first_line(exc)}")


def first_line(exc: BaseException) -> str:
    """An error in one line: its message's first line, or its type when it has none."""
    text = str(exc)
    return text.splitlines()[0] if text else type(exc).__name__


def store_error(exc: BaseException, path: str | Path | None) -> StoreError | None:
    """The StoreError a DuckDB I/O error while using `path` stands for (None for other errors)."""
    if isinstance(exc, StoreError):
        return exc
    if isinstance(exc, duckdb.IOException):
        return open_error(exc, path)
    if any(isinstance(e, duckdb.OutOfMemoryException) for e in _chain(exc)):
        limit = os.environ.get("HANDOFF_MEMORY_LIMIT") or (f"{DEFAULT_MEMORY_LIMIT} for a database file")
        return StoreError(
            f"DuckDB ran out of memory within its limit ({limit}): run again with a higher "
            "HANDOFF_MEMORY_LIMIT (e.g. HANDOFF_MEMORY_LIMIT=4GB); a load that stops this way is rolled back whole"
        )
    return None


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    """`exc`, then the exception it was raised from or while handling, and so on."""
    while exc is not None:
        yield exc
        exc = exc.__cause__ or exc.__context__


def was_interrupted(exc: BaseException | None) -> bool:
    """Whether Ctrl-C caused `exc`. During a query DuckDB answers Ctrl-C with an error of its
    own ("Query interrupted"), and a statement run after it (a cleanup) may raise another
    one on top ("transaction is aborted"), so the whole chain is searched."""
    return any(
        isinstance(e, (KeyboardInterrupt, duckdb.InterruptException))
        or (isinstance(e, RuntimeError) and str(e).startswith("Query interrupted"))
        for e in _chain(exc)
    )


def snapshot(path: str | Path) -> Store:
    """A private copy of a store file, so the file is not held open while it is read.

    DuckDB lets only one process hold a file read-write; reading from a copy keeps the app
    and the CLI from locking each other out of a sync. The file's bytes (and its write-ahead
    log) are copied while a read-only connection holds the file, so no writer is midway
    through a checkpoint; copying bytes takes a fraction of what copying every table row by
    row into memory did, and the copy's tables stay compressed on disk, read as pages ask.
    The copy lives in a temporary folder of its own; the file is unlinked once open, so its
    space is freed when the connection closes however the store is dropped, and the folder
    (with a write-ahead log at most) is removed on close, at exit, or by the next snapshot
    once its process has gone.
    """
    check_database_path(path)
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"no database at {path}")
    _remove_orphaned_copies()
    folder = Path(tempfile.mkdtemp(prefix=f"{SNAPSHOT_PREFIX}{os.getpid()}-", dir=_snapshot_root()))
    copy = folder / "snapshot.duckdb"
    try:
        try:
            holder = duckdb.connect(str(path), read_only=True)
        except duckdb.Error as exc:
            raise open_error(exc, path, writing=False) from None
        try:
            shutil.copyfile(path, copy)
            wal = Path(f"{path}.wal")
            if wal.exists():
                shutil.copyfile(wal, Path(f"{copy}.wal"))
        finally:
            holder.close()
        store = Store(copy)
        # DuckDB keeps the file open: unlinked now, its space comes back when the connection
        # closes, even for a store never closed (the app drops old versions as syncs land)
        copy.unlink()
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    store.owned_folder = folder
    _OWN_COPIES.add(folder)
    return store


_OWN_COPIES: set[Path] = set()


@atexit.register
def _remove_own_copies() -> None:
    """At exit, the copies of stores never closed (the app keeps its store for its life)."""
    for folder in _OWN_COPIES:
        shutil.rmtree(folder, ignore_errors=True)


SNAPSHOT_PREFIX = "handoff-snapshot-"


def _snapshot_root() -> str:
    return os.environ.get("HANDOFF_TEMP_DIR") or tempfile.gettempdir()


def _remove_orphaned_copies() -> None:
    """Remove the snapshot folders of processes that have ended without closing them."""
    root = Path(_snapshot_root())
    for folder in root.glob(f"{SNAPSHOT_PREFIX}*"):
        pid = folder.name[len(SNAPSHOT_PREFIX) :].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
