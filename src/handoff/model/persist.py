"""Per-lead facts kept in the database, so nothing recomputes them on start.

After each import or sync, `refresh(con, policy)` brings the table `lead_facts` up to date
with the data at its default as_of (the latest event, at most a day ahead of now); a
`Model` built on that connection (or on a `snapshot` of the file) with the same policy and
as_of reads it instead of running the per-lead pipeline.

`lead_facts` holds the rows of `lead_handoff` and three more columns: the lead's calendar
(`_calendar_id`), its SLA target in µs (`_target_us`) and its business age `_age_base_us`
expressed at a *base* as_of B (the as_of of the last full build). `lead_facts_clock` holds,
per calendar, the business time from B to the current as_of, so a lead's business age now
is `_age_base_us + offset_us`: the age-dependent columns (`age_business_minutes`,
`elapsed_business_days`, `sla_minutes_left`) are derived when the facts are read, and an
as_of that moves does not rewrite every row.

Incremental refresh (docs/engine.md, "Persisted per-lead facts"): the store notes in
`lead_changes` the leads whose rows, activities, meetings, opportunities or owner changes
were added, changed or deleted. From the previous as_of A0 to the new one A1, the rows
recomputed are those leads, plus every lead one of whose as_of conditions flips between A0
and A1 (a pending lead past its target, a meeting window or an escalation time that ends, a
disposition deadline that passes, an event of its own after A0); every other lead's facts
at A1 are those at A0 apart from its age, which the offsets carry. A change to the reps, a bulk load, a
different policy or model SQL, or an as_of that moves back rebuilds everything.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from importlib import metadata, resources
from typing import TYPE_CHECKING, Any

import pandas as pd

from handoff import calendar
from handoff.policy import Policy

if TYPE_CHECKING:
    from handoff.model import Model

FACTS = "lead_facts"
CLOCK = "lead_facts_clock"
FINGERPRINT = "lead_facts:fingerprint"
BASE_AS_OF = "lead_facts:base_as_of"
AS_OF = "lead_facts:as_of"
STALE_ALL = "lead_facts:stale_all"  # as the store writes it (handoff.store.STALE_ALL)
HIDDEN = ("_calendar_id", "_age_base_us", "_target_us")
# Above this share of the handoffs, an incremental refresh is no cheaper than a full one.
INCREMENTAL_SHARE = 0.25
FACTS_VERSION = "1"
INCREMENTAL_SCHEMA = "_facts_inc"

# Leads whose facts change when as_of moves to $as_of with the same data (beyond their age,
# which the offsets carry): each of lead_handoff.sql's as_of conditions that flips by then.
# `_offsets` holds each calendar's business time from the base as_of to $as_of.
CROSSING_LEADS = f"""
SELECT f.lead_id
FROM {FACTS} AS f
LEFT JOIN _offsets AS o ON o.calendar_id = f._calendar_id
WHERE (f.meeting_in_window IS NULL AND $as_of >= f.window_end)
   OR (f.sla_status = 'pending' AND f._age_base_us + coalesce(o.offset_us, 0) > f._target_us)
   OR (f.sla_status = 'breached' AND f.escalated IS NULL
       AND f._age_base_us + coalesce(o.offset_us, 0)
           >= f._target_us + CAST(round($escalation_minutes * 60000000) AS BIGINT))
   OR (f.disposition IS NULL AND NOT f.disposition_overdue
       AND epoch_us($as_of) - epoch_us(f.mql_at) > $disposition_sla_hours * 3600000000)
