"""The call list drawn for a sales manager: the breach queue at as_of (`views.call_list`), the
leads that can still be saved first, each with its owner, how long is left or how far past the
target it is, and a link to the lead in the CRM.

The SLA compliance page shows the whole list (`show`), with the counts per stage and a
"Group by rep" toggle kept in the URL (`by_rep=1`); This week and its meeting mode show the
first rows (`show_top`). Text from the data is only ever shown as table cells or escaped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

import pandas as pd
import streamlit as st

from handoff.model import Filters, views
from handoff.model.dimensions import UNASSIGNED
from handoff.ui import format, page, state
from handoff.ui.format import plain

if TYPE_CHECKING:  # Styler's module (and jinja2) load when a table is first styled
    from pandas.io.formats.style import Styler

BY_REP_KEY = "by_rep"  # the URL key of the "Group by rep" toggle
BY_REP_WIDGET = "call_list_by_rep"
TOP = 5

# Each stage as a mark any font draws and a word, on its colour: amber while the lead can still
# be saved (pending's colour), red once breached, deep red once escalated to the manager.
STAGE_MARKERS = {"warning": "! Warning", "breached": "\u2715 Breached", "escalated": "\u25b2 Escalated"}
STAGE_CSS = {
    "warning": "background-color: #fff3cd; color: #6d4c00",
    "breached": "background-color: #fde0e0; color: #8e0000",
    "escalated": "background-color: #c62828; color: #ffffff; font-weight: 600",
}
STAGE_WORDS = {"warning": "can still be saved", "breached": "breached", "escalated": "escalated"}
SHOWN = [
    "stage",
    "due",
    "company",
    "title",
    "source",
    "tier",
    "owner",
    "mql_at",
    "elapsed_business_minutes",
    "sla_target_business_minutes",
    "lead_id",
    "crm_url",
]


def calls(filters: Filters, warn_minutes: float | None = None) -> pd.DataFrame:
    """The call list of the current data (cached per data version, filters and warning)."""
    warn = state.policy().alerts.warn_minutes if warn_minutes is None else float(warn_minutes)
    return state.ask("call_list", filters, warn_minutes=warn)


def for_display(frame: pd.DataFrame, markers: bool = True) -> pd.DataFrame:
    """The list as a person reads it: the stage with its coloured marker (or as a word, for
    the CSV), the owner by name (else the CRM id the lead has, else unassigned), the tier
    capitalised."""
    out = frame.copy()
    out["stage"] = [STAGE_MARKERS.get(s, str(s)) if markers else str(s).capitalize() for s in out["stage"]]
    out["owner"] = [owner_text(i, n) for i, n in zip(out["owner_id"], out["owner_name"], strict=True)]
    out["tier"] = [str(t).capitalize() for t in out["tier"]]
    for name in ("company", "title", "source"):  # an empty field reads empty, not "None"
        out[name] = out[name].astype("object").where(out[name].notna(), "")
    return out[SHOWN]


def owner_text(owner_id: Any, owner_name: Any) -> str:
    if isinstance(owner_name, str) and owner_name:
        return owner_name
    if isinstance(owner_id, str) and owner_id:
        return owner_id
    return UNASSIGNED


def column_config(system: str | None) -> dict[str, Any]:
    """Human headers; the CRM link as "Open in Salesforce" (or HubSpot)."""
    col = st.column_config
    return {
        "stage": col.TextColumn(
            "Stage",
            help="Warning: the target is still ahead. Breached: past the target. "
            "Escalated: past the target by more than the escalation time, the manager's turn.",
        ),
        "due": col.TextColumn("Time left or overdue", help="Business hours and minutes to the SLA target, or past it."),
        "company": col.TextColumn("Company"),
        "title": col.TextColumn("Title"),
        "source": col.TextColumn("Source"),
        "tier": col.TextColumn("Tier"),
        "owner": col.TextColumn("Owner"),
        "mql_at": format.when("MQL at"),
        "elapsed_business_minutes": col.NumberColumn("Elapsed (business min)", format="%.0f"),
        "sla_target_business_minutes": col.NumberColumn("Target (business min)", format="%.0f"),
        "lead_id": col.TextColumn("Lead"),
        "crm_url": col.LinkColumn(
            f"In {system}" if system else "CRM record",
            display_text=f"Open in {system}" if system else None,
            help="The lead's record in the CRM it was synced from." if system else "Imported from files: no CRM link.",
        ),
    }


def counts_line(counts: dict[str, int]) -> None:
    """The leads per stage, as three numbers above the list."""
    for column, stage in zip(st.columns(len(counts)), counts, strict=True):
        with column:
            st.metric(STAGE_MARKERS[stage], f"{counts[stage]:,}", border=True)


def _by_rep_changed() -> None:
    if st.session_state.get(BY_REP_WIDGET):
        st.query_params[BY_REP_KEY] = "1"
    elif BY_REP_KEY in st.query_params:
        del st.query_params[BY_REP_KEY]


def by_rep_toggle() -> bool:
    """The "Group by rep" toggle; the URL (`by_rep=1`) holds its value, so a link opens the
    list grouped."""
    st.session_state[BY_REP_WIDGET] = st.query_params.get(BY_REP_KEY) == "1"
    return st.toggle(
        "Group by rep",
        key=BY_REP_WIDGET,
        on_change=_by_rep_changed,
        help="One section per rep, the rep with the most leads to call first. Kept in the URL (by_rep=1).",
    )


def styled(frame: pd.DataFrame) -> Styler:
    """The list for display with each stage cell on its stage's colour."""
    shown = for_display(frame)
    css = [STAGE_CSS.get(s, "") for s in frame["stage"]]
    return shown.style.apply(lambda column: css, subset=["stage"])


