"""The Data page's form to connect a CRM: the credentials its connector needs (secrets typed
as passwords), "Test connection" (one cheap authenticated call through the connector's own
client) and "Test and save" (to `.streamlit/secrets.toml` only, mode 0600).

The form clears itself after each try, so a typed secret lives in the session only for the
run that uses it; it is never cached, logged, stored in the database or shown again.
"""

from __future__ import annotations

import contextlib
from typing import Any

import streamlit as st

from handoff.sources import connect
from handoff.sources.connector import Connector, SyncError

SECRETS_FILE = connect.SECRETS_FILE


def configured_where(connector: Connector) -> str:
    """Where the credentials in force come from, in words."""
    table: dict = {}
    with contextlib.suppress(Exception):
        table = st.secrets.to_dict().get(connector.name) or {}
    return f"`{SECRETS_FILE}`" if table else "the environment"


def _reload_secrets() -> None:
    """Make st.secrets read the file again on its next use."""
    with contextlib.suppress(Exception):
        st.secrets._reset()


def form(connector: Connector, expanded: bool) -> None:
    """The connect form of one connector, in an expander."""
    name = connector.name
    title = f"Connect {connector.label}" if expanded else f"Change the {connector.label} credentials"
    with st.expander(title, expanded=expanded, icon=":material/key:"):
        ways = connect.forms(name)
        if len(ways) > 1:
            chosen = st.radio("Sign in with", [w.label for w in ways], key=f"connect_way_{name}", horizontal=True)
            way = next(w for w in ways if w.label == chosen)
        else:
            way = ways[0]
        with st.form(f"connect_{name}", clear_on_submit=True, border=False):
            values: dict[str, Any] = {}
            for field in way.fields:
                values[field.key] = st.text_input(
                    field.label + ("" if field.required else " (optional)"),
                    value=field.default,
                    type="password" if field.secret else "default",
                    help=field.help or None,
                    key=f"connect_{name}_{field.key}",
                    autocomplete="off" if field.secret else None,
                )
            left, right = st.columns(2)
            with left:
                test = st.form_submit_button("Test connection", key=f"connect_test_{name}", width="stretch")
            with right:
                save = st.form_submit_button(
                    "Test and save", type="primary", key=f"connect_save_{name}", width="stretch"
                )
        st.caption(
            f"Saving writes only `{SECRETS_FILE}` in the app's working folder (readable by this account "
            "only), keeping its other settings. The fields are cleared after each try."
        )
        if test or save:
            _try(connector, way, values, save)
        values.clear()


def _try(connector: Connector, way: connect.Form, values: dict[str, Any], save: bool) -> None:
    missing = [f.label for f in way.fields if f.required and not str(values.get(f.key) or "").strip()]
    if missing:
        st.error(f"Fill in {', '.join(missing)}, then try again.")
        return
    with st.spinner(f"Trying {connector.label}..."):
        try:
            message = connect.check(connector.name, values)
        except SyncError as exc:
            st.error(f"Not connected. {exc}", icon=":material/link_off:")
            if save:
                st.caption("Nothing was saved.")
            return
    st.success(message, icon=":material/link:")
    if not save:
        st.caption("Not saved yet: press **Test and save** to keep these credentials.")
        return
    try:
        path = connect.save(connector.name, values)
    except SyncError as exc:
        st.error(str(exc))
        return
    _reload_secrets()
    st.success(f"Saved to `{path}`. **Sync now** below uses them.", icon=":material/save:")
    st.button("Show the sync controls", key=f"connect_reload_{connector.name}")
