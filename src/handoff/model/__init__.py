"""The model: per-lead handoff facts, then aggregates, from SQL files run in order.

`Model(con, policy, as_of)` builds `lead_handoff` once; its methods answer the aggregate
questions for a `Filters` selection. The CLI, the app and the report all call these, so
their numbers agree.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from importlib import resources
from typing import Any

import pandas as pd

from handoff import calendar, iso
from handoff.model import persist
from handoff.model.compose import render
from handoff.model.definitions import PROJECTION_WEEKS
from handoff.model.dimensions import PLACEHOLDERS, Filters
from handoff.policy import Policy
from handoff.schema import NEVER_BUCKET, SPEED_BUCKETS

__all__ = ["Model", "Filters", "calibration_facts"]

# The per-lead layer, in dependency order: (table produced, SQL file).
PIPELINE: tuple[tuple[str, str], ...] = (
    ("handoffs", "handoffs.sql"),
    ("handoff_clock", "handoff_clock.sql"),
    ("lead_touches", "lead_touches.sql"),
    ("lead_meetings", "lead_meetings.sql"),
    ("lead_outcomes", "lead_outcomes.sql"),
    ("lead_owner_history", "lead_owner_history.sql"),
    ("lead_handoff", "lead_handoff.sql"),
)
# Macros: unit conversions and the clock's lookup formula (used by the pipeline), the filtered
# scope (used by the aggregates) and the scope with each handoff's young-cohort facts (the
# metrics read it).
CLOCK_MACROS = ("units.sql", "business_time.sql")
SCOPE_MACROS = ("scope.sql", "cohort.sql")
MACROS = CLOCK_MACROS + SCOPE_MACROS
# Aggregates over `handoff_scope`, run per request with the filters.
AGGREGATES = ("handoff_metrics.sql", "breach_queue.sql", "disposition_mix.sql", "rep_accountability.sql")

LEAD_COLUMNS = [
    "lead_id",
    "owner_id",
    "tier",
    "mql_at",
    "first_touch_at",
    "response_minutes",
    "response_business_minutes",
    "sla_target_business_minutes",
    "sla_status",
    "speed_bucket",
    "window_end",
    "meeting_in_window",
    "touches_in_window",
    "disposition",
    "disposition_on_time",
]
# `handoff leads --extended`: the owner history's facts after the contract's columns.
EXTENDED_COLUMNS = [
    "assigned_at",
    "routing_business_minutes",
    "reassignments",
    "breach_at",
    "breach_owner_id",
]
# Conversion by speed bucket: the handoff metrics grouped by bucket, these columns.
SPEED_CONVERSION = {
    "group": "speed_bucket",
    "handoffs": "handoffs",
    "meetings_in_window": "meetings_in_window",
    "meeting_decided": "meeting_decided",
    "sqls": "sqls",
    "won": "won",
    "avg_won_amount": "avg_won_amount",
    "handoff_to_meeting_rate": "meeting_rate",
    "sql_rate": "sql_rate",
    "mature": "mature",
    "booked_so_far": "booked_so_far",
    "projected": "projected",
    "matures_at": "matures_at",
}


def sql_text(name: str) -> str:
    return resources.files("handoff.model").joinpath("sql", name).read_text(encoding="utf-8")


def _params_for(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    used = set(re.findall(r"\$([a-z_]+)", sql))
    missing = used - params.keys()
    if missing:
        raise KeyError(f"SQL parameters without a value: {sorted(missing)}")
    return {k: v for k, v in params.items() if k in used}


def run_sql(con, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*inplace.*")
        return con.execute(sql, _params_for(sql, params)).df()


# How far past the present as_of may be: a day, for clocks a little ahead and timezones.
AS_OF_LEAD = timedelta(days=1)


def latest_event(con) -> datetime | None:
    """The latest mql_at, occurred_at or booked_at in the data."""
    return con.execute(
        "SELECT greatest((SELECT max(mql_at) FROM leads), (SELECT max(occurred_at) FROM activities), "
        "(SELECT max(booked_at) FROM meetings))"
    ).fetchall()[0][0]


def default_as_of(con, now: datetime | None = None) -> datetime | None:
    """The latest event in the data, but never later than now + 1 day: one lead dated 2999
    must not turn every pending lead into a breach (or build a calendar up to 2999)."""
    latest = latest_event(con)
    if latest is None:
        return None
    return min(_utc(latest), (now or datetime.now(UTC)) + AS_OF_LEAD)


def checked_as_of(as_of: datetime, policy: Policy, now: datetime | None = None) -> datetime:
    """An explicit as_of, in UTC, if it lies between the policy's valid_from and now + 1 day."""
    as_of = _utc(as_of)
    earliest = datetime.combine(policy.valid_from, time(), UTC)
    latest = (now or datetime.now(UTC)) + AS_OF_LEAD
    if not earliest <= as_of <= latest:
        raise ValueError(
            f"--as-of {as_of:%Y-%m-%d %H:%M} UTC is out of range: use a moment from "
            f"{earliest:%Y-%m-%d} (the policy's valid_from) to {latest:%Y-%m-%d %H:%M} UTC (now + 1 day)"
        )
    return as_of


