"""The rep scorecard of the Rep response page: one row per person, a routing table for the
queues and the leads without an owner, and a click on a rep opening that rep's leads.

Numbers come from `views.rep_scorecard`; here they only get their words: short headers
that fit (the definition in each header's tooltip), durations in business time with their
unit, counts with thousands separators, SLA compliance coloured against its target with a
text marker beside the colour (met, near, below), a 12-week sparkline of weekly SLA
compliance, and "so far" on a disposition rate that can still change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from handoff.model import definitions as registry
from handoff.model.views import NEAR_TARGET
from handoff.policy import Policy
from handoff.ui import format

if TYPE_CHECKING:  # Styler's module (and jinja2) load when a table is first styled
    from pandas.io.formats.style import Styler

SELECTION_KEY = "scorecard"
ROUTING_KEY = "scorecard_routing"
URL_KEY = "leads_of"
"""URL key of the rep whose leads are open (`?leads_of=R13`)."""

# What a person reads beside the colour of SLA compliance: a marker and a word.
STANDING_MARKS = {"met": "\u2713", "near": "!", "below": "\u2715"}
STANDING_BACKGROUND = {"met": "#e8f5e9", "near": "#fff3cd", "below": "#fde0e0"}
STANDING_TEXT = {"met": "#1b5e20", "near": "#6d4c00", "below": "#8e0000"}

HEADER_FONT_PX = 14
CHAR_PX = 8.2  # a generous average width of the grid's header font at 14 px
HEADER_PADDING_PX = 44  # cell padding and the sort arrow
MISSING = "\u2014"


@dataclass(frozen=True)
class Column:
    name: str  # the scorecard frame's column
    header: str  # what a person reads: short, distinct
    help: str  # the header's tooltip (a template filled from the policy)
    min_width: int = 0  # at least this wide for the cells (pixels)

    def width(self) -> int:
        """A width (pixels) that holds the header whole, and the cells."""
        return max(self.min_width, header_width(self.header))


def header_width(text: str) -> int:
    """Pixels a header needs in the grid: its text at the header font, with padding."""
    return int(round(len(text) * CHAR_PX + HEADER_PADDING_PX))


COLUMNS: tuple[Column, ...] = (  # most important first: the rest scroll at narrow widths
    Column("who", "Rep", "The lead owner: a rep of the reps table.", 150),
    Column(
        "sla_compliance",
        "SLA met",
        "The share of the rep's decided MQLs touched within their tier's target ({sla_minutes.high:g}, "
        "{sla_minutes.medium:g} and {sla_minutes.low:g} business minutes for high, medium and low), "
        "against the {sla_target:.0%} target: \u2713 on target, ! within {near_points:g} points, \u2715 below. "
        "Leads still inside their target are left out until decided.",
        120,
    ),
    Column(
        "sla_weekly",
        "Last 12 weeks",
        "SLA met per MQL week over the 12 weeks ending with the newest week of the selection (0-100%); "
        "weeks without a decided lead are skipped.",
        120,
    ),
    Column(
        "median_response_business_minutes",
        "Median reply",
        "Half of the rep's contacted MQLs got a first touch within this much business time "
        "(business hours of the rep's own calendar), counted from the MQL moment.",
        125,
    ),
    Column(
        "p90_response_business_minutes",
        "Slowest 10%",
        "Nine in ten of the rep's contacted MQLs got a first touch within this much business time; "
        "the slowest tenth waited longer.",
        125,
    ),
    Column(
        "never_contacted",
        "Never contacted",
        "MQLs without any touch or booked meeting yet, and their share of the rep's MQLs.",
        120,
    ),
    Column("handoffs", "MQLs", "MQLs handed off to the rep in the selection.", 70),
    Column("team", "Team", "The rep's team.", 100),
    Column(
        "cadence_rate",
        "Cadence kept",
        "The share of MQLs with at least {cadence_target} touches by a person in their first "
        "{meeting_window_days:g} business days.",
        100,
    ),
    Column(
        "disposition_on_time_rate",
        "Answered in {disposition_sla_hours:g} h",
        "The share of the rep's answered MQLs (a disposition) answered within {disposition_sla_hours:g} hours "
        "(wall clock) of the MQL moment. \u201cso far\u201d: MQLs of the last {disposition_sla_hours:g} hours "
        "may still be answered in time.",
        110,
    ),
)
ROUTING_FIRST = Column("who", "Queue or owner", "The owner as the leads have it: a queue or no owner.", 170)


def _policy_words(policy: Policy) -> dict:
    words = registry.policy_context(policy)
    words["sla_target"] = registry.target("sla_compliance", policy)
    words["near_points"] = NEAR_TARGET * 100
    return words


def columns(policy: Policy, routing: bool = False) -> list[tuple[Column, str, str]]:
    """The scorecard's columns with their header and help filled from the policy."""
    words = _policy_words(policy)
    chosen = [ROUTING_FIRST if routing and c.name == "who" else c for c in COLUMNS]
    if routing:
        chosen = [c for c in chosen if c.name != "team"]
    return [(c, c.header.format(**words), c.help.format(**words)) for c in chosen]


