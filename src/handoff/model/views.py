"""What each dashboard view asks: thin functions over the model, returning DataFrames.

Pages call these (and `Model` methods) only, so every number the app shows is computed
here or in SQL, the same way the CLI and the report compute it. Each function takes a
`Model` and `Filters`; none imports streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from handoff.model import Filters, Model, bucket_names, crm, dimensions, in_bucket_order
from handoff.model import definitions as registry
from handoff.stats import wilson_interval


# -- sidebar ------------------------------------------------------------------------------
def filter_options(model: Model) -> dict:
    """Values offered by each sidebar filter: {dimension: {value: label}}, plus the date range."""
    rows = model.ask("filter_options.sql", None)
    out: dict = {d.key: {} for d in dimensions.FILTERED}
    dates: tuple[date | None, date | None] = (None, None)
    for dim, value, text in rows.itertuples(index=False):
        if dim == "date":
            dates = (date.fromisoformat(value) if value else None, date.fromisoformat(text) if text else None)
        else:
            out[dim][value] = text
    out["dates"] = dates
    return out


def overall(model: Model, filters: Filters, columns: tuple[str, ...] | None = None) -> pd.Series | None:
    """All aggregates over the selection (or those in `columns`), or None when no handoff
    matches it."""
    frame = model.metrics("all", filters, columns=columns)
    return None if frame.empty else frame.iloc[0]


# -- this week ----------------------------------------------------------------------------
def weeks(model: Model, filters: Filters) -> list[date]:
    """The MQL weeks (Mondays) with handoffs in the selection, newest first."""
    frame = model.metrics("week", filters, columns=["handoffs"])
    return sorted((pd.Timestamp(w).date() for w in frame["group"]), reverse=True)


def week_filters(filters: Filters, week: date) -> Filters:
    """The selection with its date range replaced by one whole MQL week (Monday to Sunday)."""
    return replace(filters, date_from=week, date_to=week + timedelta(days=6))


def this_week(model: Model, filters: Filters, week: date) -> pd.DataFrame:
    """Every metric of one week with the previous week and the target.

    One row per metric of the registry: current, previous, change (current - previous),
    target and vs_target (current - target); `final` says whether the current value is final
    (a metric waiting for a status, such as the meeting rate for maturity, is "so far" until
    then) and `final_at` when it will be. A change or a gap to the target is only given
    between final values: a week still maturing is not compared with a finished one. Rates
    are shares (0-1). Week columns: `band` (the meeting band, a mature week only), `mature`,
    `matures_at`, `meeting_decided`.
    """
    by_week = model.metrics("week", replace(filters, date_from=None, date_to=None))
    by_week["week"] = [pd.Timestamp(w).date() for w in by_week["group"]]
    rows = by_week.set_index("week")
    previous = week - timedelta(days=7)
    out = []
    for metric in registry.METRICS:
        name = metric.name
        cur, prev = _value(rows, week, name), _value(rows, previous, name)
        final, final_at = _final(rows, week, metric.final)
        prev_final, _ = _final(rows, previous, metric.final)
        target = registry.target(name, model.policy)
        out.append(
            {
                "metric": name,
                "label": registry.label(name, model.policy),
                "unit": metric.unit,
                "current": cur,
                "previous": prev,
                "change": cur - prev
                if cur is not None
                and prev is not None
                and registry.known(cur)
                and registry.known(prev)
                and final
                and prev_final
                else None,
                "target": target,
                "vs_target": cur - target
                if cur is not None and registry.known(cur) and target is not None and final
                else None,
                "final": final,
                "final_at": final_at,
            }
        )
    frame = pd.DataFrame(out)
    frame["week"] = week
    frame["meeting_decided"] = _value(rows, week, "meeting_decided")
    mature = bool(rows.at[week, "mature"]) if week in rows.index else False
    frame["mature"] = mature
    frame["matures_at"] = rows.at[week, "matures_at"] if week in rows.index else None
    frame["band"] = model.policy.bands.band(_value(rows, week, "handoff_to_meeting_rate")) if mature else None
    return frame


def _value(rows: pd.DataFrame, week: date, name: str) -> float | None:
    if week not in rows.index:
        return None
    value = rows.at[week, name]
    return None if value is None or pd.isna(value) else float(value)


def _final(rows: pd.DataFrame, week: date, flag: str | None) -> tuple[bool, pd.Timestamp | None]:
    """Whether a week's values waiting for `flag` are final, and when they will be."""
    if flag is None:
        return True, None
    if week not in rows.index:
        return False, None
    at = rows.at[week, registry.FINAL_AT[flag]]
    return bool(rows.at[week, flag]), (None if at is None or pd.isna(at) else at)