def _utc(t: datetime) -> datetime:
    """An instant as an aware UTC datetime; a naive one is taken as UTC already."""
    stamp = pd.Timestamp(t)
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")).to_pydatetime()


def parse_as_of(text: str | None, company_tz: str = "UTC") -> datetime | None:
    """An explicit as_of: ISO 8601; without an offset it is read in the company timezone,
    like a timestamp in an imported file."""
    if not text:
        return None
    if not iso.is_iso(text.strip()):
        raise ValueError(
            f"--as-of: not an ISO 8601 timestamp: {text!r} (write 2026-06-02T14:00:00Z, or a local "
            "time such as 2026-06-02 10:00 in the company timezone)"
        )
    ts = pd.Timestamp(text.strip())
    if ts.tzinfo is None:
        try:
            ts = ts.tz_localize(company_tz, ambiguous=True, nonexistent="raise")
        except Exception:
            raise ValueError(f"--as-of: {text!r} does not exist in {company_tz} (daylight-saving gap)") from None
    return ts.tz_convert("UTC").to_pydatetime()


@dataclass
class Model:
    """Per-lead facts and aggregates over the canonical tables of one DuckDB connection."""

    con: Any
    policy: Policy = field(default_factory=Policy)
    as_of: datetime | None = None  # None: the data's latest event (set in __post_init__)
    persisted: bool = True  # read the facts persisted in the database when current (model.persist)

    def __post_init__(self) -> None:
        if self.as_of is None:
            self.as_of = default_as_of(self.con) or datetime.now(UTC)
        else:
            self.as_of = checked_as_of(self.as_of, self.policy)
        if not (self.persisted and persist.load(self)):
            persist.unload(self.con)
            self.build()

    # -- the per-lead layer ---------------------------------------------------------
    def base_params(self) -> dict[str, Any]:
        return {
            **self.policy.sql_params(),
            "as_of": self.as_of,
            "company_tz": self.policy.timezone,
            "company_country": self.policy.holiday_country or "",
            "day_minutes": float(self.policy.business_hours.day_minutes),
            "escalation_minutes": float(self.policy.escalation_minutes),
            "reference_weeks": PROJECTION_WEEKS,
            "mature_weeks_only": False,
            **PLACEHOLDERS,
        }

    def install_lookups(self) -> None:
        """The policy's small tables (tier map, speed buckets) and the clock's macros: what
        the per-lead layer needs, whether it is built here or read back from the database."""
        con = self.con
        tiers = pd.DataFrame(
            {"source_key": list(self.policy.tier_map), "tier": list(self.policy.tier_map.values())},
            dtype="str",
        )
        con.register("_tier_map_in", tiers)
        con.execute("CREATE OR REPLACE TABLE tier_map AS SELECT * FROM _tier_map_in")
        con.unregister("_tier_map_in")
        con.register("_speed_buckets_in", speed_bucket_table())
        con.execute("CREATE OR REPLACE TABLE speed_buckets AS SELECT * FROM _speed_buckets_in")
        con.unregister("_speed_buckets_in")
        for name in CLOCK_MACROS:
            con.execute(render(sql_text(name)))

    def build(self) -> None:
        con = self.con
        self.install_lookups()
        params = self.base_params()
        for table, name in PIPELINE:
            sql = render(sql_text(name))
            con.execute(f"CREATE OR REPLACE TABLE {table} AS {sql}", _params_for(sql, params))
            if table == "handoffs":
                self._install_calendar()
        for name in SCOPE_MACROS:
            con.execute(render(sql_text(name)))
        self._check_calendar()

    def _install_calendar(self) -> None:
        """Business calendars for every calendar the handoffs use and the company's, from
        the earliest mql_at to as_of (handoffs are never after as_of). The span is bounded:
        as_of is at most a day ahead of now, and an mql_at before the policy's valid_from is
        refused rather than stretching the calendar back to it."""
        rows = self.con.execute("SELECT DISTINCT calendar_id FROM handoffs").fetchall()
        first = self.con.execute("SELECT min(mql_at) FROM handoffs").fetchall()[0][0]
        self._refuse_before_valid_from(first)
        first = _utc(first) if first is not None else self.as_of
        calendars = []
        for (cid,) in rows:
            tz, _, country = cid.partition("|")
            calendars.append((tz, country or None))
        calendars.append((self.policy.timezone, self.policy.holiday_country))
        assert self.as_of is not None and first is not None  # __post_init__ set as_of
        calendar.install(self.con, self.policy, calendars, first, self.as_of)

    def _refuse_before_valid_from(self, first: datetime | None) -> None:
        valid_from = datetime.combine(self.policy.valid_from, time(), UTC)
        if first is None or _utc(first) >= valid_from:
            return
        count = self.con.execute(
            "SELECT count(*) FROM handoffs WHERE mql_at < $valid_from", {"valid_from": valid_from}
        ).fetchall()[0][0]
        raise ValueError(
            f"{count} handoffs have an mql_at before valid_from ({self.policy.valid_from}), the earliest "
            "plausible date: correct them at the source, or set an earlier valid_from in handoff.toml"
        )

    def _check_calendar(self) -> None:
        """Every lookup found its hour, and every window ends inside the calendar (a window
        past the last business day has no window_end)."""
        uncovered = self.con.execute(
            "SELECT count(*) FROM handoff_clock WHERE window_end IS NULL OR bt_mql_us IS NULL "
            "OR bt_asof_us IS NULL OR (bt_assigned_us IS NULL AND lead_no IN "
            "(SELECT lead_no FROM handoffs WHERE assigned_at IS NOT NULL)) "
            "OR window_target_us > (SELECT max(cum_before_us + length_us) FROM business_days AS d "
            "WHERE d.cal_no = handoff_clock.cal_no)"
        ).fetchall()[0][0]
        if uncovered:
            raise RuntimeError(f"business calendar does not cover {uncovered} handoffs")

    # -- questions --------------------------------------------------------------------
    def ask(self, name: str, filters: Filters | None, **extra: Any) -> pd.DataFrame:
        """Run an aggregate SQL file over the scoped handoffs; `group=` picks a GROUPS key and
        `metrics=` narrows handoff_metrics.sql to those registry names."""
        sql = render(sql_text(name), group=extra.pop("group", None), metrics=extra.pop("metrics", None))
        params = {**self.base_params(), "filters": (filters or Filters()).params(), **extra}
        return run_sql(self.con.cursor(), sql, params)

    def lead_handoff(
        self, filters: Filters | None = None, columns: list[str] | None = None, mature_weeks_only: bool = False
    ) -> pd.DataFrame:
        """Per-handoff facts of the selection, oldest first; with `mature_weeks_only`, only the
        handoffs of its mature MQL weeks (every meeting outcome known), and the `week_mature`
        and `meeting_expectation` columns of handoff_cohort can be asked for."""
        cols = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        params: dict[str, Any] = {"filters": (filters or Filters()).params()}
        if mature_weeks_only or (columns and {"week_mature", "meeting_expectation"} & set(columns)):
            sql = (
                f"SELECT {cols} FROM handoff_cohort($filters, $reference_weeks) "
                f"WHERE week_mature OR NOT $mature_weeks_only ORDER BY mql_at, lead_id"
            )
            params |= {"reference_weeks": PROJECTION_WEEKS, "mature_weeks_only": mature_weeks_only}
        else:
            sql = f"SELECT {cols} FROM handoff_scope($filters) ORDER BY mql_at, lead_id"
        return run_sql(self.con.cursor(), sql, params)

    def leads(self, extended: bool = False) -> pd.DataFrame:
        """The contract's per-lead table (`handoff leads`); `extended` appends the owner
        history's facts (`handoff leads --extended`)."""
        return self.lead_handoff(columns=LEAD_COLUMNS + (EXTENDED_COLUMNS if extended else []))

    def metrics(
        self,
        by: str = "all",
        filters: Filters | None = None,
        mature_weeks_only: bool = False,
        columns: list[str] | tuple[str, ...] | None = None,
    ) -> pd.DataFrame:
        """The registry's metrics and status fields per group. Only a mature group has a
        handoff-to-meeting rate, so only it gets a band. With `mature_weeks_only`, only the
        handoffs of the selection's mature MQL weeks count. `columns` asks for some metrics
        and status fields only (with `group`, `owner_name`, `team` and what they are computed
        from): the same values, computed without the rest (and without the young-cohort facts
        when none of them reads those); with `mature_weeks_only` every column is computed."""
        # the mature weeks come from the cohort's facts: that question is asked whole
        wanted = None if columns is None or mature_weeks_only else frozenset(columns)
        frame = self.ask("handoff_metrics.sql", filters, group=by, mature_weeks_only=mature_weeks_only, metrics=wanted)
        if {"handoff_to_meeting_rate", "mature"} <= set(frame.columns):
            frame["meeting_band"] = [
                self.policy.bands.band(r) if mature else None
                for r, mature in zip(frame["handoff_to_meeting_rate"], frame["mature"], strict=True)
            ]
        return frame

    def speed_conversion(self, filters: Filters | None = None, mature_weeks_only: bool = False) -> pd.DataFrame:
        """Meeting and SQL conversion per speed bucket (the metrics grouped by bucket), in
        bucket order; with `mature_weeks_only`, over the handoffs of the mature MQL weeks."""
        frame = self.ask("handoff_metrics.sql", filters, group="speed_bucket", mature_weeks_only=mature_weeks_only)
        return in_bucket_order(frame[list(SPEED_CONVERSION)].rename(columns=SPEED_CONVERSION))

    def breach_queue(self, filters: Filters | None = None, warn_minutes: float | None = None) -> pd.DataFrame:
        """The breach queue at as_of (breach_queue.sql): untouched handoffs still inside their
        meeting window from `warn_minutes` business minutes before their target (default the
        policy's `alerts.warn_minutes`), each with its stage, in calling order."""
        warn = self.policy.alerts.warn_minutes if warn_minutes is None else warn_minutes
        return self.ask(
            "breach_queue.sql",
            filters,
            warn_minutes=float(warn),
            escalation_minutes=float(self.policy.escalation_minutes),
        )

    def disposition_mix(self, by: str = "all", filters: Filters | None = None) -> pd.DataFrame:
        return self.ask("disposition_mix.sql", filters, group=by)


