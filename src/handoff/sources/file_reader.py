"""Reading one canonical CSV or Parquet file into the temp table `raw`, safely.

A file's header is data: it never becomes SQL text. Columns are read by position under
names this module makes up (`c0`, `c1`, ...); a header that names a canonical column becomes
that column, any other header becomes an extra column `_x<N>` whose original name is kept
in Python and reaches the store only as a bound parameter. The file path is a bound
parameter too.

CSV files are read with a fixed dialect (the delimiter is taken from the header line) and
without DuckDB's sniffer, so one malformed row (a missing or extra field, a broken quote,
an overlong line) is rejected with its line and reason while the
other rows load. Bytes that are not UTF-8 stop the import: the file was saved in
another encoding, and its other rows would be misread too.
"""

from __future__ import annotations

import csv
import difflib
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from handoff.schema import Table

DELIMITERS = (",", ";", "\t", "|")
MAX_LINE_BYTES = 1_000_000
# DuckDB drops a line longer than its read buffer (32 MB) without reporting it; a line this
# long stops the import instead.
DROPPED_LINE_BYTES = 16_000_000
NUMERIC = (
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "HUGEINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "FLOAT",
    "DOUBLE",
)
TYPED = {
    "timestamp": lambda t: t.startswith("TIMESTAMP"),
    "bool": lambda t: t == "BOOLEAN",
    "number": lambda t: t in NUMERIC or t.startswith("DECIMAL"),
}
CSV_ERRORS = {
    "MISSING COLUMNS": "missing field(s): the row has fewer values than the header",
    "TOO MANY COLUMNS": "extra field(s): the row has more values than the header",
    "UNQUOTED VALUE": "bad quoting: a quoted value is not closed, or text follows its closing quote",
    "LINE SIZE OVER MAXIMUM": f"line longer than {MAX_LINE_BYTES:,} bytes",
    "CAST": "unreadable value",
}
# Words that name a column's kind rather than what it holds ("MQL Date" is mql_at).
KIND_WORDS = re.compile(r"(at|on|date|datetime|time|timestamp|ts|dt|id|identifier|name)$")
# Words a header may add around a column's own words ("MQL Date (UTC)", "Date MQL", "mql_at_utc").
NOISE_WORDS = frozenset("at on date datetime time timestamp ts dt id identifier name utc gmt local tz zone".split())
# The first bytes of files that are not text, and what they are.
NOT_CSV = {
    b"PK\x03\x04": "an Excel workbook or a zip archive, not CSV: export the sheet as 'CSV UTF-8'",
    b"\xd0\xcf\x11\xe0": "an old Excel (.xls) workbook, not CSV: export the sheet as 'CSV UTF-8'",
    b"PAR1": "a Parquet file: name it .parquet",
    b"%PDF": "a PDF document, not CSV",
    b"\x1f\x8b": "a gzip-compressed file: decompress it first",
}


class FileError(Exception):
    """The file cannot be read at all: nothing of it can be loaded."""


@dataclass
class RawFile:
    """What `read` put in `raw`: canonical column -> SQL type, the extra columns' original
    names, and the rows the CSV reader could not split into fields."""

    types: dict[str, str] = field(default_factory=dict)
    extras: dict[str, str] = field(default_factory=dict)
    rejects: list[dict] = field(default_factory=list)
    rows: int = 0