def week_in_progress(model: Model, week: date) -> bool:
    """Whether the MQL week has not ended by as_of (company timezone): its counts are so far."""
    local = pd.Timestamp(model.as_of).tz_convert(model.policy.timezone).tz_localize(None)
    return pd.Timestamp(week + timedelta(days=7)) > local


def last_complete_week(model: Model, filters: Filters) -> date | None:
    """The newest MQL week of the selection that had ended by as_of (its Sunday is over in the
    company timezone): the week a weekly meeting looks back on. None without handoffs."""
    local = pd.Timestamp(model.as_of).tz_convert(model.policy.timezone)
    this_monday = (local.normalize() - pd.Timedelta(days=local.weekday())).date()
    ended = [w for w in weeks(model, filters) if w + timedelta(days=7) <= this_monday]
    return ended[0] if ended else None


def week_label(week: date) -> str:
    """`2026-W46 (week of 2026-11-09)`: the ISO week and its Monday."""
    year, number, _ = week.isocalendar()
    return f"{year}-W{number:02d} (week of {week:%Y-%m-%d})"


def parse_week(text: str) -> date:
    """`2026-W46` -> the Monday of that ISO week; ValueError for anything else."""
    import re

    match = re.fullmatch(r"(\d{4})-?W(\d{2})", (text or "").strip(), re.IGNORECASE)
    if not match:
        raise ValueError(f"--week: not an ISO week such as 2026-W46: {text!r}")
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        raise ValueError(f"--week: no such ISO week: {text!r}") from None


def weekly(model: Model, filters: Filters, through: date, n: int = 12) -> pd.DataFrame:
    """The registry's metrics and status fields per MQL week, for the n weeks ending with
    `through` (oldest first; weeks without handoffs are absent), over the selection without
    its date range. Each row's `meeting_band` is set for a mature week only."""
    frame = model.metrics("week", replace(filters, date_from=None, date_to=None))
    frame["week"] = [pd.Timestamp(w).date() for w in frame["group"]]
    first = through - timedelta(days=7 * (n - 1))
    frame = frame[(frame["week"] >= first) & (frame["week"] <= through)]
    return frame.drop(columns=["group", "owner_name", "team"]).sort_values("week").reset_index(drop=True)


MOVER_COLUMNS = ["group", "label", "previous", "current", "change", "handoffs_previous", "handoffs_current"]


def movers(
    model: Model, filters: Filters, week: date, by: str, metric: str, n: int = 3, min_handoffs: int = 5
) -> pd.DataFrame:
    """The n groups (reps, sources...) whose `metric` moved most from the week before to
    `week`, by the size of the change; only groups with at least `min_handoffs` handoffs in
    both weeks (a rate over two leads moves by chance)."""
    cur = model.metrics(by, week_filters(filters, week)).set_index("group")
    prev = model.metrics(by, week_filters(filters, week - timedelta(days=7))).set_index("group")
    both = cur.index.intersection(prev.index)
    frame = pd.DataFrame(
        {
            "group": both,
            "label": [_group_label(cur, g, by) for g in both],
            "previous": prev.loc[both, metric].astype(float).to_numpy(),
            "current": cur.loc[both, metric].astype(float).to_numpy(),
            "handoffs_previous": prev.loc[both, "handoffs"].to_numpy(),
            "handoffs_current": cur.loc[both, "handoffs"].to_numpy(),
        }
    )
    frame["change"] = frame["current"] - frame["previous"]
    frame = frame[(frame["handoffs_previous"] >= min_handoffs) & (frame["handoffs_current"] >= min_handoffs)]
    frame = frame[frame["change"].notna()]
    order = frame["change"].abs().sort_values(ascending=False, kind="stable").index
    return frame.loc[order].head(n)[MOVER_COLUMNS].reset_index(drop=True)


def _group_label(frame: pd.DataFrame, group, by: str) -> str:
    name = frame.at[group, "owner_name"] if by == "rep" else None
    return f"{name} ({group})" if isinstance(name, str) and name else str(group)


