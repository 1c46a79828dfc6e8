"""The shared sidebar filters, kept in the URL query parameters so a view can be shared.

URL keys: `from`, `to` (ISO dates), and one per filtered dimension of
`handoff.model.dimensions` (`source`, `tier`, `team`, `rep`, `segment`; repeated for several
values). Values the data does not have are ignored. Other keys belong to a page (the
Coverage and staffing page keeps its what-if there) and are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import streamlit as st

from handoff.model import Filters
from handoff.model.dimensions import FILTERED
from handoff.ui import state

# (URL key, label, Filters field) of each filtered dimension, as the model declares them.
DIMENSIONS = tuple((d.key, d.label, str(d.filter)) for d in FILTERED)
SESSION_KEY = "handoff_filters"


def _shown_as(labels: dict[str, str]):
    """How a filter value is shown: its label when it has one, else the value itself."""
    return lambda value: labels.get(value, value)


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _seed_from_url(options: dict) -> None:
    """On a session's first run (or a new data version), fill the widgets from the URL."""
    params = st.query_params
    lo, hi = options["dates"]
    start = _parse_date(params.get("from")) or lo
    end = _parse_date(params.get("to")) or hi
    if lo and hi:
        start, end = min(max(start, lo), hi), max(min(end, hi), lo)
    st.session_state["f_dates"] = (start, end) if start and end else ()
    for key, _, _ in DIMENSIONS:
        allowed = options[key]
        st.session_state[f"f_{key}"] = [v for v in params.get_all(key) if v in allowed]


def _write_url(start: date | None, end: date | None, lo: date | None, hi: date | None) -> None:
    wanted: dict[str, str | list[str]] = {}
    if start and start != lo:
        wanted["from"] = start.isoformat()
    if end and end != hi:
        wanted["to"] = end.isoformat()
    for key, _, _ in DIMENSIONS:
        values = st.session_state.get(f"f_{key}") or []
        if values:
            wanted[key] = list(values)
    own = {"from", "to", *(key for key, _, _ in DIMENSIONS)}  # other keys are a page's own state: kept
    others = {k: st.query_params.get_all(k) for k in st.query_params.keys() if k not in own}
    current = {k: st.query_params.get_all(k) for k in st.query_params.keys() if k in own}
    normal = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if current != normal:
        st.query_params.from_dict({**others, **wanted})


def sidebar() -> Filters:
    """Draw the filters in the sidebar and return the selection (also kept in session state)."""
    options = state.filter_options()
    data_key = state.current().key
    if st.session_state.get("f_seeded") != data_key:
        _seed_from_url(options)
        st.session_state["f_seeded"] = data_key
    lo, hi = options["dates"]
    with st.sidebar:
        st.header("Filters")
        picked = st.date_input(
            "MQL date range",
            min_value=lo,
            max_value=hi,
            key="f_dates",
            help="Company-local date of the MQL (the handoff moment).",
        )
        for key, label, _ in DIMENSIONS:
            labels = options[key]
            st.multiselect(label, list(labels), key=f"f_{key}", format_func=_shown_as(labels), placeholder="All")
        if st.button("Clear filters", width="stretch"):
            st.query_params.clear()
            st.session_state.pop("f_seeded", None)
            st.rerun()
    chosen: list[date | None] = list(picked) if isinstance(picked, tuple | list) else [picked] if picked else []
    start, end = (chosen + [None, None])[:2]
    if start and end is None:  # the second date is still being picked
        end = start
    _write_url(start, end, lo, hi)
    filters = Filters(
        date_from=start if start and start != lo else None,
        date_to=end if end and end != hi else None,
        **{field: tuple(st.session_state.get(f"f_{key}") or ()) for key, _, field in DIMENSIONS},
    )
    st.session_state[SESSION_KEY] = filters
    return filters


def current() -> Filters:
    """The selection the sidebar made on this run."""
    return st.session_state.get(SESSION_KEY, Filters())


# -- a page's own view state in the URL -----------------------------------------------------
# The sidebar's filters are one part of a view; the other is each page's own choices (the week
# on This week, a breakdown toggle, the selected rep, the backlog toggle). Each has one URL key
# of its own, written only when it differs from the page's default, so a copied link opens
# the same view. A page seeds its widget from the URL with `seed`, draws the widget with the
# key `seed` returns (and no default of its own), then writes the chosen value back with `keep`.
def _seen_key(url_key: str) -> str:
    return f"url_seen_{url_key}"


def seed(
    url_key: str, allowed: Sequence[Any], default: Any, parse: Callable[[str], Any] = str, widget: str | None = None
) -> str:
    """The session key of the widget kept in the URL under `url_key`, holding the URL's value
    (when `parse` reads it and it is `allowed`) else `default`. Seeded when the widget is new
    (a page's first run, or a return to the page) or the URL changed under it (a pasted
    link); otherwise the widget keeps what the person chose."""
    key = widget or f"url_{url_key}"
    raw = st.query_params.get(url_key)
    if key not in st.session_state or st.session_state.get(_seen_key(url_key)) != raw:
        value = default
        if raw is not None:
            try:
                parsed = parse(raw)
            except ValueError:
                parsed = None
            if parsed is not None and parsed in allowed:
                value = parsed
        st.session_state[key] = value
        st.session_state[_seen_key(url_key)] = raw
    return key


def url_value(url_key: str, allowed: Sequence[Any], default: Any, parse: Callable[[str], Any] = str) -> Any:
    """The URL's value of `url_key` when `parse` reads it and it is `allowed`, else `default`
    (for state that is not a widget's, such as a table's selected row)."""
    raw = st.query_params.get(url_key)
    if raw is None:
        return default
    try:
        parsed = parse(raw)
    except ValueError:
        return default
    return parsed if parsed in allowed else default


def keep(url_key: str, value: Any, default: Any, show: Callable[[Any], str] = str) -> None:
    """Write a page's choice into the URL under `url_key`; the default (or no value) removes
    the key, so a plain link opens the page as it starts."""
    text = None if value is None or value == default else show(value)
    if text is None:
        if url_key in st.query_params:
            del st.query_params[url_key]
    elif st.query_params.get(url_key) != text:
        st.query_params[url_key] = text
    st.session_state[_seen_key(url_key)] = text
