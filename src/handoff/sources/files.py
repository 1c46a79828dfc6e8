"""File import: canonical CSV or Parquet files, validated in DuckDB, loaded atomically.

Every file is read as text (so nothing is coerced before it is checked), each value is
parsed by SQL generated from `handoff.schema`, and a row with any bad value goes to the
rejects with its file, line, column and reason. Good rows are upserted by id. Everything
happens in one transaction: a fatal error (unreadable file, missing required column)
leaves the store as it was. Files stream through DuckDB, never through pandas.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pandas as pd
import pycountry

from handoff import iso
from handoff.output import write_csv_rows
from handoff.policy import Policy, normalise_code
from handoff.schema import REJECT_COLUMNS, TABLES, Column, Table
from handoff.sources import file_reader
from handoff.store import LoadSummary, Store

# ISO 8601 as the import reads it: a date, an optional time, and (only after a time) an
# offset. A date alone is midnight in the company timezone; a zone name is refused, never
# silently dropped.
_DATE, _TIME = iso.DATE, iso.TIME
NAIVE_RE, EXACT_RE = iso.NAIVE_RE, iso.EXACT_RE
ZONE_NAME_RE = f"{_DATE}({_TIME})? ?[A-Za-z][A-Za-z_]+(/[A-Za-z0-9_+-]+)*"
TWELVE_HOUR_RE = f"{_DATE}{_TIME} ?([AaPp]\\.?[Mm]\\.?)"
# Amounts above this are typing or unit errors (a deal of a trillion), not deals.
MAX_AMOUNT = 1e12
INVISIBLE_RE = r"[\x00-\x1f\x7f\x{200b}-\x{200f}\x{2028}-\x{202e}\x{2060}-\x{2064}\x{feff}]"
TRUE_WORDS = ("true", "t", "1", "yes", "y")
FALSE_WORDS = ("false", "f", "0", "no", "n")
MAX_REPORTED = 20
PLANNED_YEARS = 5


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
    handoffs: int | None = None  # leads with an MQL date after the import

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


def _local_time_checks(local: str, tz: str) -> tuple[str, list[tuple[str, str]]]:
    """A naive local time read in the company timezone, and the check for a DST gap.

    DuckDB reads a local time that a fall-back makes ambiguous as the later instant; the
    earlier one is taken instead, as the import's note and docs/engine.md say."""
    later = f"timezone('{tz}', {local})"
    earlier = f"({later} - INTERVAL 1 HOUR)"
    value = f"CASE WHEN timezone('{tz}', {earlier}) = {local} THEN {earlier} ELSE {later} END"
    gap = (
        f"{local} IS NOT NULL AND timezone('{tz}', {value}) <> {local}",
        f"'local time does not exist in {tz} (daylight-saving gap)'",
    )
    return value, [gap]


def _range_check(col: Column, value: str) -> tuple[str, str]:
    """Timestamps outside the plausible range (`_bounds`, from the policy) are rejected."""
    hi = "hi_planned" if col.planned else "hi_event"
    return (
        f"{value} IS NOT NULL AND ({value} < (SELECT lo FROM _bounds) OR {value} > (SELECT {hi} FROM _bounds))",
        f"'implausible timestamp: outside ' || (SELECT label_{hi} FROM _bounds)",
    )


def _number_checks(col: Column, value: str) -> list[tuple[str, str]]:
    checks = [(f"{value} IS NOT NULL AND NOT isfinite({value})", "'not a finite number'")]
    if col.minimum is not None:
        checks.append((f"isfinite({value}) AND {value} < {float(col.minimum)}", f"'must be at least {col.minimum:g}'"))
    too_large = f"'implausibly large (over {MAX_AMOUNT:,.0f})'"
    checks.append((f"isfinite({value}) AND abs({value}) > {MAX_AMOUNT}", too_large))
    return checks