DELIVERY_COLUMNS = [
    "handoffs",
    "data_completeness",
    "routing_known",
    "median_routing_business_minutes",  # marketing's delivery
    "sla_compliance",
    "median_rep_business_minutes",
    "median_response_business_minutes",  # sales' response
]


def delivery_vs_response(model: Model, filters: Filters, by: str = "team") -> pd.DataFrame:
    """Per group: marketing's delivery (routing delay, data completeness) beside sales'
    response (SLA compliance, rep delay, response time)."""
    frame = model.metrics(by, filters).drop(columns=[by], errors="ignore").rename(columns={"group": by})
    return frame[[by, *DELIVERY_COLUMNS]]


@dataclass
class Agenda:
    """The weekly alignment meeting's numbers for one MQL week (DOMAIN: the 30-minute agenda).
    The meeting page and the pack (`handoff report`) both draw this, so they agree."""

    week: date
    as_of: datetime
    summary: pd.DataFrame  # this_week(): one row per metric
    trend: pd.DataFrame  # weekly(): the 12 weeks ending with `week`
    latest_mature: pd.Series | None  # the newest mature week up to `week` (its rate and band)
    young: pd.DataFrame  # the weeks after it, up to `week`: booked so far and projections
    rejections: pd.DataFrame  # the top 3 rejection reasons of the week, with example leads
    by_team: pd.DataFrame  # delivery_vs_response() of the week
    by_tier: pd.DataFrame
    rep_movers: pd.DataFrame  # movers(): SLA compliance per rep
    source_movers: pd.DataFrame  # movers(): MQLs handed off per source

    @property
    def previous(self) -> date:
        return self.week - timedelta(days=7)


TREND_WEEKS = 12
REP_MOVER_METRIC = "sla_compliance"
SOURCE_MOVER_METRIC = "handoffs"


def meeting_agenda(model: Model, filters: Filters, week: date) -> Agenda:
    """Everything the weekly meeting shows for `week`, over the selection (its date range is
    replaced by the week)."""
    scoped = week_filters(filters, week)
    trend = weekly(model, filters, week, TREND_WEEKS)
    history = weekly(model, filters, week, n=10_000)
    mature = history[history["mature"].astype(bool)]
    latest = mature.iloc[-1] if len(mature) else None
    young = history[history["week"] > latest["week"]] if latest is not None else history
    return Agenda(
        week=week,
        as_of=pd.Timestamp(model.as_of).to_pydatetime(),
        summary=this_week(model, filters, week),
        trend=trend,
        latest_mature=latest,
        young=young.reset_index(drop=True),
        rejections=top_rejections(model, scoped, n=3),
        by_team=delivery_vs_response(model, scoped, "team"),
        by_tier=delivery_vs_response(model, scoped, "tier"),
        rep_movers=movers(model, filters, week, "rep", REP_MOVER_METRIC),
        source_movers=movers(model, filters, week, "source", SOURCE_MOVER_METRIC),
    )


def top_rejections(model: Model, filters: Filters, n: int = 3) -> pd.DataFrame:
    """The n most frequent rejection reasons with example leads."""
    frame = rejection_reasons(model, filters, by="all")
    return frame.head(n).drop(columns=["group"])


def sla_by_team(model: Model, filters: Filters) -> pd.DataFrame:
    columns = ["handoffs", "met", "breached", "pending", "sla_compliance", "median_response_business_minutes"]
    frame = model.metrics("team", filters, columns=columns)
    return frame.rename(columns={"group": "team_name"})[["team_name", *columns]]


# -- SLA compliance -------------------------------------------------------------------------
def sla_trend(model: Model, filters: Filters, by: str = "tier") -> pd.DataFrame:
    """SLA outcomes and compliance per MQL week and group (tier, source, team...)."""
    return model.ask("compliance_trend.sql", filters, group=by)


def speed_distribution(model: Model, filters: Filters) -> pd.DataFrame:
    """Handoffs per speed bucket with their share, in bucket order."""
    frame = model.metrics("speed_bucket", filters, columns=["handoffs"])[["group", "handoffs"]]
    frame = in_bucket_order(frame.rename(columns={"group": "speed_bucket"}))
    total = frame["handoffs"].sum()
    frame["share"] = frame["handoffs"] / total if total else np.nan
    return frame