def read(con: duckdb.DuckDBPyConnection, table: Table, path: Path) -> RawFile:
    """Create temp table `raw` from a file: canonical columns by name, extras as `_x<N>`,
    and `_line`, the row's line in the file (the header is line 1)."""
    if path.suffix == ".csv":
        headers, delimiter = csv_header(path)
        source = (
            f"read_csv($path, columns = {_column_struct(len(headers))}, header = true, "
            f"auto_detect = false, delim = $delim, quote = '\"', escape = '\"', "
            f"max_line_size = {MAX_LINE_BYTES}, store_rejects = true, "
            "rejects_table = '_csv_errors', rejects_scan = '_csv_scans')"
        )
        params = {"path": str(path), "delim": delimiter}
        native = {}
    else:
        described = _describe_parquet(con, path)
        headers = [name for name, _ in described]
        native = {i: sql_type for i, (_, sql_type) in enumerate(described)}
        # DuckDB cannot add its row number beside a column of the same name; such a file is
        # numbered by its scan order instead (the same order for a single file).
        numbered = not any(h.lower() == "file_row_number" for h in headers)
        source = f"read_parquet($path, file_row_number = {'true' if numbered else 'false'})"
        params = {"path": str(path)}
    raw = RawFile()
    selects = _columns(table, path, headers, native, raw)
    aliases = ", ".join(f"c{i}" for i in range(len(headers)))
    if path.suffix != ".csv" and numbered:
        line = "CAST(_frn + 1 AS BIGINT)"
        aliases += ", _frn"
    else:
        line = "CAST(row_number() OVER () + 1 AS BIGINT)"
    with _uniform_line_endings(path) as readable:
        if path.suffix == ".csv":
            params["path"] = str(readable)
        try:
            con.execute("DROP TABLE IF EXISTS _csv_errors; DROP TABLE IF EXISTS _csv_scans")
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE raw AS SELECT {', '.join(selects)}, {line} AS _line "
                f"FROM {source} AS t({aliases})",
                params,
            )
        except duckdb.Error as exc:
            raise FileError(f"{path.name}: cannot read the file: {str(exc).splitlines()[0]}") from None
        raw.rows = con.execute("SELECT count(*) FROM raw").fetchall()[0][0]
        if path.suffix == ".csv":
            raw.rejects = _csv_rejects(con, path, headers)
            if raw.rejects:
                _renumber_lines(con, [r["line"] for r in raw.rejects])
            raw.rows += len(raw.rejects)
            _to_physical_lines(con, readable, delimiter, raw, path.name)
    return raw


@contextmanager
def _uniform_line_endings(path: Path) -> Iterator[Path]:
    """The path to read: the file itself, or, when a CSV mixes line endings (CRLF, LF and
    CR, as a file edited in two programs does, which DuckDB's reader cannot split), a
    temporary copy with every line ending made LF. Each ending becomes exactly one LF, so
    line numbers stay those of the original file; line breaks inside quoted values are kept
    as they are."""
    if path.suffix != ".csv" or len(_line_endings(path)) < 2:
        yield path
        return
    fd, name = tempfile.mkstemp(suffix=".csv", prefix="handoff-")
    try:
        with os.fdopen(fd, "wb") as out:
            for piece, quoted in _pieces(path):
                out.write(piece if quoted else piece.replace(b"\r\n", b"\n").replace(b"\r", b"\n"))
        yield Path(name)
    finally:
        os.unlink(name)


def _line_endings(path: Path) -> set[bytes]:
    """The kinds of line ending (CRLF, LF, CR) that end lines of a CSV file, outside quoted
    values. A file without a CR has only LF: the common case is answered by one byte search."""
    with path.open("rb") as fh:
        if not any(b"\r" in chunk for chunk in iter(lambda: fh.read(1 << 20), b"")):
            return {b"\n"}
    kinds: set[bytes] = set()
    for piece, quoted in _pieces(path):
        if quoted:
            continue
        crlf = piece.count(b"\r\n")
        if crlf:
            kinds.add(b"\r\n")
        if piece.count(b"\n") > crlf:
            kinds.add(b"\n")
        if piece.count(b"\r") > crlf:
            kinds.add(b"\r")
    return kinds


def _pieces(path: Path) -> Iterator[tuple[bytes, bool]]:
    """A CSV file's bytes in pieces, each wholly inside or wholly outside a quoted value (a
    doubled quote inside a value closes and reopens it, which changes nothing here). An
    unquoted CR at the end of a read is held back so a CRLF is never split."""
    quoted, held = False, b""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            parts = (held + chunk).split(b'"')
            held = b""
            for i, part in enumerate(parts):
                last = i == len(parts) - 1
                if last and not quoted and part.endswith(b"\r"):
                    part, held = part[:-1], b"\r"
                yield (part, quoted)
                if not last:
                    yield (b'"', False)
                    quoted = not quoted
    if held:
        yield (held, False)