def _parse(col: Column, policy: Policy, sql_type: str = "VARCHAR") -> tuple[str, list[tuple[str, str]]]:
    """SQL for the parsed value of a column, and (condition, reason) pairs for bad values."""
    checks: list[tuple[str, str]] = []
    tz = policy.timezone.replace("'", "''")
    if sql_type != "VARCHAR":
        raw = _quote(col.name)
        if col.required:
            checks.append((f"{raw} IS NULL", "'missing required value'"))
        if col.kind == "timestamp":
            value = raw
            if "TIME ZONE" not in sql_type:
                value, gap = _local_time_checks(f"CAST({raw} AS TIMESTAMP)", tz)
                checks += gap
            return value, checks + [_range_check(col, value)]
        if col.kind == "number":
            value = f"CAST({raw} AS DOUBLE)"
            return value, checks + _number_checks(col, value)
        return raw, checks
    v = f"nullif(trim({_quote(col.name)}), '')"
    if col.required:
        checks.append((f"{v} IS NULL", "'missing required value'"))
    kind = col.kind
    if kind == "timestamp":
        naive = f"regexp_full_match({v}, '{NAIVE_RE}')"
        local, gap = _local_time_checks(f"CASE WHEN {naive} THEN try_cast({v} AS TIMESTAMP) END", tz)
        exact = f"regexp_full_match({v}, '{EXACT_RE}')"
        twelve_hour = f"regexp_full_match({v}, '{TWELVE_HOUR_RE}')"
        zone_name = f"(regexp_full_match({v}, '{ZONE_NAME_RE}') AND NOT {twelve_hour})"
        value = f"CASE WHEN {exact} THEN try_cast({v} AS TIMESTAMPTZ) ELSE {local} END"
        checks.append(
            (
                f"{v} IS NOT NULL AND {twelve_hour}",
                "'12-hour time (AM/PM) is not read: write 24-hour ISO 8601 such as 2026-01-05T00:00:00'",
            )
        )
        checks.append(
            (f"{v} IS NOT NULL AND {zone_name}", "'time zone names are not read: write an offset such as -08:00, or Z'")
        )
        checks.append(
            (
                f"{v} IS NOT NULL AND ({value}) IS NULL AND NOT {zone_name} AND NOT {twelve_hour}",
                "'unparseable timestamp (use ISO 8601)'",
            )
        )
        checks += [(f"{naive} AND {cond}", reason) for cond, reason in gap]
        checks.append(_range_check(col, value))
        return value, checks
    if kind == "bool":
        lv = f"lower({v})"
        value = f"CASE WHEN {lv} IN {TRUE_WORDS} THEN true WHEN {lv} IN {FALSE_WORDS} THEN false END"
        checks.append((f"{v} IS NOT NULL AND ({value}) IS NULL", "'not a boolean (use true or false)'"))
        return value, checks
    if kind == "number":
        value = f"try_cast({v} AS DOUBLE)"
        checks.append((f"{v} IS NOT NULL AND {value} IS NULL", "'not a number'"))
        return value, checks + _number_checks(col, value)
    if kind == "enum":
        value = f"lower({v})"
        allowed = "(" + ", ".join(f"'{c}'" for c in col.choices) + ")"
        checks.append(
            (
                f"{v} IS NOT NULL AND {value} NOT IN {allowed}",
                f"'unknown value (expected one of: {', '.join(col.choices)})'",
            )
        )
        return value, checks
    if kind == "disposition":
        value = f"(SELECT code FROM _dispositions WHERE key = regexp_replace(lower({v}), '[\\s_]+', '', 'g'))"
        checks.append(
            (
                f"{v} IS NOT NULL AND {value} IS NULL",
                "'unknown disposition (expected one of: "
                + ", ".join(policy.disposition_codes).replace("'", "''")
                + ")'",
            )
        )
        return value, checks
    if kind == "timezone":
        value = v
        checks.append((f"{v} IS NOT NULL AND {v} NOT IN (SELECT name FROM _timezones)", "'unknown IANA timezone'"))
        return value, checks
    if kind == "country":
        value = f"upper({v})"
        checks.append(
            (
                f"{v} IS NOT NULL AND upper({v}) NOT IN (SELECT code FROM _countries)",
                "'unknown ISO 3166 alpha-2 country code'",
            )
        )
        return value, checks
    if col.is_id:
        checks.append(
            (
                f"regexp_matches({v}, '{INVISIBLE_RE}')",
                "'id contains control or invisible characters (tab, NUL, zero-width space, ...)'",
            )
        )
    return v, checks


