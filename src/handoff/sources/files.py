"""File import: canonical CSV or Parquet files, validated in DuckDB, loaded atomically.

Every file is read as text (so nothing is coerced before it is checked), each value is
parsed by SQL generated from `handoff.schema`, and a row with any bad value goes to the
rejects with its file, line, column and reason. Good rows are upserted by id. Everything
happens in one transaction: a fatal error (unreadable file, missing required column)
leaves the store as it was. Files stream through DuckDB, never through pandas.
"""

from __future__ import annotations

import csv
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pycountry

from handoff.policy import Policy
from handoff.schema import TABLES, Column, Table
from handoff.store import LoadSummary, Store

OFFSET_RE = r"([zZ]|[+-]\d{2}(:?\d{2})?)$"
TRUE_WORDS = ("true", "t", "1", "yes", "y")
FALSE_WORDS = ("false", "f", "0", "no", "n")
MAX_REPORTED = 20


class ImportError_(Exception):
    """A fatal import error: nothing was loaded."""


@dataclass
class FileReport:
    table: str
    file: str
    rows: int = 0
    added: int = 0
    changed: int = 0
    rejected: int = 0
    naive_timestamps: int = 0
    ambiguous_timestamps: int = 0


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    rejects: list[dict] = field(default_factory=list)  # the first MAX_REPORTED, for display
    notes: list[str] = field(default_factory=list)
    rejects_file: str | None = None

    @property
    def rejected(self) -> int:
        return sum(f.rejected for f in self.files)

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0

    def summary(self) -> LoadSummary:
        s = LoadSummary(notes=list(self.notes))
        for f in self.files:
            s.count("added", f.table, f.added)
            s.count("changed", f.table, f.changed)
            s.count("rejected", f.table, f.rejected)
        return s

    def format(self) -> str:
        lines = ["file                      rows    added  changed  rejected"]
        for f in self.files:
            lines.append(f"{f.file:<24}{f.rows:>6}{f.added:>9}{f.changed:>9}{f.rejected:>10}")
        lines += [f"note: {n}" for n in self.notes]
        if self.rejects:
            lines.append("rejected rows:")
            for r in self.rejects:
                lines.append(f"  {r['file']}:{r['line']} [{r['column']}] {r['reason']}")
            if self.rejected > len(self.rejects):
                lines.append(f"  ... and {self.rejected - len(self.rejects)} more")
        if self.rejects_file:
            lines.append(f"all rejected rows with their reasons: {self.rejects_file}")
        return "\n".join(lines)


def find_files(directory: Path) -> dict[str, Path]:
    if not directory.is_dir():
        raise ImportError_(f"not a folder: {directory}")
    found: dict[str, Path] = {}
    for table in TABLES:
        candidates = [p for p in (directory / f"{table.name}.csv", directory / f"{table.name}.parquet") if p.exists()]
        if len(candidates) > 1:
            raise ImportError_(f"both {table.name}.csv and {table.name}.parquet in {directory}: keep one")
        if candidates:
            found[table.name] = candidates[0]
    if not found:
        names = ", ".join(f"{t.name}.csv" for t in TABLES)
        raise ImportError_(f"no data files in {directory} (expected some of: {names}, or .parquet)")
    return found


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_raw(con, table: Table, path: Path) -> list[str]:
    """Read a file into temp table `raw` with every column as text and a `_line` number."""
    p = str(path).replace("'", "''")
    if path.suffix == ".csv":
        source = f"read_csv('{p}', all_varchar = true, header = true, auto_detect = true)"
    else:
        source = f"read_parquet('{p}')"
    try:
        columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
        renamed = ", ".join(
            f"CAST({_quote(c)} AS VARCHAR) AS {_quote(c.strip().lower())}" for c in columns
        )
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE raw AS SELECT {renamed}, "
            f"CAST(row_number() OVER () + 1 AS BIGINT) AS _line FROM {source}"
        )
    except duckdb.Error as exc:
        raise ImportError_(f"{path.name}: cannot read the file: {str(exc).splitlines()[0]}") from None
    names = [c.strip().lower() for c in columns]
    missing = [c.name for c in table.columns if c.required and c.name not in names]
    if missing:
        raise ImportError_(f"{path.name}: missing required column(s): {', '.join(missing)}")
    return names