def delays(model: Model, filters: Filters, by: str = "team") -> pd.DataFrame:
    """Routing delay (system) vs rep delay per group, in median business minutes."""
    columns = ["handoffs", "routing_known", "median_routing_business_minutes", "median_rep_business_minutes"]
    frame = model.metrics(by, filters, columns=columns).drop(columns=[by], errors="ignore")
    return frame.rename(columns={"group": by})[[by, *columns]]


# -- the call list (the breach queue) ---------------------------------------------------------
CALL_LIST_COLUMNS = [
    "lead_id",
    "owner_id",
    "owner_name",
    "company",
    "title",
    "source",
    "tier",
    "stage",
    "mql_at",
    "elapsed_business_minutes",
    "sla_target_business_minutes",
    "minutes_left",
    "due",
    "crm_url",
]
CALL_STAGES = ("warning", "breached", "escalated")
"""The stages of the call list, in the order a lead goes through them."""


def call_list(model: Model, filters: Filters | None = None, warn_minutes: float | None = None) -> pd.DataFrame:
    """The breach queue at the model's as_of as the list a sales manager calls from.

    One row per handoff untouched at as_of, still inside its meeting window, whose elapsed
    business minutes since mql_at are at least target - `warn_minutes` (default the policy's
    `alerts.warn_minutes`). `stage`: warning (elapsed <= target), breached (<= target + the
    policy's `escalation_minutes`), escalated (beyond). Order: the warnings first, least time
    left first; then the breached and escalated by tier (high, medium, low), newest first.

    Columns (CALL_LIST_COLUMNS): lead_id, owner_id, owner_name, company, title, source, tier,
    stage, mql_at (UTC), elapsed_business_minutes, sla_target_business_minutes, minutes_left
    (target - elapsed: negative when overdue), due (the same in words: "1 h 05 min business
    time left", "overdue by 3 h 20 min business") and crm_url (the lead's CRM record, None for
    files). `handoff alert`, the CLI and the pages all read this function.
    """
    warn = model.policy.alerts.warn_minutes if warn_minutes is None else float(warn_minutes)
    if not np.isfinite(warn) or warn < 0:
        raise ValueError(f"warning time must be zero or more business minutes, not {warn_minutes!r}")
    frame = model.breach_queue(filters, warn_minutes=warn)
    links = crm.store_links(model)
    frame["due"] = [due_text(m) for m in frame["minutes_left"]]
    frame["crm_url"] = pd.Series([links.url(i) for i in frame["lead_id"]], index=frame.index, dtype="object")
    return frame[CALL_LIST_COLUMNS].reset_index(drop=True)


def call_list_system(model: Model) -> str | None:
    """The CRM the call list's links open ("Salesforce", "HubSpot"), None without links."""
    return crm.store_links(model).name


def call_list_counts(frame: pd.DataFrame) -> dict[str, int]:
    """Leads per stage of a call list, every stage present (0 when none)."""
    counts = frame["stage"].value_counts() if len(frame) else pd.Series(dtype="int64")
    return {stage: int(counts.get(stage, 0)) for stage in CALL_STAGES}


def call_list_by_rep(frame: pd.DataFrame) -> list[tuple[str | None, str | None, pd.DataFrame]]:
    """A call list split per rep: (owner_id, owner_name, that rep's rows in calling order), the
    rep with the most leads to call first (ties: the rep whose first lead comes first in the
    list); the unassigned leads form one group with owner_id None."""
    if frame.empty:
        return []
    keys = frame["owner_id"].astype("object").where(frame["owner_id"].notna(), None)
    groups: dict[str | None, list[int]] = {}
    for position, key in enumerate(keys):
        groups.setdefault(key, []).append(position)
    order = sorted(groups, key=lambda k: (-len(groups[k]), groups[k][0]))
    out = []
    for key in order:
        rows = frame.iloc[groups[key]].reset_index(drop=True)
        name = rows["owner_name"].iloc[0]
        out.append((key, name if isinstance(name, str) and name else None, rows))
    return out


def due_text(minutes_left: float | None) -> str:
    """Time left before the SLA target, or past it, in business hours and minutes:
    "1 h 05 min business time left", "45 min business time left", "overdue by 3 h 20 min
    business". Time left is rounded down and time overdue up, so neither looks better than
    it is; less than a minute left says so."""
    if minutes_left is None or pd.isna(minutes_left):
        return ""
    value = float(minutes_left)
    if value >= 0:
        whole = int(np.floor(value + 1e-9))
        if whole == 0 and value > 1e-9:
            return "under 1 min business time left"
        return f"{_hours_minutes(whole)} business time left"
    return f"overdue by {_hours_minutes(int(np.ceil(-value - 1e-9)))} business"