def _install_lookups(con, policy: Policy) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _timezones (name VARCHAR)")
    con.executemany("INSERT INTO _timezones VALUES (?)", [[z] for z in sorted(zoneinfo.available_timezones())])
    con.execute("CREATE OR REPLACE TEMP TABLE _countries (code VARCHAR)")
    con.executemany("INSERT INTO _countries VALUES (?)", [[c.alpha_2] for c in pycountry.countries])
    con.execute("CREATE OR REPLACE TEMP TABLE _dispositions (key VARCHAR, code VARCHAR)")
    con.executemany(
        "INSERT INTO _dispositions VALUES (?, ?)",
        [[normalise_code(c), c] for c in policy.disposition_codes],
    )
    lo, hi_event, hi_planned = plausible_range(policy)
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _bounds AS SELECT $lo::TIMESTAMPTZ AS lo, "
        "$hi_event::TIMESTAMPTZ AS hi_event, $hi_planned::TIMESTAMPTZ AS hi_planned, "
        "$label_event AS label_hi_event, $label_planned AS label_hi_planned",
        {
            "lo": lo,
            "hi_event": hi_event,
            "hi_planned": hi_planned,
            "label_event": f"{lo:%Y-%m-%d} to {hi_event:%Y-%m-%d %H:%M} UTC",
            "label_planned": f"{lo:%Y-%m-%d} to {hi_planned:%Y-%m-%d %H:%M} UTC",
        },
    )


def plausible_range(policy: Policy) -> tuple[datetime, datetime, datetime]:
    """The instants a timestamp may take: from the policy's `valid_from` to its `valid_to`
    (default: a day from now) for events, and up to PLANNED_YEARS later for planned dates
    (a meeting's time, an opportunity's close date)."""
    now = datetime.now(UTC)
    lo = datetime.combine(policy.valid_from, time(), UTC)
    hi = (
        datetime.combine(policy.valid_to + timedelta(days=1), time(), UTC)
        if policy.valid_to
        else now + timedelta(days=1)
    )
    return lo, hi, hi + timedelta(days=365 * PLANNED_YEARS)