def _table(frame: pd.DataFrame, config: dict[str, Any], key: str, height: int | Literal["auto"] = "auto") -> None:
    st.dataframe(styled(frame), column_config=config, hide_index=True, width="stretch", height=height, key=key)


def show(filters: Filters) -> None:
    """The whole call list with its warning time, counts per stage and the rep grouping."""
    policy = state.policy()
    st.subheader("Call list", help=page.help_text("breach_queue"))
    left, right = st.columns([3, 1], vertical_alignment="bottom")
    with left:
        warn = st.number_input(
            "Warn this many business minutes before the target",
            min_value=0,
            max_value=max(480, int(policy.alerts.warn_minutes)),
            value=int(policy.alerts.warn_minutes),
            step=5,
            key="call_list_warn",
        )
    with right:
        grouped = by_rep_toggle()
    frame = calls(filters, float(warn))
    counts_line(views.call_list_counts(frame))
    if frame.empty:
        st.info("Nobody to call: no untouched lead is near or past its SLA target.")
        return
    as_of = pd.Timestamp(state.current().model.as_of)
    st.caption(
        f"Untouched leads still inside their meeting window, as of {as_of:%Y-%m-%d %H:%M} UTC: those that can "
        "still be saved first (least time left), then the breached and escalated by tier, newest first. "
        f"Escalated: more than {policy.escalation_minutes:g} business minutes past the target."
    )
    system = views.call_list_system(state.current().model)
    config = column_config(system)
    if grouped:
        for number, (owner_id, owner_name, rows) in enumerate(views.call_list_by_rep(frame)):
            stages = views.call_list_counts(rows)
            said = ", ".join(f"{n:,} {STAGE_WORDS[s]}" for s, n in stages.items() if n)
            st.markdown(f"**{plain(owner_text(owner_id, owner_name))}** · {len(rows):,} to call: {said}")
            _table(rows, config, key=f"call_list_rep_{number}")
    else:
        _table(frame, config, key="call_list_table", height=420)
    st.download_button(
        "Download the call list (CSV)",
        format.csv_bytes(for_display(frame, markers=False), config),
        file_name="call_list.csv",
        mime="text/csv",
        icon=":material/download:",
        key="dl_call_list",
    )


def show_top(filters: Filters, n: int = TOP, section: bool = True) -> None:
    """The first `n` leads of the call list at the policy's warning time, with the counts in
    one line; under a subheader of its own, or (`section=False`, inside another section such
    as the meeting's SLA item) a bold line."""
    frame = calls(filters)
    counts = views.call_list_counts(frame)
    title = f"Call first: the top {n} of the call list"
    if section:
        st.subheader(title, help=page.help_text("breach_queue"))
    else:
        st.markdown(f"**{title}**", help=page.help_text("breach_queue"))
    if frame.empty:
        st.info("Nobody to call: no untouched lead is near or past its SLA target.")
        return
    st.caption(
        f"{len(frame):,} on the call list: "
        + ", ".join(f"{counts[s]:,} {STAGE_WORDS[s]}" for s in views.CALL_STAGES)
        + ". The whole list is on the SLA compliance page."
    )
    system = views.call_list_system(state.current().model)
    _table(frame.head(n), column_config(system), key="call_list_top")