def _hours_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"


# -- reps -----------------------------------------------------------------------------------
REP_COLUMNS = [
    "owner_id",
    "owner_name",
    "team",
    "handoffs",
    "median_response_business_minutes",
    "p90_response_business_minutes",
    "sla_compliance",
    "never_contacted",
    "never_contacted_rate",
    "avg_touches_in_window",
    "cadence_rate",
    "disposition_on_time_rate",
    "dispositions_final",
]


def rep_table(model: Model, filters: Filters) -> pd.DataFrame:
    """One row per rep (owner as the lead has it), slowest median first."""
    frame = model.metrics("rep", filters, columns=REP_COLUMNS[3:]).rename(columns={"group": "owner_id"})[REP_COLUMNS]
    return frame.sort_values("median_response_business_minutes", ascending=False, na_position="first").reset_index(
        drop=True
    )


def rep_distribution(model: Model, filters: Filters) -> pd.DataFrame:
    return model.ask("rep_distribution.sql", filters, group="rep")


REP_LEAD_COLUMNS = [
    "lead_id",
    "company",
    "tier",
    "source",
    "mql_at",
    "first_touch_at",
    "response_business_minutes",
    "sla_target_business_minutes",
    "sla_status",
    "speed_bucket",
    "touches_in_window",
    "meeting_in_window",
    "disposition",
    "disposition_on_time",
]


def rep_leads(model: Model, filters: Filters, owner_id: str) -> pd.DataFrame:
    """One rep's handoffs in the selection, newest first."""
    one_rep: dict[str, Any] = {"owners": (owner_id,)}
    frame = model.lead_handoff(replace(filters, **one_rep), columns=REP_LEAD_COLUMNS)
    return frame.iloc[::-1].reset_index(drop=True)


# -- dispositions ---------------------------------------------------------------------------
def disposition_trend(model: Model, filters: Filters) -> pd.DataFrame:
    frame = model.disposition_mix("week", filters).rename(columns={"group": "week"})
    return frame


def acceptance_by_week(model: Model, filters: Filters) -> pd.DataFrame:
    columns = ["dispositioned", "accepted", "acceptance_rate", "dispositions_final", "dispositions_final_at"]
    frame = model.metrics("week", filters, columns=columns).rename(columns={"group": "week"})
    return frame[["week", *columns]]


def rejection_reasons(model: Model, filters: Filters, by: str = "source") -> pd.DataFrame:
    """Rejection reasons per group (the feedback loop to marketing), with example leads."""
    frame = model.ask("rejection_reasons.sql", filters, group=by)
    for col in ("example_leads", "example_companies"):
        frame[col] = [", ".join(x for x in list(v) if x) if v is not None else "" for v in frame[col]]
    return frame


def undispositioned(model: Model, filters: Filters) -> pd.DataFrame:
    return model.ask("undispositioned.sql", filters)


# -- handoff to meeting ---------------------------------------------------------------------
def meeting_rate(model: Model, filters: Filters, by: str = "week", mature_weeks_only: bool = False) -> pd.DataFrame:
    """Handoff-to-meeting rate and band per group: a mature group's rate and band, else its
    booked so far, projection and the date it matures (never a band). With
    `mature_weeks_only`, over the handoffs of the selection's mature MQL weeks."""
    shown = [
        "handoffs",
        "meeting_decided",
        "meetings_in_window",
        "mature",
        "handoff_to_meeting_rate",
        "booked_so_far",
        "projected",
        "matures_at",
    ]
    frame = model.metrics(by, filters, mature_weeks_only=mature_weeks_only, columns=shown)
    frame = frame.drop(columns=[by], errors="ignore").rename(columns={"group": by})
    cols = [by, *shown[:5], "meeting_band", *shown[5:]]
    if by == "rep":
        cols.insert(1, "owner_name")
    return frame[cols]


