"""What every page shares: the frame (sidebar, sample banner), errors, headline metrics."""

from __future__ import annotations

import contextlib
from typing import Iterator

import pandas as pd
import streamlit as st

from handoff.data import StoreError
from handoff.model import Filters
from handoff.model import definitions as registry
from handoff.model.dimensions import FILTERED
from handoff.model.summary import no_handoffs
from handoff.ui import filters as sidebar_filters
from handoff.ui import state


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


def frame() -> Filters:
    """Sidebar filters and the data banner, drawn once per run before the page."""
    try:
        data = state.current()
    except (ValueError, FileNotFoundError, StoreError) as exc:
        st.error(f"The data could not be loaded: {exc}")
        st.stop()
    chosen = sidebar_filters.sidebar()
    if data.origin == "sample":
        st.info(
            "You are looking at the **sample data**: synthetic leads, not your company's. "
            "Load your own on the **Data** page (files or Salesforce).",
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
    data = state.current()
    chosen = sidebar_filters.current()
    with guard():
        if state.ask("overall", chosen) is None:
            reason = no_handoffs(data.model)
            if reason:
                st.info(f"Nothing to show: {reason}. Load data with MQL dates on the **Data** page.",
                        icon=":material/info:")
            else:
                dims = [d.label.lower() for d in FILTERED]
                st.info(
                    "No handoffs match these filters. Widen the MQL date range or remove a "
                    f"{', '.join(dims[:-1])} or {dims[-1]} in the sidebar (or press **Clear filters**).",
                    icon=":material/filter_alt_off:",
                )
            st.stop()
    return data, chosen


@contextlib.contextmanager
def guard() -> Iterator[None]:
    """Show the model's ValueError (bad filters, bad data) as a message, not a traceback."""
    try:
        yield
    except ValueError as exc:
        st.error(str(exc))
        st.stop()


show = registry.show  # a value as text in its unit
show_change = registry.show_change  # a change as text: shares in percentage points
DELTA_COLORS = {registry.HIGHER: "normal", registry.LOWER: "inverse", None: "off"}


def help_text(name: str) -> str:
    """The help text of a metric or list, from the registry, filled from the app's policy."""
    return registry.help_text(name, state.policy())


def label(name: str) -> str:
    """The label of a metric or list, filled from the app's policy."""
    return registry.label(name, state.policy())


def target(name: str) -> float | None:
    """The target a metric is compared with, from the registry and the app's policy."""
    return registry.target(name, state.policy())


def metric(name: str, value, change=None, caption: str | None = None, label: str | None = None) -> None:
    """A headline number with its definition as help text (from the metric registry)."""
    entry = registry.get(name)
    st.metric(
        label or registry.label(name, state.policy()), show(value, entry.unit), show_change(change, entry.unit),
        delta_color=DELTA_COLORS[entry.direction], help=help_text(name),
    )
    if caption:
        st.caption(caption)


def headline(name: str, row: pd.Series) -> None:
    """A `this_week` row: the value, its change against the previous week, the target."""
    unit = row["unit"]
    note = "Change vs previous week."
    if registry.known(row["target"]):
        gap = show_change(row["vs_target"], unit) or "n/a"
        note = f"vs previous week · target {show(row['target'], unit)} ({gap})"
    metric(name, row["current"], row["change"], caption=note)