def _percent(value) -> str:
    return format.rate(value)


def frame(scorecard: pd.DataFrame, people: bool) -> pd.DataFrame:
    """The scorecard's people (known reps) or its routing rows (queues, no owner), with a
    readable `who` (the rep's name, else the owner id as the leads have it)."""
    rows = scorecard[scorecard["person"] == people].reset_index(drop=True)
    names = rows["owner_name"].where(rows["owner_name"].notna() & (rows["owner_name"] != ""), rows["owner_id"])
    rows.insert(0, "who", names.astype(str))
    return rows


def sla_text(value, standing: str | None) -> str:
    """SLA compliance with its marker and standing: `\u2715 13.0% below`."""
    if not registry.known(value) or standing not in STANDING_MARKS:
        return MISSING
    return f"{STANDING_MARKS[standing]} {format.rate(value)} {standing}"


def people_only(frame: pd.DataFrame, people: list[str]) -> pd.DataFrame:
    """The rows of a per-owner answer whose owner is one of `people` (the scorecard's reps)."""
    return frame[frame["owner_id"].isin(people)].reset_index(drop=True)


def styled(rows: pd.DataFrame, policy: Policy, routing: bool = False) -> Styler:
    """The rows as a Styler: each cell's text as a person reads it (the raw values stay for
    sorting), SLA compliance on its target's colour with its marker, a disposition rate that
    can still change marked "so far"."""
    day = float(policy.business_hours.day_minutes)
    shown = [c.name for c, _, _ in columns(policy, routing)]
    data = rows[[*shown, "sla_standing", "dispositions_final", "never_contacted_rate"]]
    styler = data.style.format(
        {
            "median_response_business_minutes": lambda v: format.duration(v, "business", day),
            "p90_response_business_minutes": lambda v: format.duration(v, "business", day),
            "cadence_rate": format.rate,
            "handoffs": format.count,
        }
    )
    for i in data.index:  # the texts that read another column of the row: one cell each
        share = format.rate(data.at[i, "never_contacted_rate"])
        never = f"{format.count(data.at[i, 'never_contacted'])} \u00b7 {share}"
        styler = styler.format(lambda _, text=never: text, subset=pd.IndexSlice[[i], ["never_contacted"]])
        text = sla_text(data.at[i, "sla_compliance"], data.at[i, "sla_standing"])
        styler = styler.format(lambda _, text=text: text, subset=pd.IndexSlice[[i], ["sla_compliance"]])
        answered = data.at[i, "disposition_on_time_rate"]
        late = "" if bool(data.at[i, "dispositions_final"]) or not registry.known(answered) else " so far"
        answered_text = _percent(answered) + late
        styler = styler.format(
            lambda _, text=answered_text: text, subset=pd.IndexSlice[[i], ["disposition_on_time_rate"]]
        )
    return styler.apply(_standing_colours, axis=None, standing=data["sla_standing"])


def _standing_colours(data: pd.DataFrame, standing: pd.Series) -> pd.DataFrame:
    css = pd.DataFrame("", index=data.index, columns=data.columns)
    css["sla_compliance"] = [
        f"background-color: {STANDING_BACKGROUND[s]}; color: {STANDING_TEXT[s]}" if s in STANDING_BACKGROUND else ""
        for s in standing
    ]
    return css


