"""The weekly meeting's numbers as text for people, shared by the meeting mode and the pack,
so both say the same thing in the same words.

Everything here reads an `Agenda` (handoff.model.views.meeting_agenda) and formats it with the
metric registry (labels, units, targets, the young-cohort rule). Status against the target
comes first, the change against the previous week second; a value that is still "so far" is
never compared, and a week that is not mature has no rate and no band, only booked so far and
its projection.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

import pandas as pd

from handoff.model import Filters
from handoff.model import definitions as registry
from handoff.model.dimensions import FILTERED
from handoff.model.views import Agenda, week_label
from handoff.policy import Policy

# The agenda of the 30-minute meeting (DOMAIN.md), with the minutes each item is given.
AGENDA = (
    ("status", "Status against target", 3),
    ("volume", "MQL volume and acceptance", 4),
    ("rejections", "Top 3 rejection reasons, with example leads", 6),
    ("sla", "SLA adherence: marketing's delivery vs sales' response", 6),
    ("meetings", "Handoff to meeting", 4),
    ("pipeline", "Pipeline created", 2),
    ("movers", "Reps and sources that moved most", 2),
    ("adjustment", "One adjustment we agree on (scoring or targeting)", 3),
)

# The status tiles, in order: (metric, what the tile shows).
TILES = (
    "handoffs",
    "acceptance_rate",
    "sla_compliance",
    "data_completeness",
    "handoff_to_meeting_rate",
    "pipeline_amount",
)

GOOD, BAD, NEUTRAL, SO_FAR = "good", "bad", "neutral", "so far"
BAND_STATUS = {"excellent": GOOD, "acceptable": GOOD, "below average": "warn", "critical": BAD}


@dataclass(frozen=True)
class Tile:
    name: str  # the metric
    label: str
    value: str
    status: str  # good, warn, bad, neutral or "so far": the colour of status_text
    status_text: str  # against the target (or the band), or why there is no comparison
    change_text: str  # against the previous week, second
    help: str


def short_week(week: date) -> str:
    year, number, _ = week.isocalendar()
    return f"{year}-W{number:02d}"


def when(instant, policy: Policy) -> str:
    return registry.show_date(instant, policy.timezone)


def filters_text(filters: Filters) -> str:
    """The selection in words: `All handoffs`, or `Tier: high; Team: SDR East`."""
    chosen = [(d.label, getattr(filters, d.filter or "")) for d in FILTERED]
    parts = [f"{label}: {', '.join(values)}" for label, values in chosen if values]
    return "; ".join(parts) if parts else "All handoffs"


def _change(row: pd.Series) -> str:
    if not row["final"]:
        return "not compared with last week until final"
    change = registry.show_change(row["change"], row["unit"])
    return f"vs last week {change}" if change else "no value last week to compare"


def metric_tile(name: str, agenda: Agenda, policy: Policy) -> Tile:
    row = agenda.summary.set_index("metric").loc[name]
    unit = row["unit"]
    value = registry.show(row["current"], unit)
    if not row["final"]:
        status, text = SO_FAR, f"so far, final on {when(row['final_at'], policy)}"
    elif registry.known(row["target"]):
        meets = registry.meets_target(name, row["current"], policy)
        gap = registry.show_change(row["vs_target"], unit) or "n/a"
        status = NEUTRAL if meets is None else (GOOD if meets else BAD)
        text = f"target {registry.show(row['target'], unit)} ({gap})"
    else:
        status, text = NEUTRAL, "no target"
    return Tile(name, registry.label(name, policy), value, status, text, _change(row), registry.help_text(name, policy))


def meeting_tile(agenda: Agenda, policy: Policy) -> Tile:
    """The latest mature week's rate with its band; the newer weeks as projections."""
    name = "handoff_to_meeting_rate"
    latest = agenda.latest_mature
    young = "; ".join(young_lines(agenda, policy, short=True))
    if latest is None:
        return Tile(
            name,
            registry.label(name, policy),
            "n/a",
            NEUTRAL,
            "no mature week yet",
            young or "no handoffs",
            registry.help_text(name, policy),
        )
    band = latest["meeting_band"]
    return Tile(
        name,
        f"{registry.label(name, policy)}, {short_week(latest['week'])}",
        registry.show(latest[name], "share"),
        BAND_STATUS.get(band, NEUTRAL),
        f"{band} (latest mature week)",
        young or "every week up to this one is mature",
        registry.help_text(name, policy),
    )


def tiles(agenda: Agenda, policy: Policy) -> list[Tile]:
    return [
        meeting_tile(agenda, policy) if n == "handoff_to_meeting_rate" else metric_tile(n, agenda, policy)
        for n in TILES
    ]


