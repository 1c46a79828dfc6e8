"""What every page shares: the frame (sidebar, sample banner), errors, headline metrics."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Literal

import pandas as pd
import streamlit as st

from handoff.data import StoreError
from handoff.model import Filters
from handoff.model import definitions as registry
from handoff.model.dimensions import FILTERED
from handoff.model.summary import no_handoffs
from handoff.ui import filters as sidebar_filters
from handoff.ui import format, state


def ensure_app_routing() -> None:
    """Run every page through app.py's navigation, even as a server's very first request.

    Streamlit treats an app beside a `pages/` folder as an old-style multipage app until
    app.py has called `st.navigation` once, so a bookmarked page opened first after a
    restart would run alone, without the sidebar filters. Switch to app.py's routing and
    run again.
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


MEETING_KEY = "meeting"
"""URL key of the meeting mode (`?meeting=1`): the This week page as the weekly meeting's
screen, without the sidebar and the banner (docs/dashboard.md)."""

# The meeting mode on a projector: no sidebar (its filters still apply, from the URL), no
# header bar, little padding, so the headline block fits 1280x720.
MEETING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
[data-testid="stMainBlockContainer"], .block-container {
    padding-top: 0.75rem !important; padding-bottom: 1rem !important;
}
[data-testid="stMetricValue"] {font-size: 2rem;}
</style>"""


def meeting_mode() -> bool:
    """Whether the URL asks for the meeting mode."""
    return st.query_params.get(MEETING_KEY) == "1"


def set_meeting_mode(on: bool) -> None:
    if on:
        st.query_params[MEETING_KEY] = "1"
    elif MEETING_KEY in st.query_params:
        del st.query_params[MEETING_KEY]


def frame() -> Filters:
    """Sidebar filters and the data banner, drawn once per run before the page. In the
    meeting mode the sidebar is hidden (its filters, kept in the URL, still apply) and the
    banner is left out."""
    try:
        data = state.current()
    except (ValueError, FileNotFoundError, StoreError) as exc:
        st.error(f"The data could not be loaded: {exc}")
        st.stop()
    chosen = sidebar_filters.sidebar()
    if meeting_mode():
        st.html(MEETING_CSS)
        for note in data.notes:
            st.warning(note)
        return chosen
    if data.origin == "sample":
        st.info(
            "You are looking at the **sample data**: synthetic leads, not your company's. "
            "Load your own on the **Data** page (files, Salesforce or HubSpot).",
            icon=":material/science:",
        )
    elif data.origin == "upload":
        st.caption(f"Data: uploaded files ({data.detail}).")
    else:
        st.caption(f"Data: {data.detail}")
    for note in data.notes:
        st.warning(note)
    return chosen


def start(title: str, intro: str) -> tuple[state.Data, Filters]:
    """Title a page and return its data and filters; stop with a hint when nothing matches."""
    ensure_app_routing()
    st.title(title)
    st.caption(intro)
    return state.current(), start_quietly()


def start_quietly() -> Filters:
    """The filters of a page that draws its own title (the meeting mode); stop with a hint
    when nothing matches."""
    data = state.current()
    chosen = sidebar_filters.current()
    with guard():
        if state.ask("overall", chosen, columns=("handoffs",)) is None:
            reason = no_handoffs(data.model)
            if reason:
                st.info(
                    f"Nothing to show: {reason}. Load data with MQL dates on the **Data** page.", icon=":material/info:"
                )
            else:
                dims = [d.label.lower() for d in FILTERED]
                st.info(
                    "No handoffs match these filters. Widen the MQL date range or remove a "
                    f"{', '.join(dims[:-1])} or {dims[-1]} in the sidebar (or press **Clear filters**).",
                    icon=":material/filter_alt_off:",
                )
            st.stop()
    return chosen


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """Show the model's ValueError (bad filters, bad data) as a message, not a traceback."""
    try:
        yield
    except ValueError as exc:
        st.error(str(exc))
        st.stop()


def show(value, unit: str) -> str:
    """A headline value for people, through `format`: money compact in the policy's currency
    ($410.3K), shares with one decimal (59.8%), durations with their clock (42 business min),
    counts with separators; a missing value as an em dash."""
    if format.missing(value):
        return format.MISSING
    policy = state.policy()
    if unit == "money":
        return format.money(value, policy.currency, compact=True)
    if unit == "share":
        return format.rate(value)
    if unit == "business minutes":
        return format.duration(value, "business", float(policy.business_hours.day_minutes))
    if unit == "minutes":
        return format.duration(value, "wall-clock")
    if unit == "count":
        return format.count(value)
    return registry.show(value, unit)