def csv_header(path: Path) -> tuple[list[str], str]:
    """The header fields of a CSV file and its delimiter (the one that splits the header
    line into the most fields)."""
    try:
        with path.open("rb") as fh:
            line = fh.readline(MAX_LINE_BYTES + 1)
        for magic, what in NOT_CSV.items():
            if line.startswith(magic):
                raise FileError(f"{path.name}: this is {what}")
        first = re.split(r"\r\n|\r|\n", line.decode("utf-8-sig"), maxsplit=1)[0]
    except UnicodeDecodeError:
        raise FileError(f"{path.name}: the header is not UTF-8 text (save the file as 'CSV UTF-8')") from None
    except OSError as exc:
        raise FileError(f"{path.name}: cannot read the file: {exc.strerror or exc}") from None
    if len(first) > MAX_LINE_BYTES:
        raise FileError(f"{path.name}: the header line is longer than {MAX_LINE_BYTES:,} bytes")
    if not first.strip():
        raise FileError(f"{path.name}: the file is empty (no header line)")
    if first.count('"') % 2:
        raise FileError(
            f"{path.name}: the header line has an unclosed quote, or a quoted column name that runs "
            "onto the next line: write every column name on the first line"
        )
    best: tuple[list[str], str] = ([], ",")
    problem = None
    for delimiter in DELIMITERS:
        try:
            fields = next(csv.reader([first], delimiter=delimiter, quotechar='"', strict=True))
        except csv.Error as exc:
            problem = problem or exc
            continue
        if len(fields) > len(best[0]):
            best = (fields, delimiter)
    if not best[0]:
        raise FileError(f"{path.name}: the header line cannot be read: {problem}")
    return best


def _describe_parquet(con, path: Path) -> list[tuple[str, str]]:
    try:
        rows = con.execute("DESCRIBE SELECT * FROM read_parquet($path)", {"path": str(path)}).fetchall()
    except duckdb.Error as exc:
        raise FileError(f"{path.name}: not a readable Parquet file: {str(exc).splitlines()[0]}") from None
    return [(r[0], r[1]) for r in rows]


def _column_struct(n: int) -> str:
    return "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(n)) + "}"


def _columns(table: Table, path: Path, headers: list[str], native: dict[int, str], raw: RawFile) -> list[str]:
    """The select list of `raw`, filling `raw.types` and `raw.extras`; stops on a repeated
    canonical column, a missing required one, or a header that looks like a renamed one."""
    kinds = {c.name: c.kind for c in table.columns}
    selects, seen_extra = [], set()
    for i, header in enumerate(headers):
        clean = header.strip().lstrip("\ufeff").lower()
        sql_type = native.get(i, "VARCHAR")
        if clean in kinds:
            if clean in raw.types:
                raise FileError(f"{path.name}: column {clean} appears twice in the header")
            keep = TYPED.get(kinds[clean], lambda t: False)(sql_type)
            raw.types[clean] = sql_type if keep else "VARCHAR"
            selects.append(f'{f"c{i}" if keep else f"CAST(c{i} AS VARCHAR)"} AS "{clean}"')
        else:
            name = header.strip().lstrip("\ufeff") or f"column {i + 1}"
            while name in seen_extra:
                name += "_2"
            seen_extra.add(name)
            raw.extras[f"_x{i}"] = name
            selects.append(f"CAST(c{i} AS VARCHAR) AS _x{i}")
    _check_names(table, path, raw)
    return selects


def _check_names(table: Table, path: Path, raw: RawFile) -> None:
    missing = [c.name for c in table.columns if c.name not in raw.types]
    renamed = []
    for name in missing:
        looks = [h for h in raw.extras.values() if looks_like(h, name)]
        if looks:
            renamed.append(f"{', '.join(repr(h) for h in looks)} looks like {name}")
    if renamed:
        raise FileError(
            f"{path.name}: {'; '.join(renamed)}. Rename the header to the canonical name "
            "(see docs/import.md) so the values are not loaded as an unknown extra column."
        )
    if not raw.types:
        raise FileError(
            f"{path.name}: the header names none of the {table.name} columns "
            f"({', '.join(table.column_names)}): is this the {table.name} file, with its header on the first line?"
        )
    required = [c.name for c in table.columns if c.required and c.name not in raw.types]
    if required:
        raise FileError(f"{path.name}: missing required column(s): {', '.join(required)}")