def mature_weeks(model: Model, filters: Filters) -> tuple[date | None, date | None, int]:
    """The first and last mature MQL week of the selection and how many weeks are mature."""
    frame = model.metrics("week", filters, columns=["mature"])
    mature = frame[frame["mature"].astype(bool)]
    if mature.empty:
        return None, None, 0
    weeks_ = sorted(pd.Timestamp(w).date() for w in mature["group"])
    return weeks_[0], weeks_[-1], len(weeks_)


def conversion_by_speed(model: Model, filters: Filters) -> pd.DataFrame:
    """Meeting and SQL rate per speed bucket over the handoffs of the selection's mature MQL
    weeks (every meeting outcome known), with counts and 95% Wilson intervals."""
    frame = model.speed_conversion(filters, mature_weeks_only=True).copy()
    frame["meeting_rate_low"], frame["meeting_rate_high"] = wilson_interval(
        frame["meetings_in_window"], frame["meeting_decided"]
    )
    frame["sql_rate_low"], frame["sql_rate_high"] = wilson_interval(frame["sqls"], frame["handoffs"])
    present = [b for b in bucket_names() if b in set(frame["speed_bucket"])]
    frame = frame.set_index("speed_bucket").loc[present].reset_index()
    return frame.drop(columns=["mature", "booked_so_far", "projected", "matures_at"])


# -- data -----------------------------------------------------------------------------------
def table_counts(model: Model) -> pd.DataFrame:
    return model.ask("table_counts.sql", None)


def load_history(model: Model) -> pd.DataFrame:
    return model.ask("load_history.sql", None)


def recent_rejects(model: Model, limit: int = 500) -> pd.DataFrame:
    return model.ask("recent_rejects.sql", None, limit=int(limit))


def sync_status(model: Model) -> pd.DataFrame:
    return model.ask("sync_status.sql", None)


def alerts_sent(model: Model, limit: int = 200) -> pd.DataFrame:
    """The latest alerts delivered by `handoff alert`, newest first."""
    return model.ask("alerts_sent.sql", None, limit=int(limit))


def alert_failures(model: Model, limit: int = 50) -> pd.DataFrame:
    """The latest failed alert deliveries (error kind, alerts left pending), newest first."""
    return model.ask("alert_failures.sql", None, limit=int(limit))


# -- revenue leak ---------------------------------------------------------------------------
def leak_calibration(model: Model, filters: Filters, metric: str = "sql"):
    """Leak inputs calibrated from the selection's per-lead facts (`handoff.leak.calibrate`),
    learnt from the handoffs of its mature MQL weeks only."""
    from handoff import leak

    facts = model.lead_handoff(filters, columns=[*leak.FACT_COLUMNS, "week_mature"])
    return leak.calibrate(facts, metric=metric)


# -- the rep scorecard, never-contacted spend, routing delay, the recent backlog -----------------
SCORECARD_WEEKS = 12
NEAR_TARGET = 0.10
"""SLA compliance this far (a share) below its target reads `near` (amber), further `below` (red)."""


def rep_weekly(model: Model, filters: Filters, weeks: int = SCORECARD_WEEKS) -> pd.DataFrame:
    """Per owner and MQL week, the `weeks` weeks ending with the selection's newest: handoffs,
    met, breached, SLA compliance and median response in business minutes (rep_weekly.sql);
    a week without handoffs of that owner has empty values."""
    return model.ask("rep_weekly.sql", filters, group="rep", weeks=int(weeks))


def sla_standing(value: Any, target: float, near: float = NEAR_TARGET) -> str | None:
    """`met` at or above the target, `near` within `near` below it, else `below`; None
    without a value."""
    if not registry.known(value):
        return None
    if value >= target:
        return "met"
    return "near" if value >= target - near else "below"


def rep_scorecard(model: Model, filters: Filters, weeks: int = SCORECARD_WEEKS) -> pd.DataFrame:
    """`rep_table` with, per owner: `person` (a known rep, not a queue or no owner),
    `sla_standing` (met, near or below the SLA compliance target) and `sla_weekly`, the
    weekly SLA compliance of the last `weeks` MQL weeks (a list, oldest first, without the
    weeks that have no decided handoff), for a sparkline."""
    table = rep_table(model, filters)
    weekly_rows = rep_weekly(model, filters, weeks)
    target = registry.target("sla_compliance", model.policy)
    assert target is not None  # the registry gives SLA compliance a target
    series = {
        owner: [float(v) for v in rows.sort_values("week")["sla_compliance"] if not pd.isna(v)]
        for owner, rows in weekly_rows.groupby("owner_id", sort=False)
    }
    person = dict(zip(weekly_rows["owner_id"], weekly_rows["assigned"].astype(bool), strict=False))
    table["person"] = [person.get(o, False) for o in table["owner_id"]]
    table["sla_standing"] = [sla_standing(v, target) for v in table["sla_compliance"]]
    table["sla_weekly"] = [series.get(o, []) for o in table["owner_id"]]
    return table