def show_change(value, unit: str) -> str | None:
    """A change for people, signed: money in the currency (+$12.3K), shares in percentage
    points (+3.2 pp), durations with their clock (+4.5 business min); None when missing."""
    if format.missing(value):
        return None
    if unit == "share":
        return format.points(value)
    if unit not in ("money", "business minutes", "minutes", "count"):
        return registry.show_change(value, unit)
    return f"{'-' if float(value) < 0 else '+'}{show(abs(float(value)), unit)}"


DELTA_COLORS: dict[str | None, Literal["normal", "inverse", "off"]] = {
    registry.HIGHER: "normal",
    registry.LOWER: "inverse",
    None: "off",
}


def help_text(name: str) -> str:
    """The help text of a metric or list, from the registry, filled from the app's policy,
    in words (no column names)."""
    return format.words(registry.help_text(name, state.policy()))


def label(name: str) -> str:
    """The label of a metric or list, filled from the app's policy, in words."""
    return format.words(registry.label(name, state.policy()))


def target(name: str) -> float | None:
    """The target a metric is compared with, from the registry and the app's policy."""
    return registry.target(name, state.policy())


def metric(
    name: str, value, change=None, caption: str | None = None, label: str | None = None, so_far_until=None
) -> None:
    """A headline number with its definition as help text (from the metric registry). With
    `so_far_until` (an instant) the value is still so far: it says until when, uncompared."""
    entry = registry.get(name)
    text = label or registry.label(name, state.policy())
    if so_far_until is not None:
        st.metric(
            text,
            show(value, entry.unit),
            final_note({"final_at": so_far_until}),
            delta_color="off",
            delta_arrow="off",
            help=help_text(name),
        )
    else:
        st.metric(
            text,
            show(value, entry.unit),
            show_change(change, entry.unit),
            delta_color=DELTA_COLORS[entry.direction],
            help=help_text(name),
        )
    if caption:
        st.caption(caption)


def so_far_until(row: pd.Series, name: str):
    """When a group's (a `metrics` row's) value of `name` becomes final; None when it is."""
    flag = registry.final_flag(name)
    if flag is None or bool(row[flag]):
        return None
    return row[registry.FINAL_AT[flag]]


def final_note(row) -> str:
    """`so far, final on 2026-11-22`: a value that can still change, and when it will not."""
    if format.missing(row["final_at"]):
        return "so far"
    return f"so far, final on {registry.show_date(row['final_at'], state.policy().timezone)}"


def headline(name: str, row: pd.Series) -> None:
    """A `this_week` row: the value, its change against the previous week, the target. A value
    still so far (a young week's dispositions or pipeline) is shown as such, without a change
    or a gap to the target: a week still maturing is not compared with a finished one."""
    unit = row["unit"]
    if not row.get("final", True):
        metric(name, row["current"], caption="Not compared until final.", so_far_until=row["final_at"])
        return
    note = "Change vs previous week."
    if registry.known(row["target"]):
        gap = show_change(row["vs_target"], unit) or format.MISSING
        note = f"vs previous week · target {show(row['target'], unit)} ({gap})"
    metric(name, row["current"], row["change"], caption=note)


def meeting_headline(summary: pd.DataFrame) -> None:
    """The handoff-to-meeting headline of a `this_week` summary (indexed by metric): a mature
    week's rate, change and band; a younger week's booked so far (a floor) with its projection
    and the date it matures, never a rate or a band."""
    rate = summary.loc["handoff_to_meeting_rate"]
    if rate["final"]:
        headline("handoff_to_meeting_rate", rate)
        st.caption(f"Band: **{summary['band'].iloc[0]}**")
        return
    booked, projected = summary.loc["booked_so_far"], summary.loc["projected"]
    policy = state.policy()
    when = registry.show_date(rate["final_at"], policy.timezone)
    projection = (
        f"projected {show(projected['current'], 'share')}"
        if registry.known(projected["current"])
        else "no projection (no mature week)"
    )
    st.metric(
        f"{registry.label('booked_so_far', policy)} (not mature)",
        show(booked["current"], "share"),
        projection,
        delta_color="off",
        delta_arrow="off",
        help=help_text("booked_so_far"),
    )
    st.caption(f"Handoff-to-meeting: matures on {when}; the projection is not a result and has no band.")