"""

# Leads with an event of their own after $since (a planned close date, a clock ahead, an
# explicit as_of behind the data): they have not happened at A0 and may have at A1.
LATER_EVENTS = """
SELECT lead_id FROM leads
WHERE mql_at > $since OR assigned_at > $since OR disposition_at > $since OR sql_at > $since
UNION ALL SELECT lead_id FROM activities WHERE occurred_at > $since
UNION ALL SELECT lead_id FROM meetings WHERE booked_at > $since
UNION ALL SELECT lead_id FROM opportunities WHERE created_at > $since OR closed_at > $since
UNION ALL SELECT lead_id FROM owner_changes WHERE changed_at > $since
"""

# The tables the per-lead pipeline reads that are narrowed to the leads recomputed.
NARROWED = {
    "leads": "lead_id",
    "activities": "lead_id",
    "meetings": "lead_id",
    "opportunities": "lead_id",
    "owner_changes": "lead_id",
}


def fingerprint(policy: Policy) -> str:
    """What the facts depend on besides the data and as_of: the policy, the model's SQL,
    the holiday data."""
    digest = hashlib.sha256()
    digest.update(FACTS_VERSION.encode())
    digest.update(json.dumps(policy.model_dump(mode="json"), sort_keys=True, default=str).encode())
    try:
        digest.update(metadata.version("holidays").encode())
    except metadata.PackageNotFoundError:  # pragma: no cover - a checkout without metadata
        pass
    root = resources.files("handoff.model").joinpath("sql")
    for path in sorted(_sql_files(root), key=str):
        digest.update(str(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _sql_files(folder) -> list:
    found = []
    for item in folder.iterdir():
        if item.is_dir():
            found += _sql_files(item)
        elif item.name.endswith(".sql"):
            found.append(item)
    return found


# -- reading ----------------------------------------------------------------------------------
def _meta(con, key: str) -> str | None:
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return rows[0][0] if rows else None


def _has_table(con, name: str) -> bool:
    rows = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = ? AND schema_name = 'main' "
        "AND database_name = current_database()",
        [name],
    ).fetchall()
    return bool(rows[0][0])


def _stamp(t: datetime | None) -> str | None:
    return None if t is None else pd.Timestamp(t).tz_convert("UTC").isoformat()


def current(con, policy: Policy, as_of: datetime | None) -> bool:
    """Whether `lead_facts` holds the facts of this data at `as_of` under `policy`."""
    if as_of is None or not all(_has_table(con, t) for t in (FACTS, CLOCK, "meta", "lead_changes")):
        return False
    if _meta(con, FINGERPRINT) != fingerprint(policy) or _meta(con, AS_OF) != _stamp(as_of):
        return False
    if _meta(con, STALE_ALL) == "1":
        return False
    return not con.execute("SELECT count(*) FROM lead_changes").fetchall()[0][0]


def facts_sql() -> str:
    """`lead_handoff` from `lead_facts`: the age-dependent columns derived from the age at the
    base as_of and the calendar's business time since (the same expressions as
    lead_handoff.sql's)."""
    return f"""
SELECT f.* EXCLUDE ({", ".join(HIDDEN)}, _age_us) REPLACE (
    us_to_minutes(_age_us) AS age_business_minutes,
    _age_us // minutes_to_us($day_minutes) AS elapsed_business_days,
    CASE WHEN first_touch_at IS NULL THEN us_to_minutes(_target_us - _age_us) END AS sla_minutes_left
)
FROM (
    SELECT l.*, l._age_base_us + coalesce(c.offset_us, 0) AS _age_us
    FROM {FACTS} AS l
    LEFT JOIN {CLOCK} AS c ON c.calendar_id = l._calendar_id
) AS f
"""


def load(model: Model) -> bool:
    """Give `model` its `lead_handoff` from the persisted facts when they are current;
    False (nothing done) when they are not."""
    from handoff.model import SCOPE_MACROS, render, sql_text

    con = model.con
    if not current(con, model.policy, model.as_of):
        return False
    model.install_lookups()
    unload(con)
    if con.execute(f"SELECT count(*) FROM {CLOCK} WHERE offset_us <> 0").fetchall()[0][0]:
        sql = render(facts_sql())
        con.execute(f"CREATE TABLE lead_handoff AS {sql}", {"day_minutes": _day_minutes(model.policy)})
    else:  # as_of has not moved since the base: the rows are the facts as they are
        con.execute(f"CREATE VIEW lead_handoff AS SELECT * EXCLUDE ({', '.join(HIDDEN)}) FROM {FACTS}")
    for name in SCOPE_MACROS:
        con.execute(render(sql_text(name)))
    return True