def _parse(col: Column, policy: Policy) -> tuple[str, list[tuple[str, str]]]:
    """SQL for the parsed value of a column, and (condition, reason) pairs for bad values."""
    v = f"nullif(trim({_quote(col.name)}), '')"
    checks: list[tuple[str, str]] = []
    if col.required:
        checks.append((f"{v} IS NULL", "'missing required value'"))
    kind = col.kind
    if kind == "timestamp":
        tz = policy.timezone.replace("'", "''")
        naive = f"try_cast({v} AS TIMESTAMP)"
        value = (
            f"CASE WHEN regexp_matches({v}, '{OFFSET_RE}') THEN try_cast({v} AS TIMESTAMPTZ) "
            f"ELSE timezone('{tz}', {naive}) END"
        )
        checks.append((f"{v} IS NOT NULL AND ({value}) IS NULL", "'unparseable timestamp (use ISO 8601)'"))
        checks.append((
            f"{v} IS NOT NULL AND NOT regexp_matches({v}, '{OFFSET_RE}') AND {naive} IS NOT NULL "
            f"AND timezone('{tz}', timezone('{tz}', {naive})) <> {naive}",
            f"'local time does not exist in {tz} (daylight-saving gap)'",
        ))
        return value, checks
    if kind == "bool":
        lv = f"lower({v})"
        value = f"CASE WHEN {lv} IN {TRUE_WORDS} THEN true WHEN {lv} IN {FALSE_WORDS} THEN false END"
        checks.append((f"{v} IS NOT NULL AND ({value}) IS NULL", "'not a boolean (use true or false)'"))
        return value, checks
    if kind == "number":
        value = f"try_cast({v} AS DOUBLE)"
        checks.append((f"{v} IS NOT NULL AND {value} IS NULL", "'not a number'"))
        return value, checks
    if kind == "enum":
        value = f"lower({v})"
        allowed = "(" + ", ".join(f"'{c}'" for c in col.choices) + ")"
        checks.append((
            f"{v} IS NOT NULL AND {value} NOT IN {allowed}",
            f"'unknown value (expected one of: {', '.join(col.choices)})'",
        ))
        return value, checks
    if kind == "disposition":
        value = f"(SELECT code FROM _dispositions WHERE key = regexp_replace(lower({v}), '[ _]', '', 'g'))"
        checks.append((
            f"{v} IS NOT NULL AND {value} IS NULL",
            "'unknown disposition (expected one of: " + ", ".join(policy.disposition_codes).replace("'", "''") + ")'",
        ))
        return value, checks
    if kind == "timezone":
        value = v
        checks.append((f"{v} IS NOT NULL AND {v} NOT IN (SELECT name FROM _timezones)", "'unknown IANA timezone'"))
        return value, checks
    if kind == "country":
        value = f"upper({v})"
        checks.append((f"{v} IS NOT NULL AND upper({v}) NOT IN (SELECT code FROM _countries)", "'unknown ISO 3166 alpha-2 country code'"))
        return value, checks
    return v, checks


def _install_lookups(con, policy: Policy) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _timezones (name VARCHAR)")
    con.executemany("INSERT INTO _timezones VALUES (?)", [[z] for z in sorted(zoneinfo.available_timezones())])
    con.execute("CREATE OR REPLACE TEMP TABLE _countries (code VARCHAR)")
    con.executemany("INSERT INTO _countries VALUES (?)", [[c.alpha_2] for c in pycountry.countries])
    con.execute("CREATE OR REPLACE TEMP TABLE _dispositions (key VARCHAR, code VARCHAR)")
    con.executemany(
        "INSERT INTO _dispositions VALUES (?, ?)",
        [[c.lower().replace(" ", "").replace("_", ""), c] for c in policy.disposition_codes],
    )


def check_table(con, table: Table, names: list[str], policy: Policy) -> None:
    """From `raw`, build temp tables `checked` (parsed values) and `bad` (one row per problem)."""
    parsed, problems = [], []
    for col in table.columns:
        if col.name not in names:
            continue
        value, checks = _parse(col, policy)
        parsed.append(f"{value} AS {_quote(col.name)}")
        for cond, reason in checks:
            problems.append(
                f"CASE WHEN {cond} THEN {{'column': '{col.name}', 'reason': {reason}, "
                f"'value': {_quote(col.name)}}} END"
            )
    extras = [n for n in names if n not in table.column_names and not n.startswith("_")]
    extra_sql = "".join(f", {_quote(n)}" for n in extras)
    problem_list = f"list_filter([{', '.join(problems)}], lambda x: x IS NOT NULL)" if problems else "[]"
    key = _quote(table.key)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE checked AS "
        f"SELECT _line, {', '.join(parsed)}{extra_sql}, {problem_list} AS _problems, "
        f"trim({key}) AS _key FROM raw"
    )
    # A repeated id: the first good row wins, the later ones are rejected.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE checked AS SELECT * REPLACE ("
        "CASE WHEN len(_problems) = 0 AND _first_line < _line THEN list_append(_problems, "
        f"{{'column': '{table.key}', 'reason': 'duplicate id (first on line ' || _first_line || ')', 'value': _key}}) "
        "ELSE _problems END AS _problems) FROM (SELECT *, min(_line) FILTER (WHERE len(_problems) = 0) "
        "OVER (PARTITION BY _key) AS _first_line FROM checked)"
    )
    if table.lead_ref and table.lead_ref in names:
        ref = _quote(table.lead_ref)
        con.execute(
            "UPDATE checked SET _problems = list_append(_problems, "
            f"{{'column': '{table.lead_ref}', 'reason': 'unknown lead', 'value': {ref}}}) "
            f"WHERE len(_problems) = 0 AND {ref} IS NOT NULL "
            f"AND {ref} NOT IN (SELECT lead_id FROM leads)"
        )


