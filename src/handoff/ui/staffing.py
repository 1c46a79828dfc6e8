"""The Coverage and staffing page's state: the model's answers (cached per data version)
and the what-if kept in the URL.

URL keys (beside the sidebar's filters): `staff_tier` (high, medium, low), `staff_avail`
(the what-if's availability, 0.001-1) and `staff_change`, repeated, one roster change each
in the form of `handoff.model.staffing.parse_change` (`+2@Asia/Kolkata@09:00-17:00`).
A value the page cannot read is dropped with a warning, never an error.
"""

from __future__ import annotations

import streamlit as st

from handoff import leak
from handoff.model import Model, summary
from handoff.model import staffing as model
from handoff.policy import iana_timezones
from handoff.schema import TIERS
from handoff.ui import format as fmt
from handoff.ui import state

TIER_KEY, AVAILABILITY_KEY, CHANGE_KEY = "staff_tier", "staff_avail", "staff_change"
CLOCKS = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)] + ["24:00"]


@st.cache_data(max_entries=32, show_spinner="Laying out the week...")
def _plan(data_key: str, tier: str, _model: Model) -> model.Plan:
    return model.plan(_model, tier)


@st.cache_data(max_entries=32, show_spinner=False)
def _leak_inputs(data_key: str, tier: str, _model: Model) -> tuple[leak.LeakInputs, list[str]]:
    return model.leak_inputs(_model, tier)


def no_handoffs() -> str | None:
    """Why the data has nothing to staff for at all (no lead has an MQL date), else None."""
    return summary.no_handoffs(state.current().model)


def plan(tier: str) -> model.Plan:
    data = state.current()
    return _plan(data.key, tier, data.model)


def what_if(p: model.Plan, changes: list, availability: float) -> model.WhatIf:
    """The what-if of the current data (ValueError when a change cannot apply)."""
    data = state.current()
    inputs, notes = _leak_inputs(data.key, p.tier, data.model)
    result = model.what_if(p, changes, availability, inputs)
    result.notes.extend(notes)
    return result


# -- the URL ----------------------------------------------------------------------------------
def tier_from_url() -> str:
    value = st.query_params.get(TIER_KEY)
    return value if value in TIERS else state.policy().staffing.tier


def availability_from_url() -> float | None:
    try:
        value = float(st.query_params.get(AVAILABILITY_KEY) or "")
    except ValueError:
        return None
    return value if 0.001 <= value <= 1 else None


def changes_from_url() -> tuple[list, list[str]]:
    """The roster changes in the URL, and the texts that are not changes."""
    changes, bad = [], []
    for text in st.query_params.get_all(CHANGE_KEY):
        try:
            changes.append(model.parse_change(text))
        except ValueError as exc:
            bad.append(str(exc))
    return changes, bad


def set_url(key: str, value) -> None:
    """One of the page's URL keys: a value, a list of values, or None to drop it."""
    if value is None or value == []:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get_all(key) != (value if isinstance(value, list) else [str(value)]):
        st.query_params[key] = value


def timezones(p: model.Plan) -> list[str]:
    """The roster's timezones first, then the company's, then every other IANA zone."""
    first = [s.timezone for s in p.shifts] + [p.company_tz]
    seen = list(dict.fromkeys(first))
    return seen + sorted(iana_timezones() - set(seen))


def form_changes(action: str, reps: int, zone: str, begin: str, end: str, new_begin: str, new_end: str) -> list:
    """The changes a submitted form asks for: Add, Remove, or Move (a removal at the old
    hours and an addition at the new ones). ValueError when they are not changes."""
    if action == "Move":
        old = model.parse_change(f"-{reps}@{zone}@{begin}-{end}")
        new = model.parse_change(f"+{reps}@{zone}@{new_begin}-{new_end}")
        return [old, new]
    sign = "-" if action == "Remove" else "+"
    return [model.parse_change(f"{sign}{reps}@{zone}@{begin}-{end}")]


# -- words -------------------------------------------------------------------------------------
LABELS = {
    "sdrs": "SDRs on the roster",
    "predicted_compliance": "Touched in time (predicted)",
    "hours_short": "SDR-hours short a week",
    "uncovered_share": "MQLs arriving when no SDR works",
}


def show(value, unit: str) -> str:
    """A value for people: a share as a percentage with one decimal, a count with separators."""
    return fmt.rate(value) if unit == "share" else fmt.count(value)


def show_change(value, unit: str) -> str | None:
    """A change against the current roster: shares in percentage points; none when nothing moved."""
    if fmt.missing(value) or value == 0:
        return None
    return fmt.points(value) if unit == "share" else f"{round(value):+,}"


def money(value: float, currency: str) -> str:
    """Money in the policy's currency, compact as in a headline: $12.3K."""
    return fmt.money(value, currency, compact=True)