def never_contacted(model: Model, filters: Filters, by: str = "rep") -> pd.DataFrame:
    """Never-contacted handoffs per rep or source with the spend they represent (DESIGN:
    never-contacted handoffs x the policy's cost_per_lead, in its currency), most spend
    first; `still_open`: of them, those whose meeting window is still open. Only groups with
    a never-contacted handoff."""
    if by not in ("rep", "source"):
        raise ValueError(f"never-contacted leads are listed by rep or source, not {by!r}")
    frame = model.ask("never_contacted.sql", filters, group=by, cost_per_lead=float(model.policy.cost_per_lead))
    frame = frame.rename(columns={"group": "owner_id" if by == "rep" else "source"})
    if by == "source":
        frame = frame.drop(columns=["owner_name", "assigned"])
    return frame


ROUTING_LATE_MINUTES = 5.0
"""A handoff that waited longer than this many business minutes for an owner was routed late."""


def routing_delay(
    model: Model, filters: Filters, by: str = "team", late_minutes: float = ROUTING_LATE_MINUTES
) -> pd.DataFrame:
    """Per group, the system's part of the response (business minutes mql_at -> assigned_at:
    median, p90 and the share assigned after `late_minutes`) beside the rep's part (median
    and p90 business minutes from assignment to the first touch)."""
    frame = model.ask("routing_delay.sql", filters, group=by, late_minutes=float(late_minutes))
    return frame.rename(columns={"group": by})


BACKLOG_WEEKS = 4
"""The undispositioned backlog shown by default: handoffs whose MQL date is at most the
disposition SLA plus this many weeks before as_of."""


def backlog_start(model: Model, weeks: int = BACKLOG_WEEKS) -> date:
    """The first company-local MQL date of the recent undispositioned backlog."""
    local = pd.Timestamp(model.as_of).tz_convert(model.policy.timezone)
    start = local - pd.Timedelta(hours=model.policy.disposition_sla_hours) - pd.Timedelta(weeks=weeks)
    return start.date()


def recent_undispositioned(model: Model, filters: Filters, weeks: int | None = BACKLOG_WEEKS) -> pd.DataFrame:
    """`undispositioned` over the recent handoffs only (MQL date from `backlog_start`, within
    the selection's own range); `weeks=None`: all of them."""
    if weeks is None:
        return undispositioned(model, filters)
    start = backlog_start(model, weeks)
    if filters.date_from is not None and filters.date_from > start:
        start = filters.date_from
    return undispositioned(model, replace(filters, date_from=start))


# -- owner history: accountability -------------------------------------------------------
ACCOUNTABILITY_COLUMNS = ["owner_id", "owner_name", "team", "breaches_owned", "reassigned_away", "reassigned_in"]


def rep_accountability(model: Model, filters: Filters) -> pd.DataFrame:
    """Per accountable owner (a rep, or one unassigned row for owners that are no known rep)
    of the selection's handoffs: breaches owned (by the owner at the breach, not the lead's
    owner now), leads held untouched and reassigned away, and leads received by
    reassignment (rep_accountability.sql); the most breaches first."""
    return model.ask("rep_accountability.sql", filters)[ACCOUNTABILITY_COLUMNS]


ESCALATION_FIELDS = ["breached", "escalated", "escalation_decided", "escalation_rate"]


def escalation(model: Model, filters: Filters) -> pd.Series | None:
    """The selection's breaches and their escalation: breached, escalated (reassigned within
    the policy's escalation time after the breach), escalation_decided, escalation_rate, and
    escalation_open (breaches still inside their escalation time without a reassignment:
    not counted yet); None when no handoff matches."""
    frame = model.metrics("all", filters, columns=ESCALATION_FIELDS)
    if frame.empty:
        return None
    row = frame.iloc[0][ESCALATION_FIELDS].copy()
    row["escalation_open"] = int(row["breached"]) - int(row["escalation_decided"])
    return row