def unload(con) -> None:
    """Drop `lead_handoff` where the next build or load creates it (a table or a view)."""
    rows = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'lead_handoff' "
        "AND table_schema = current_schema() AND table_catalog = current_database()"
    ).fetchall()
    if rows:
        con.execute(f"DROP {'VIEW' if rows[0][0] == 'VIEW' else 'TABLE'} lead_handoff")


def _day_minutes(policy: Policy) -> float:
    return float(policy.business_hours.day_minutes)


# -- writing ----------------------------------------------------------------------------------
def refresh(con, policy: Policy) -> str:
    """Bring `lead_facts` up to date with the data at its default as_of; returns what was
    done: `current`, `incremental` or `full` (`none` without a handoff or as_of)."""
    from handoff.model import Model, default_as_of

    as_of = default_as_of(con)
    if as_of is None:
        _drop(con)
        _clear_changes(con)
        return "none"
    if current(con, policy, as_of):
        return "current"
    previous = _meta(con, AS_OF) if _has_table(con, FACTS) else None
    if (
        previous is not None
        and _meta(con, FINGERPRINT) == fingerprint(policy)
        and _meta(con, STALE_ALL) != "1"
        and pd.Timestamp(previous) <= pd.Timestamp(as_of)
        and _incremental(con, policy, pd.Timestamp(previous).to_pydatetime(), as_of)
    ):
        return "incremental"
    model = Model(con, policy, as_of, persisted=False)
    save(model)
    return "full"


def save(model: Model) -> None:
    """Write the facts `model` just built as `lead_facts`, with its as_of as the base."""
    con = model.con
    assert model.as_of is not None
    with _transaction(con):
        con.execute(f"CREATE OR REPLACE TABLE {FACTS} AS {_rows_sql('main')}")
        con.execute(f"CREATE OR REPLACE TABLE {CLOCK} (calendar_id VARCHAR PRIMARY KEY, offset_us BIGINT)")
        _set_meta(con, FINGERPRINT, fingerprint(model.policy))
        _set_meta(con, BASE_AS_OF, _stamp(model.as_of))
        _set_meta(con, AS_OF, _stamp(model.as_of))
        _clear_changes(con)