def check_table(con, table: Table, types: dict[str, str], policy: Policy, extras: Iterable[str] = ()) -> None:
    """From `raw`, build temp table `checked`: parsed values and a list of `_problems` per row."""
    parsed, problems = [], []
    for col in table.columns:
        if col.name not in types:
            continue
        value, checks = _parse(col, policy, types[col.name])
        parsed.append(f"{value} AS {_quote(col.name)}")
        for cond, reason in checks:
            problems.append(
                f"CASE WHEN {cond} THEN {{'column': '{col.name}', 'reason': {reason}, "
                f"'value': CAST({_quote(col.name)} AS VARCHAR)}} END"
            )
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
        "CREATE OR REPLACE TEMP TABLE _repeated AS SELECT _key, min(_line) AS first_line "
        "FROM checked WHERE len(_problems) = 0 GROUP BY _key HAVING count(*) > 1"
    )
    con.execute(
        "UPDATE checked SET _problems = list_append(_problems, "
        f"{{'column': '{table.key}', 'reason': 'duplicate id (first on line ' || r.first_line || ')', "
        "'value': checked._key}) FROM _repeated AS r "
        "WHERE checked._key = r._key AND checked._line > r.first_line AND len(checked._problems) = 0"
    )
    if table.lead_ref and table.lead_ref in types:
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
            try:
                raw = file_reader.read(con, table, path)
            except file_reader.FileError as exc:
                raise ImportError_(str(exc)) from None
            check_table(con, table, raw.types, policy, raw.extras)
            file_report = FileReport(table=name, file=path.name, rows=raw.rows)
            _count_timestamp_notes(con, table, raw.types, policy, file_report)
            good_cols = [*raw.types, *raw.extras]
            con.execute(
                "CREATE OR REPLACE TEMP VIEW good AS SELECT "
                + ", ".join(_quote(c) for c in good_cols)
                + " FROM checked WHERE len(_problems) = 0"
            )
            result = store.upsert(name, "good", unique=True, extras=raw.extras)
            file_report.added, file_report.changed = result.added, result.changed
            bad = con.execute(
                "SELECT $table, $file, _line, p.column, p.reason, p.value, _key "
                "FROM (SELECT _line, _key, unnest(_problems) AS p FROM checked WHERE len(_problems) > 0)",
                {"table": name, "file": path.name},
            ).fetchall()
            bad += [
                (name, path.name, r["line"], r["column"], r["reason"], r["value"], r["record_id"]) for r in raw.rejects
            ]
            bad.sort(key=lambda r: r[2])
            file_report.rejected = (
                len(raw.rejects) + con.execute("SELECT count(*) FROM checked WHERE len(_problems) > 0").fetchall()[0][0]
            )
            all_rejects.extend(bad)
            report.files.append(file_report)
        _notes(report, policy)
        if "leads" in files:
            _note_handoffs(con, report)
        report.rejects = [dict(zip(REJECT_COLUMNS, r, strict=True)) for r in all_rejects[:MAX_REPORTED]]
        if all_rejects:
            store.add_rejects(load_id, pd.DataFrame(all_rejects, columns=list(REJECT_COLUMNS), dtype="object"))
        store.finish_load(load_id, "rejects" if all_rejects else "ok", report.summary())
        store.set_meta("origin", "files")
        store.set_meta("origin_detail", str(directory.resolve()))
    if progress:
        progress(len(files), len(files), "done")
    if all_rejects and rejects_path:
        write_rejects(all_rejects, Path(rejects_path))
        report.rejects_file = str(rejects_path)
    return report


def _count_timestamp_notes(con, table: Table, types: dict[str, str], policy: Policy, report: FileReport) -> None:
    """Count the naive timestamps, and those a DST fall-back makes ambiguous (the local time
    also names the instant one hour later or earlier), in one pass over the file."""
    tz = policy.timezone.replace("'", "''")
    counts = []
    for col in table.columns:
        sql_type = types.get(col.name)
        if col.kind != "timestamp" or sql_type is None or "TIME ZONE" in sql_type:
            continue
        if sql_type == "VARCHAR":
            v = f"nullif(trim({_quote(col.name)}), '')"
            local = f"CASE WHEN regexp_full_match({v}, '{NAIVE_RE}') THEN try_cast({v} AS TIMESTAMP) END"
        else:
            local = f"CAST({_quote(col.name)} AS TIMESTAMP)"
        instant = f"timezone('{tz}', {local})"
        counts.append(f"count({local})")
        counts.append(
            f"count(*) FILTER (WHERE timezone('{tz}', {instant} + INTERVAL 1 HOUR) = {local} "
            f"OR timezone('{tz}', {instant} - INTERVAL 1 HOUR) = {local})"
        )
    if not counts:
        return
    values = con.execute(f"SELECT {', '.join(counts)} FROM raw").fetchall()[0]
    report.naive_timestamps += sum(values[0::2])
    report.ambiguous_timestamps += sum(values[1::2])


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


def _note_handoffs(con, report: ImportReport) -> None:
    """Say loudly when the data holds no handoff at all: every page would be empty."""
    report.handoffs = con.execute("SELECT count(*) FROM leads WHERE mql_at IS NOT NULL").fetchall()[0][0]
    if report.handoffs == 0:
        report.notes.append(
            "0 handoffs: no lead has an MQL date (mql_at), so there is nothing to measure; "
            "check that the leads file has an mql_at column with values"
        )


def write_rejects(rows: list[tuple], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_csv_rows(path, list(REJECT_COLUMNS), rows)