def young_lines(agenda: Agenda, policy: Policy, short: bool = False) -> list[str]:
    """One line per week newer than the latest mature one: booked so far, the projection and
    the date it matures (never a rate or a band)."""
    lines = []
    for _, row in agenda.young.iterrows():
        booked = registry.show(row["booked_so_far"], "share")
        projected = (
            f"projected {registry.show(row['projected'], 'share')}"
            if registry.known(row["projected"])
            else "no projection"
        )
        if short:
            lines.append(f"{short_week(row['week'])} {projected}")
        else:
            lines.append(
                f"{week_label(row['week'])}: booked so far {booked} ({row['meetings_in_window']:,.0f} of "
                f"{row['handoffs']:,.0f}), {projected}, matures on {when(row['matures_at'], policy)}"
            )
    return lines


def meeting_summary(agenda: Agenda, policy: Policy) -> str:
    latest = agenda.latest_mature
    if latest is None:
        return "No MQL week is mature yet: every week still has handoffs inside their meeting window."
    return (
        f"Latest mature week, {week_label(latest['week'])}: "
        f"{registry.show(latest['handoff_to_meeting_rate'], 'share')} "
        f"({latest['meetings_in_window']:,.0f} meetings of {latest['handoffs']:,.0f} handoffs), "
        f"{latest['meeting_band']}."
    )


# -- tables as text -------------------------------------------------------------------------
@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]  # right-aligned columns


def _table(frame: pd.DataFrame, columns: list[tuple[str, str, str | None]]) -> Table:
    """columns: (column, header, unit or None for text)."""
    rows = [
        [registry.show(r[c], unit) if unit else ("" if pd.isna(r[c]) else str(r[c])) for c, _, unit in columns]
        for _, r in frame.iterrows()
    ]
    return Table([h for _, h, _ in columns], rows, [unit is not None for _, _, unit in columns])


def _metric(name: str, policy: Policy) -> tuple[str, str, str]:
    return name, registry.header(name, policy), registry.get(name).unit


def rejections_table(agenda: Agenda, policy: Policy) -> Table:
    return _table(
        agenda.rejections,
        [
            ("reason", "Reason", None),
            ("handoffs", "Rejected handoffs", "count"),
            ("share_of_rejections", "Share of rejections", "share"),
            ("example_leads", "Example leads", None),
            ("example_companies", "Example companies", None),
        ],
    )


def delivery_table(frame: pd.DataFrame, by: str, policy: Policy) -> Table:
    label = {"team": "Team", "tier": "Tier"}.get(by, by.title())
    return _table(
        frame,
        [
            (by, label, None),
            _metric("handoffs", policy),
            _metric("data_completeness", policy),
            _metric("median_routing_business_minutes", policy),
            _metric("sla_compliance", policy),
            _metric("median_rep_business_minutes", policy),
            _metric("median_response_business_minutes", policy),
        ],
    )


def movers_table(frame: pd.DataFrame, metric: str, what: str, policy: Policy) -> Table:
    unit = registry.get(metric).unit
    rows = [
        [
            r["label"],
            registry.show(r["previous"], unit),
            registry.show(r["current"], unit),
            registry.show_change(r["change"], unit) or "",
            f"{r['handoffs_previous']:,.0f} / {r['handoffs_current']:,.0f}",
        ]
        for _, r in frame.iterrows()
    ]
    name = registry.header(metric, policy)
    return Table(
        [what, f"{name}, last week", f"{name}, this week", "Change", "Handoffs (last / this)"],
        rows,
        [False, True, True, True, True],
    )


def weekly_table(agenda: Agenda, policy: Policy) -> Table:
    """The 12 weeks: volume, acceptance, the meeting rate or (young) booked so far and the
    projection, pipeline; so-far values marked."""
    rows = []
    for _, r in agenda.trend.iterrows():
        acceptance = registry.show(r["acceptance_rate"], "share")
        if not r["dispositions_final"]:
            acceptance += " so far"
        pipeline = registry.show(r["pipeline_amount"], "money")
        if not r["pipeline_final"]:
            pipeline += " so far"
        if r["mature"]:
            rate, band = registry.show(r["handoff_to_meeting_rate"], "share"), r["meeting_band"]
            booked, projected, matures = "", "", ""
        else:
            rate, band = "not mature", ""
            booked = registry.show(r["booked_so_far"], "share")
            projected = registry.show(r["projected"], "share") if registry.known(r["projected"]) else "n/a"
            matures = when(r["matures_at"], policy)
        rows.append(
            [
                short_week(r["week"]),
                f"{r['handoffs']:,.0f}",
                acceptance,
                rate,
                band or "",
                booked,
                projected,
                matures,
                pipeline,
            ]
        )
    headers = [
        "MQL week",
        registry.header("handoffs", policy),
        registry.header("acceptance_rate", policy),
        registry.header("handoff_to_meeting_rate", policy),
        "Band",
        registry.header("booked_so_far", policy),
        registry.header("projected", policy),
        "Matures on",
        registry.header("pipeline_amount", policy),
    ]
    return Table(headers, rows, [False, True, True, True, False, True, True, False, True])


def as_records(tile: Tile) -> dict[str, str]:
    return {f.name: getattr(tile, f.name) for f in fields(tile)}