def looks_like(header: str, column: str) -> bool:
    """True when a header is probably a renamed canonical column: the same words once
    separators, case and kind words (date, at, id, ...) are set aside, or nearly the same
    letters ("createdate" for created_at)."""
    h = re.sub(r"[^a-z0-9]", "", header.lower())
    c = column.replace("_", "")
    if not h:
        return False
    stem_h, stem_c = KIND_WORDS.sub("", h), KIND_WORDS.sub("", c)
    if stem_h and stem_h == stem_c:
        return True
    words_h = set(re.findall(r"[a-z0-9]+", header.lower())) - NOISE_WORDS
    words_c = set(column.split("_")) - NOISE_WORDS
    if words_h and words_h == words_c:
        return True
    return difflib.SequenceMatcher(None, h, c).ratio() >= 0.85


def _csv_rejects(con, path: Path, headers: list[str]) -> list[dict]:
    """One reject per CSV line the reader could not split into fields, first error first."""
    rows = con.execute(
        "SELECT line, any_value(error_type ORDER BY column_idx NULLS LAST), any_value(column_idx "
        "ORDER BY column_idx NULLS LAST), any_value(csv_line) FROM _csv_errors GROUP BY line ORDER BY line"
    ).fetchall()
    out = []
    for line, error, column_idx, text in rows:
        if "ENCODING" in str(error) or "UNICODE" in str(error):
            raise FileError(f"{path.name}: line {line} is not UTF-8 text (save the file as 'CSV UTF-8')")
        column = headers[column_idx - 1].strip() if column_idx and column_idx <= len(headers) else None
        reason = CSV_ERRORS.get(str(error), f"unreadable row ({str(error).lower()})")
        text = (text or "")[:200]
        out.append(
            {
                "line": int(line),
                "column": column,
                "reason": reason,
                "value": text,
                "record_id": text.split(",", 1)[0][:100] or None,
            }
        )
    return out


def _to_physical_lines(con, path: Path, delimiter: str, raw: RawFile, name: str) -> None:
    """DuckDB numbers a CSV's records; a quoted value spanning lines makes a record longer
    than one line. When the file has more lines than records, number rows by the line they
    start on, as an editor shows them (found by Python's csv reader, which splits records
    the same way when the quoting is sound)."""
    lines, overlong = _count_lines(path)
    if overlong is not None:
        raise FileError(
            f"{name}: line {overlong} is longer than {DROPPED_LINE_BYTES:,} bytes: not a CSV row "
            "(a value pasted whole, or a file that is not CSV); fix or remove it"
        )
    records = raw.rows + 1
    if lines <= records:
        return
    starts = []
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter, quotechar='"')
        try:
            while True:
                first = reader.line_num + 1
                next(reader)
                starts.append(first)
        except (StopIteration, csv.Error):
            pass
    if len(starts) != records:
        return
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _line_starts AS SELECT unnest($s::BIGINT[]) AS start, "
        "generate_subscripts($s::BIGINT[], 1) AS record",
        {"s": starts},
    )
    con.execute("UPDATE raw SET _line = s.start FROM _line_starts AS s WHERE raw._line = s.record")
    for reject in raw.rejects:
        reject["line"] = starts[reject["line"] - 1]


def _count_lines(path: Path) -> tuple[int, int | None]:
    """The newlines in a file, and the first line longer than DROPPED_LINE_BYTES (None when
    there is none). DuckDB skips a line longer than its read buffer without a word, so
    such a line is looked for here. A line that fits inside one chunk is shorter than the
    limit; a longer one ends in a later chunk than it starts in."""
    lines, run, overlong = 0, 0, None
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            first = chunk.find(b"\n")
            if first < 0:
                run += len(chunk)
            else:
                if overlong is None and run + first > DROPPED_LINE_BYTES:
                    overlong = lines + 1
                run = len(chunk) - chunk.rfind(b"\n") - 1
                lines += chunk.count(b"\n")
    if overlong is None and run > DROPPED_LINE_BYTES:
        overlong = lines + 1
    return lines, overlong


def _renumber_lines(con, rejected: list[int]) -> None:
    """Give the rows read their line in the file: the k-th good row follows every rejected
    line that came before it."""
    before = [line - 2 - i for i, line in enumerate(sorted(rejected))]
    con.execute("CREATE OR REPLACE TEMP TABLE _skipped AS SELECT unnest($b::BIGINT[]) AS good_before", {"b": before})
    con.execute("UPDATE raw SET _line = raw._line + (SELECT count(*) FROM _skipped WHERE good_before < raw._line - 1)")
