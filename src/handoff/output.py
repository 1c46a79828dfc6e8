"""Files the product writes: never over one of its inputs, never half written, never a formula.

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return
as a formula (CSV injection), so text cells starting with one of them get a leading `'`.
Numbers, timestamps and booleans are left as they are.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import os
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import pandas as pd

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_LINE_END = "\r\n"  # RFC 4180; then a carriage return inside a value is quoted too


class OverwritesInput(ValueError):
    """An output path names one of the command's own inputs."""


class WriteFailed(Exception):
    """An output file could not be written; the message names the file and the cause."""


def guard_cell(value):
    """A text value a spreadsheet would run as a formula, with a leading quote; else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def guard_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells are formula-guarded (numeric columns untouched)."""
    safe = frame.copy()
    for name in safe.columns:
        column = safe[name]
        if pd.api.types.is_string_dtype(column) or column.dtype == object:
            safe[name] = column.map(guard_cell)
    return safe


def to_csv(frame: pd.DataFrame, target=None) -> str | None:
    """A table as formula-guarded CSV, to a path or an open file, or returned as text."""
    return guard_formulas(frame).to_csv(target, index=False, lineterminator=CSV_LINE_END)


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name one file: the same resolved path, or a link to the same inode."""
    a, b = Path(a), Path(b)
    try:
        if a.resolve() == b.resolve():
            return True
    except (OSError, RuntimeError):  # a symbolic link loop: compare the paths as written
        if a.absolute() == b.absolute():
            return True
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def refuse_overwrite(output: str | Path, inputs: Iterable[str | Path], what: str = "output") -> None:
    """Raise OverwritesInput when `output` is one of `inputs`, or the write-ahead log DuckDB
    keeps beside one (`<input>.wal`: DuckDB replays or deletes that file when it opens the
    database, so an output written there is lost or breaks the database)."""
    for source in inputs:
        for name in (Path(source), Path(f"{source}.wal")):
            if same_file(output, name):
                raise OverwritesInput(f"{what} {output} is one of this command's inputs ({name}); choose another file")


def folder_files(folder: str | Path) -> list[Path]:
    """The files directly in a folder (what an import or `--data` reads from it)."""
    folder = Path(folder)
    return [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []


def write_error(exc: OSError, path: str | Path) -> str:
    """Why writing `path` failed, for people."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"disk full while writing {path}"
    reasons: dict[int | None, str] = {
        errno.EACCES: "permission denied",
        errno.EPERM: "permission denied",
        errno.EROFS: "read-only file system",
        errno.ENOENT: "its folder does not exist",
        errno.ENOTDIR: "its folder is not a folder",
        errno.EISDIR: "it is a folder",
    }
    reason = reasons.get(exc.errno, (exc.strerror or str(exc)).lower())
    return f"cannot write {path}: {reason}"


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")


def _create(temp: Path, path: Path) -> None:
    """Create the empty temporary file (0666 less the umask, as `open` would)."""
    if path.is_dir():
        raise WriteFailed(f"cannot write {path}: it is a folder")
    try:
        os.close(os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except OSError as exc:
        raise WriteFailed(write_error(exc, path)) from None


def check_writable(path: str | Path) -> None:
    """Raise WriteFailed now, before any work, when `path` could not be written.

    A folder that does not exist yet is checked at its nearest existing parent.
    """
    path = Path(path)
    folder = path.absolute().parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    temp = _temp_beside(folder / path.name)
    _create(temp, path)
    temp.unlink()


@contextlib.contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; when the block succeeds it is renamed onto `path`.

    A crash or an error leaves `path` as it was and no temporary file behind; an OSError
    while writing becomes a WriteFailed naming `path`.
    """
    path = Path(path)
    temp = _temp_beside(path)
    _create(temp, path)
    try:
        yield temp
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise WriteFailed(write_error(exc, path)) from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def write_frame(frame: pd.DataFrame, path: str | Path) -> None:
    """A table as Parquet (by the suffix) or formula-guarded CSV, written then renamed."""
    with replacing(path) as temp:
        if Path(path).suffix.lower() == ".parquet":
            frame.to_parquet(temp, index=False)
        else:
            to_csv(frame, temp)


def write_csv_rows(path: str | Path, header: list[str], rows: Iterable[Iterable]) -> None:
    """Rows as a formula-guarded CSV file, written then renamed."""
    with replacing(path) as temp, temp.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator=CSV_LINE_END)
        writer.writerow(header)
        writer.writerows([guard_cell(v) for v in row] for row in rows)