def import_dir(
    store: Store,
    directory: str | Path,
    policy: Policy | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    rejects_path: str | Path | None = None,
) -> ImportReport:
    """Validate and load the canonical files of a folder into the store, atomically."""
    policy = policy or Policy()
    directory = Path(directory)
    files = find_files(directory)
    report = ImportReport()
    con = store.con
    all_rejects: list[tuple] = []
    with store.transaction():
        load_id = store.begin_load("import", str(directory))
        _install_lookups(con, policy)
        for i, (name, path) in enumerate(files.items()):
            if progress:
                progress(i, len(files), f"importing {path.name}")
            table = next(t for t in TABLES if t.name == name)
            names = read_raw(con, table, path)
            check_table(con, table, names, policy)
            file_report = FileReport(table=name, file=path.name)
            file_report.rows = con.execute("SELECT count(*) FROM checked").fetchall()[0][0]
            _count_timestamp_notes(con, table, names, policy, file_report)
            good_cols = [c for c in names if not c.startswith("_")]
            con.execute(
                "CREATE OR REPLACE TEMP VIEW good AS SELECT "
                + ", ".join(_quote(c) for c in good_cols)
                + " FROM checked WHERE len(_problems) = 0"
            )
            result = store.upsert(name, "good")
            file_report.added, file_report.changed = result.added, result.changed
            bad = con.execute(
                f"SELECT '{name}', '{path.name}', _line, p.column, p.reason, p.value, _key "
                "FROM (SELECT _line, _key, unnest(_problems) AS p FROM checked WHERE len(_problems) > 0) "
                "ORDER BY _line"
            ).fetchall()
            file_report.rejected = con.execute(
                "SELECT count(*) FROM checked WHERE len(_problems) > 0"
            ).fetchall()[0][0]
            all_rejects.extend(bad)
            report.files.append(file_report)
        _notes(report, policy)
        report.rejects = [
            dict(zip(("table", "file", "line", "column", "reason", "value", "record_id"), r))
            for r in all_rejects[:MAX_REPORTED]
        ]
        if all_rejects:
            con.execute(
                "CREATE OR REPLACE TEMP TABLE _rejects_out (\"table\" VARCHAR, file VARCHAR, line BIGINT, "
                "\"column\" VARCHAR, reason VARCHAR, \"value\" VARCHAR, record_id VARCHAR)"
            )
            con.executemany("INSERT INTO _rejects_out VALUES (?, ?, ?, ?, ?, ?, ?)", [list(r) for r in all_rejects])
            store.add_rejects(load_id, "_rejects_out")
        store.finish_load(load_id, "rejects" if all_rejects else "ok", report.summary())
        store.set_meta("origin", "files")
        store.set_meta("origin_detail", str(directory.resolve()))
    if progress:
        progress(len(files), len(files), "done")
    if all_rejects and rejects_path:
        write_rejects(all_rejects, Path(rejects_path))
        report.rejects_file = str(rejects_path)
    return report


def _count_timestamp_notes(con, table: Table, names: list[str], policy: Policy, report: FileReport) -> None:
    """Count the naive timestamps, and those a DST fall-back makes ambiguous (the local time
    also names the instant one hour later or earlier)."""
    tz = policy.timezone.replace("'", "''")
    for col in table.columns:
        if col.kind != "timestamp" or col.name not in names:
            continue
        v = f"nullif(trim(r.{_quote(col.name)}), '')"
        local = f"try_cast({v} AS TIMESTAMP)"
        instant = f"timezone('{tz}', {local})"
        naive, ambiguous = con.execute(
            f"SELECT count(*) FILTER (WHERE naive), count(*) FILTER (WHERE naive AND ("
            f"timezone('{tz}', {instant} + INTERVAL 1 HOUR) = {local} OR "
            f"timezone('{tz}', {instant} - INTERVAL 1 HOUR) = {local})) "
            f"FROM (SELECT r.*, NOT regexp_matches({v}, '{OFFSET_RE}') AND {local} IS NOT NULL AS naive "
            f"FROM raw AS r WHERE {v} IS NOT NULL) AS r"
        ).fetchall()[0]
        report.naive_timestamps += naive
        report.ambiguous_timestamps += ambiguous


def _notes(report: ImportReport, policy: Policy) -> None:
    for f in report.files:
        if f.naive_timestamps:
            report.notes.append(
                f"{f.file}: {f.naive_timestamps} timestamps without an offset were read in "
                f"the company timezone {policy.timezone}"
            )
        if f.ambiguous_timestamps:
            report.notes.append(
                f"{f.file}: {f.ambiguous_timestamps} local timestamps are ambiguous (clocks went "
                f"back in {policy.timezone}); the earlier instant was used"
            )


def write_rejects(rows: list[tuple], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["table", "file", "line", "column", "reason", "value", "record_id"])
        writer.writerows(rows)