@contextlib.contextmanager
def _transaction(con) -> Iterator[None]:
    """The facts, their clock and their meta keys change together or not at all."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _rows_sql(schema: str) -> str:
    """The persisted rows of the facts built in `schema`, their age taken at as_of; the
    caller subtracts the offset to the base."""
    return (
        f"SELECT h.*, k.calendar_id AS _calendar_id, "
        f"greatest(c.bt_asof_us - c.bt_mql_us, 0) AS _age_base_us, c.target_us AS _target_us "
        f"FROM {schema}.lead_handoff AS h JOIN {schema}.handoff_clock AS c USING (lead_id) "
        f"JOIN {schema}.calendars AS k USING (cal_no)"
    )


def _incremental(con, policy: Policy, previous: datetime, as_of: datetime) -> bool:
    """Recompute the leads that changed or may change since `previous`; False (nothing done)
    when they are too many for it to pay."""
    from handoff.model import Model

    base = datetime.fromisoformat(_meta(con, BASE_AS_OF) or "")
    calendars = [r[0] for r in con.execute(f"SELECT DISTINCT _calendar_id FROM {FACTS}").fetchall()]
    con.register("_offsets_in", _offsets(policy, calendars, base, as_of))
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _offsets AS SELECT * FROM _offsets_in")
    finally:
        con.unregister("_offsets_in")
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _facts_scope AS SELECT DISTINCT lead_id FROM ("
        f"SELECT lead_id FROM lead_changes UNION ALL {CROSSING_LEADS} UNION ALL {LATER_EVENTS})",
        {
            "since": previous,
            "as_of": as_of,
            "escalation_minutes": float(policy.escalation_minutes),
            "disposition_sla_hours": float(policy.disposition_sla_hours),
        },
    )
    scope = con.execute("SELECT count(*) FROM _facts_scope").fetchall()[0][0]
    total = con.execute(f"SELECT count(*) FROM {FACTS}").fetchall()[0][0]
    if scope > max(total, 1) * INCREMENTAL_SHARE:
        return False
    inc = INCREMENTAL_SCHEMA
    con.execute(f"DROP SCHEMA IF EXISTS {inc} CASCADE")
    con.execute(f"CREATE SCHEMA {inc}")
    try:
        for table, column in NARROWED.items():
            con.execute(
                f"CREATE TABLE {inc}.{table} AS SELECT * FROM main.{table} "
                f"WHERE {column} IN (SELECT lead_id FROM _facts_scope)"
            )
        con.execute(f"SET search_path = '{inc},main'")
        try:
            Model(con, policy, as_of, persisted=False)
        finally:
            con.execute("SET search_path = 'main'")
        new = [
            r[0]
            for r in con.execute(
                f"SELECT calendar_id FROM {inc}.calendars WHERE calendar_id NOT IN (SELECT calendar_id FROM _offsets)"
            ).fetchall()
        ]
        offsets = pd.concat([con.execute("SELECT * FROM _offsets").df(), _offsets(policy, new, base, as_of)])
        con.register("_offsets_in", offsets)
        try:
            with _transaction(con):
                con.execute(f"DELETE FROM {CLOCK}")
                con.execute(f"INSERT INTO {CLOCK} SELECT * FROM _offsets_in")
                con.execute(f"DELETE FROM {FACTS} WHERE lead_id IN (SELECT lead_id FROM _facts_scope)")
                con.execute(
                    f"INSERT INTO {FACTS} SELECT r.* REPLACE "
                    f"(r._age_base_us - coalesce(o.offset_us, 0) AS _age_base_us) FROM ({_rows_sql(inc)}) AS r "
                    f"LEFT JOIN {CLOCK} AS o ON o.calendar_id = r._calendar_id"
                )
                _set_meta(con, AS_OF, _stamp(as_of))
                _clear_changes(con)
        finally:
            con.unregister("_offsets_in")
    finally:
        con.execute(f"DROP SCHEMA IF EXISTS {inc} CASCADE")
        con.execute("DROP TABLE IF EXISTS _facts_scope")
        con.execute("DROP TABLE IF EXISTS _offsets")
    return True


def _offsets(policy: Policy, calendars: list[str], base: datetime, as_of: datetime) -> pd.DataFrame:
    """Per calendar, the business time (µs) from the base as_of to `as_of`."""
    return pd.DataFrame(
        {
            "calendar_id": pd.Series(calendars, dtype="str"),
            "offset_us": pd.Series([business_us_between(policy, c, base, as_of) for c in calendars], dtype="int64"),
        }
    )


def business_us_between(policy: Policy, calendar_key: str, start: datetime, end: datetime) -> int:
    """Business time (µs) from `start` to `end` in a calendar (`timezone|country`), as the
    model's clock counts it: the overlap with each business day."""
    if end <= start:
        return 0
    tz, _, country = calendar_key.partition("|")
    first, last = calendar.span_for(start, end)
    days = calendar.business_days(policy, tz, country or None, first, last)
    lo, hi = _epoch_us(start), _epoch_us(end)
    overlap = days["close_us"].clip(upper=hi) - days["open_us"].clip(lower=lo)
    return int(overlap.clip(lower=0).sum())


def _epoch_us(t: datetime) -> int:
    t = t.astimezone(UTC)
    return int(t.timestamp()) * 1_000_000 + t.microsecond


def _set_meta(con, key: str, value: Any) -> None:
    con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])


def _clear_changes(con) -> None:
    if _has_table(con, "lead_changes"):
        con.execute("DELETE FROM lead_changes")
    con.execute("DELETE FROM meta WHERE key = ?", [STALE_ALL])


def _drop(con) -> None:
    con.execute(f"DROP TABLE IF EXISTS {FACTS}")
    con.execute(f"DROP TABLE IF EXISTS {CLOCK}")
    con.execute("DELETE FROM meta WHERE key IN (?, ?, ?)", [FINGERPRINT, BASE_AS_OF, AS_OF])