def column_config(policy: Policy, routing: bool = False) -> dict:
    """Header, tooltip and width of every column; the two helper columns hidden."""
    config: dict = {"sla_standing": None, "dispositions_final": None, "never_contacted_rate": None}
    for c, header, help_text in columns(policy, routing):
        width = max(c.min_width, header_width(header))
        if c.name == "sla_weekly":
            config[c.name] = st.column_config.LineChartColumn(header, help=help_text, width=width, y_min=0, y_max=1)
        else:
            config[c.name] = st.column_config.Column(header, help=help_text, width=width)
    return config


def widths(policy: Policy, routing: bool = False) -> dict[str, int]:
    """The configured width of each header (as a person reads it), for checks."""
    return {header: max(c.min_width, header_width(header)) for c, header, _ in columns(policy, routing)}


# -- never-contacted leads and the spend they represent ----------------------------------------
def never_contacted_columns(policy: Policy, by: str) -> dict[str, tuple[str, str]]:
    """(header, tooltip) per column of a never-contacted list by rep or by source."""
    money = f"Spend ({format.symbol(policy.currency)})"
    first = (
        {"who": ("Owner", "The lead owner: a rep, a queue or no owner.")}
        if by == "rep"
        else {"source": ("Source", "The lead's source.")}
    )
    return {
        **first,
        "handoffs": ("MQLs", "MQLs handed off in the selection."),
        "never_contacted": ("Never contacted", "MQLs without any touch or booked meeting yet."),
        "never_contacted_rate": ("% never contacted", "Never contacted / MQLs."),
        "still_open": (
            "Still in window",
            f"Of the never contacted, those still inside their first {policy.meeting_window_days:g} business days: "
            "a first touch can still come.",
        ),
        "never_contacted_spend": (
            money,
            f"What marketing paid for the never-contacted MQLs: never contacted x the cost per lead "
            f"({format.money(policy.cost_per_lead, policy.currency)}).",
        ),
    }


def never_contacted_frame(frame: pd.DataFrame, by: str) -> pd.DataFrame:
    """A never-contacted list with a readable owner (`who`) when by rep."""
    if by != "rep":
        return frame.reset_index(drop=True)
    rows = frame.reset_index(drop=True)
    names = rows["owner_name"].where(rows["owner_name"].notna() & (rows["owner_name"] != ""), rows["owner_id"])
    rows.insert(0, "who", names.astype(str))
    return rows


def never_contacted_config(policy: Policy, by: str) -> dict:
    """Header, tooltip, format and width of a never-contacted list's columns."""
    config: dict = {"owner_id": None, "owner_name": None, "assigned": None}
    for name, (header, help_text) in never_contacted_columns(policy, by).items():
        if name == "never_contacted_spend":  # the Styler's text: $229,950 (sorted by the amount)
            column = st.column_config.Column(header, help=help_text)
        elif name == "never_contacted_rate":
            column = format.rate_column(header, help_text)
        elif name in ("handoffs", "never_contacted", "still_open"):
            column = format.count_column(header, help_text)
        else:
            column = st.column_config.TextColumn(header, help=help_text)
        column["width"] = max(header_width(column.get("label") or header), 150 if name in ("who", "source") else 0)
        config[name] = column
    return config


def never_contacted_styled(frame: pd.DataFrame, policy: Policy) -> Styler:
    """A never-contacted list as a person reads it: the spend as text in the policy's
    currency, in full ($229,950, so a screen reader and a copied cell say the currency too;
    the list comes most spend first), counts with separators."""
    counts = {c: format.count for c in ("handoffs", "never_contacted", "still_open") if c in frame.columns}
    shown = frame.copy()
    if "never_contacted_spend" in shown.columns:
        shown["never_contacted_spend"] = [format.money(v, policy.currency) for v in shown["never_contacted_spend"]]
    return shown.style.format(counts, subset=list(counts))


def for_download(frame: pd.DataFrame, headers: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """The columns a person reads, under their headers, for a CSV download."""
    shown = [c for c in headers if c in frame.columns]
    return frame[shown].rename(columns={c: headers[c][0] for c in shown})


def scorecard_headers(policy: Policy, routing: bool = False) -> dict[str, tuple[str, str]]:
    """(header, tooltip) per scorecard column a CSV carries (the sparkline's weeks are not one)."""
    out = {c.name: (header, text) for c, header, text in columns(policy, routing) if c.name != "sla_weekly"}
    out["never_contacted_rate"] = ("% never contacted", "Never contacted / MQLs handed off to the rep.")
    return out