def bucket_names() -> list[str]:
    """The speed buckets in order, the never-contacted one last."""
    return [name for name, _ in SPEED_BUCKETS] + [NEVER_BUCKET]


def in_bucket_order(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of `frame` (one per `speed_bucket`) in the buckets' order."""
    order = {b: i for i, b in enumerate(bucket_names())}
    return frame.sort_values("speed_bucket", key=lambda s: s.map(order)).reset_index(drop=True)


def speed_bucket_table() -> pd.DataFrame:
    """The speed buckets as the model's `speed_buckets` table: per bucket its bounds in
    wall-clock minutes (lower exclusive, upper inclusive; NULL: none), and the bucket of the
    never-contacted."""
    rows: list[tuple[int, str, int | None, int | None, bool]] = []
    lower: int | None = None
    for position, (name, upper) in enumerate(SPEED_BUCKETS):
        rows.append((position, name, lower, upper, True))
        lower = upper
    rows.append((len(rows), NEVER_BUCKET, None, None, False))
    frame = pd.DataFrame(rows, columns=["position", "name", "lower_minutes", "upper_minutes", "contacted"])
    return frame.astype(
        {
            "position": "int32",
            "name": "str",
            "lower_minutes": "Float64",
            "upper_minutes": "Float64",
            "contacted": "bool",
        }
    )


CALIBRATION_COLUMNS = ["speed_bucket", "mql_at", "is_sql", "meeting_in_window", "is_won", "won_amount", "week_mature"]


def calibration_facts(store, as_of: datetime | None = None, policy: Policy | None = None) -> pd.DataFrame:
    """Per-lead facts the revenue-leak calibration reads (see `handoff.leak.calibrate`), with
    `week_mature`: the calibration learns from the handoffs of mature MQL weeks only."""
    return Model(store.con, policy or Policy(), as_of).lead_handoff(columns=CALIBRATION_COLUMNS)
