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
from handoff.ui.format import plain

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


def _key(name: str, field: connect.Field) -> str:
    return f"connect_{name}_{field.key}"


def form(connector: Connector, expanded: bool) -> None:
    """The connect form of one connector, in an expander. The try runs in the buttons'
    callback, which then empties the fields: the typed values are gone from the session
    before the page is drawn again."""
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
            for field in way.fields:
                st.session_state.setdefault(_key(name, field), field.default)
                st.text_input(
                    field.label + ("" if field.required else " (optional)"),
                    type="password" if field.secret else "default",
                    help=field.help or None,
                    key=_key(name, field),
                    autocomplete="off" if field.secret else None,
                )
            left, right = st.columns(2)
            with left:
                st.form_submit_button(
                    "Test connection",
                    key=f"connect_test_{name}",
                    width="stretch",
                    on_click=_submitted,
                    args=(connector, way, False),
                )
            with right:
                st.form_submit_button(
                    "Test and save",
                    type="primary",
                    key=f"connect_save_{name}",
                    width="stretch",
                    on_click=_submitted,
                    args=(connector, way, True),
                )
        st.caption(
            f"Saving writes only `{SECRETS_FILE}` in the app's working folder (readable by this account "
            "only), keeping its other settings. The fields are emptied after each try."
        )
        for kind, message in st.session_state.pop(f"connect_result_{name}", []):
            getattr(st, kind)(message)
        if st.session_state.pop(f"connect_saved_{name}", False):
            st.button("Show the sync controls", key=f"connect_reload_{name}")


def _submitted(connector: Connector, way: connect.Form, save: bool) -> None:
    """The buttons' callback: try (and save) the typed values, keep only the messages, empty
    the fields."""
    values = {f.key: str(st.session_state.get(_key(connector.name, f)) or "") for f in way.fields}
    for field in way.fields:
        st.session_state[_key(connector.name, field)] = field.default
    try:
        messages = _try(connector, way, values, save)
    finally:
        values.clear()
    st.session_state[f"connect_result_{connector.name}"] = messages


def _try(connector: Connector, way: connect.Form, values: dict[str, Any], save: bool) -> list[tuple[str, str]]:
    """What happened, as (kind, message) pairs: kind is success, error or caption."""
    missing = [f.label for f in way.fields if f.required and not values.get(f.key, "").strip()]
    if missing:
        return [("error", f"Fill in {', '.join(missing)}, then try again.")]
    try:
        message = connect.check(connector.name, values)
    except SyncError as exc:
        out = [("error", f"Not connected. {plain(str(exc))}")]
        return out + ([("caption", "Nothing was saved.")] if save else [])
    out = [("success", plain(message))]
    if not save:
        return out + [("caption", "Not saved yet: press **Test and save** to keep these credentials.")]
    try:
        path = connect.save(connector.name, values)
    except SyncError as exc:
        return out + [("error", plain(str(exc)))]
    _reload_secrets()
    st.session_state[f"connect_saved_{connector.name}"] = True
    return out + [("success", f"Saved to `{path}`. **Sync now** below uses them.")]
