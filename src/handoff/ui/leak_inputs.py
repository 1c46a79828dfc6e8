"""The revenue-leak calculator's inputs: a starting point (calibrated or a preset), the
inputs a person changed from it, the URL and the scenario file that carry both.

A person's edits are kept apart from the starting point (`EDITS`, in the model's units), so
switching presets keeps them until "Reset"; the URL holds the starting point and every
edited input, so a copied link opens the same scenario on the same data. Shares are typed
in percent (40 means 40%) and money in the policy's currency; the model still takes
fractions. Everything typed is validated by the model (`handoff.leak.LeakInputs`).
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from handoff import leak
from handoff.ui import format as fmt

PREFIX = "leak_"
"""URL keys and widget keys of this page start with it (the sidebar filters keep others)."""
EDITS = "leak_edits"
START = "leak_start"
PERIOD = "leak_period"
METRIC = "leak_metric"
URL_SEEN = "leak_url_seen"
UPLOAD_SEEN = "leak_upload_seen"
CALIBRATED = "calibrated"
STARTS = (CALIBRATED, *leak.PRESETS)
PERIODS = ("annual", "monthly")
TARGET_NEVER = "target_never_contacted_share"
TARGET_SHARES = "target_shares"
DEFAULT_TARGET_NEVER = 0.05
DEFAULT_TARGET_SHARES = {"0-5m": 0.5, "5-30m": 0.25, "30-60m": 0.1, "1-4h": 0.1, "4-24h": 0.05, "1-3d": 0.0, "3d+": 0.0}
"""A target worth aiming for: 5% never contacted, most leads answered within the hour."""
PERCENT = (*leak.FRACTIONS, TARGET_NEVER)
MONEY = ("cost_per_lead", "contract_value")
SCALARS = (*leak.SCALARS, TARGET_NEVER)
TABLE = ("bucket_shares", TARGET_SHARES, *leak.FAMILIES)
"""The per-bucket columns a person edits; the two share columns are typed in percent."""
SHARE_COLUMNS = ("bucket_shares", TARGET_SHARES)
LABELS = {**leak.LABELS, TARGET_NEVER: "Target never-contacted share", "bucket_shares": "Share now"}
LABELS[TARGET_SHARES] = "Target share"
STEPS = {"mqls_per_month": 10.0, "cost_per_lead": 10.0, "contract_value": 500.0}


# -- pure: units, edits, the URL -------------------------------------------------------------------
def shown(name: str, value: float) -> float:
    """A value as a person types it: shares in percent."""
    return value * 100 if name in PERCENT or name in SHARE_COLUMNS else value


def typed(name: str, value: float) -> float:
    """A typed value in the model's units: percent back to a fraction."""
    return value / 100 if name in PERCENT or name in SHARE_COLUMNS else value


def label(name: str, currency: str) -> str:
    """An input's label with its unit: (%) for shares, the currency for money."""
    unit = "%" if name in PERCENT or name in SHARE_COLUMNS else fmt.symbol(currency) if name in MONEY else ""
    return f"{LABELS[name]} ({unit})" if unit else LABELS[name]


def _normalised(values: Mapping[str, float]) -> dict[str, float]:
    """Shares as typed, rescaled to sum to 1 (the model requires it); all zero stays zero."""
    clean = {b: max(float(values.get(b) or 0.0), 0.0) for b in leak.BUCKETS}
    total = math.fsum(clean.values())
    return {b: (v / total if total else 0.0) for b, v in clean.items()}


def table_start(start: leak.LeakInputs) -> dict[str, dict[str, float]]:
    """The per-bucket columns of a starting point (the target's defaults included)."""
    columns = {name: dict(getattr(start, name)) for name in ("bucket_shares", *leak.FAMILIES)}
    columns[TARGET_SHARES] = dict(DEFAULT_TARGET_SHARES)
    return columns


def scalar_start(start: leak.LeakInputs, name: str) -> float:
    return DEFAULT_TARGET_NEVER if name == TARGET_NEVER else float(getattr(start, name))


def merged(start: leak.LeakInputs, edits: Mapping[str, Any]) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """The scalars and the per-bucket columns a person sees: the start with the edits over it."""
    scalars = {name: float(edits.get(name, scalar_start(start, name))) for name in SCALARS}
    columns = {name: {**column, **edits.get(name, {})} for name, column in table_start(start).items()}
    return scalars, columns


def apply(start: leak.LeakInputs, edits: Mapping[str, Any]) -> leak.LeakInputs:
    """The inputs of a starting point with a person's edits (ValueError from the model when
    an edit is out of range). Typed shares are rescaled to sum to 100%."""
    scalars, columns = merged(start, edits)
    values: dict[str, Any] = {name: scalars[name] for name in leak.SCALARS}
    values.update({name: columns[name] for name in leak.FAMILIES})
    target = leak.Scenario(
        never_contacted_share=scalars[TARGET_NEVER], bucket_shares=_normalised(columns[TARGET_SHARES])
    )
    return leak.LeakInputs(bucket_shares=_normalised(columns["bucket_shares"]), scenario=target, **values)


def edits_between(start: leak.LeakInputs, inputs: leak.LeakInputs, edits: Mapping[str, Any] | None = None) -> dict:
    """The edits that turn `start` into `inputs` (a loaded scenario); a target the inputs do
    not set keeps the one in `edits`."""
    out: dict[str, Any] = {}
    for name in leak.SCALARS:
        if getattr(inputs, name) != getattr(start, name):
            out[name] = float(getattr(inputs, name))
    columns = table_start(start)
    for name in ("bucket_shares", *leak.FAMILIES):
        cells = {b: float(v) for b, v in getattr(inputs, name).items() if v != columns[name][b]}
        if cells:
            out[name] = cells
    scenario = inputs.scenario
    previous = dict(edits or {})
    never = scenario.never_contacted_share if scenario else None
    if never is None and TARGET_NEVER in previous:
        out[TARGET_NEVER] = previous[TARGET_NEVER]
    elif never is not None and never != DEFAULT_TARGET_NEVER:
        out[TARGET_NEVER] = float(never)
    shares = scenario.bucket_shares if scenario else None
    if shares is None and TARGET_SHARES in previous:
        out[TARGET_SHARES] = previous[TARGET_SHARES]
    elif shares is not None:
        cells = {b: float(v) for b, v in shares.items() if v != DEFAULT_TARGET_SHARES[b]}
        if cells:
            out[TARGET_SHARES] = cells
    return out


def _number(value: float) -> str:
    return f"{value:.10g}"


def to_params(start: str, edits: Mapping[str, Any], period: str = "annual", metric: str = "sql") -> dict[str, str]:
    """The URL of a scenario: its starting point, its period and metric when not the
    defaults, and every edited input as typed (shares in percent; per-bucket edits as
    `bucket:value` pairs)."""
    params: dict[str, str] = {}
    if start != CALIBRATED:
        params[START] = start
    if period != PERIODS[0]:
        params[PERIOD] = period
    if metric != leak.METRICS[0]:
        params[METRIC] = metric
    for name in SCALARS:
        if name in edits:
            params[PREFIX + name] = _number(shown(name, edits[name]))
    for name in TABLE:
        if edits.get(name):
            params[PREFIX + name] = ",".join(f"{b}:{_number(shown(name, v))}" for b, v in edits[name].items())
    return params


def from_params(params: Mapping[str, str]) -> tuple[str, dict[str, Any], str, str, list[str]]:
    """(start, edits, period, metric, problems) from a URL's keys; a value that does not
    read is left out and named in `problems`."""
    problems: list[str] = []
    start = params.get(START, CALIBRATED)
    if start not in STARTS:
        problems.append(f"unknown starting point {start!r}")
        start = CALIBRATED
    period = params.get(PERIOD, PERIODS[0])
    if period not in PERIODS:
        problems.append(f"unknown period {period!r}")
        period = PERIODS[0]
    metric = params.get(METRIC, leak.METRICS[0])
    if metric not in leak.METRICS:
        problems.append(f"unknown conversion measure {metric!r}")
        metric = leak.METRICS[0]
    edits: dict[str, Any] = {}
    for name in SCALARS:
        raw = params.get(PREFIX + name)
        if raw is None:
            continue
        try:
            value = float(raw)
            if not math.isfinite(value) or value < 0:
                raise ValueError
            edits[name] = typed(name, value)
        except ValueError:
            problems.append(f"{LABELS[name]}: {raw!r} is not a number of at least 0")
    for name in TABLE:
        raw = params.get(PREFIX + name)
        if not raw:
            continue
        cells: dict[str, float] = {}
        for pair in raw.split(","):
            bucket, _, text = pair.rpartition(":")
            try:
                value = float(text)
                if bucket not in leak.BUCKETS or not math.isfinite(value) or value < 0:
                    raise ValueError
                cells[bucket] = typed(name, value)
            except ValueError:
                problems.append(f"{LABELS[name]}: {pair!r} is not a speed bucket and a number of at least 0")
        if cells:
            edits[name] = cells
    return start, edits, period, metric, problems


def scenario_from_file(content: bytes) -> leak.LeakInputs:
    """The inputs of a scenario file: the page's download (`{"inputs": ...}`) or the JSON of
    `handoff leak --inputs`, checked by the model (ValueError with a plain reason)."""
    try:
        data = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"the file is not JSON ({exc})") from None
    if isinstance(data, dict) and isinstance(data.get("inputs"), dict):
        data = data["inputs"]
    return leak.inputs_from_json(data)


def export(start: str, inputs: leak.LeakInputs, result: dict, currency: str) -> str:
    """The scenario file: the inputs (the JSON `handoff leak --inputs` reads) and the results."""
    return json.dumps(
        {
            "start": start,
            "currency": currency,
            "inputs": leak.inputs_to_json(inputs),
            "results": {**result, "annual_recovery": leak.annual_recovery(result)},
        },
        indent=2,
    )


# -- what a negative dimension means ---------------------------------------------------------------
FAMILY_OF = {
    "conversion_decline": ("conversion_multipliers", "converted more often", "conversion"),
    "competitive_displacement": ("win_multipliers", "won more often", "win-rate"),
    "deal_value_compression": ("value_multipliers", "closed larger deals", "value"),
}
COUNT_OF = {"conversion_multipliers": "n", "win_multipliers": "converted", "value_multipliers": "won"}
COUNTED = {"conversion_multipliers": "leads", "win_multipliers": "converted leads", "value_multipliers": "won deals"}


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def negative_notes(
    inputs: leak.LeakInputs, monthly: Mapping[str, float], currency: str, table: pd.DataFrame | None = None
) -> list[str]:
    """A plain sentence for each dimension that comes out negative: which buckets did better
    than the best one, and (calibrated, with its `table`) on how few leads."""
    notes = []
    reference = max(leak.BUCKETS, key=lambda b: inputs.conversion_multipliers[b])
    if table is not None and "conversion_multiplier" in table:
        best = table.index[table["conversion_multiplier"] == 1.0]
        reference = str(best[0]) if len(best) else reference
    for dim, (family, verb, what) in FAMILY_OF.items():
        value = monthly[dim]
        if value >= 0 or fmt.money(value, currency) == fmt.money(0, currency):
            continue
        multipliers = getattr(inputs, family)
        better = [b for b in leak.BUCKETS if multipliers[b] > 1.0 and inputs.bucket_shares[b] > 0]
        head = (
            f"{leak.RESULT_LABELS[dim]} is negative ({fmt.money(value, currency, compact=True)} a month): it "
            "counts what slower answers cost, so below zero it says slower answers paid."
        )
        if not better:
            notes.append(head)
            continue
        named = _words([f"{b} (\u00d7{multipliers[b]:.2f})" for b in better])
        text = f"{head} Leads answered in {named} {verb} than those answered in {reference}, by the {what} multipliers."
        if table is not None and COUNT_OF[family] in table:
            counts = _words([fmt.count(table.loc[b, COUNT_OF[family]]) for b in better if b in table.index])
            text += (
                f" In the data they rest on {counts} {COUNTED[family]}: more likely chance in thin data than a real "
                "advantage of answering late. The calibration table's intervals show how far to trust each bucket; "
                "set those multipliers to 1 to leave the effect out."
            )
        else:
            text += " Set those multipliers to 1 or below if that is not what you mean."
        notes.append(text)
    return notes


# -- the calibration table for people ---------------------------------------------------------------
def calibration_columns(currency: str, metric: str) -> dict[str, Any]:
    """Headers and formats of the calibration table (the same headers in its CSV)."""
    converted = "Became SQL" if metric == "sql" else "Booked a meeting"
    rate, money, count, mult = fmt.rate_column, fmt.money_column, fmt.count_column, fmt.number_column
    return {
        "bucket": fmt.text("Response time (wall clock)"),
        "n": count("Leads", help="Handoffs in the bucket (for meetings: those whose window has closed)."),
        "converted": count(converted),
        "rate": rate("Conversion"),
        "rate_low": rate("Conversion, 95% low"),
        "rate_high": rate("Conversion, 95% high"),
        "won": count("Won"),
        "win_rate": rate("Win rate", help="Won / converted."),
        "win_low": rate("Win rate, 95% low"),
        "win_high": rate("Win rate, 95% high"),
        "avg_amount": money("Average won amount", currency),
        "amount_low": money("Average won amount, 95% low", currency),
        "amount_high": money("Average won amount, 95% high", currency),
        "conversion_multiplier": mult("Conversion \u00d7 best bucket"),
        "win_multiplier": mult("Win rate \u00d7 best bucket"),
        "value_multiplier": mult("Value \u00d7 best bucket"),
        "warning": fmt.text("Warning"),
    }


# -- streamlit: state, URL, widgets ------------------------------------------------------------------
def edits() -> dict[str, Any]:
    return st.session_state.setdefault(EDITS, {})


def _url_params() -> dict[str, str]:
    return {k: str(st.query_params.get(k)) for k in st.query_params.keys() if k.startswith(PREFIX)}


def read_url() -> None:
    """On a session's first run, or when the URL's scenario changed (a pasted link), take
    the starting point, period, metric and edits from it."""
    params = _url_params()
    if st.session_state.get(URL_SEEN) == params:
        return
    start, found, period, metric, problems = from_params(params)
    st.session_state[EDITS] = found
    st.session_state[START] = start
    st.session_state[PERIOD] = period
    st.session_state[METRIC] = metric
    st.session_state[URL_SEEN] = params
    if problems:
        st.warning("Some of the link's inputs were left out: " + "; ".join(problems) + ".")


def write_url(start: str, period: str, metric: str) -> None:
    """Keep the URL's scenario keys equal to the page's (the other keys stay as they are)."""
    wanted = to_params(start, edits(), period, metric)
    current = _url_params()
    if current != wanted:
        for key in current:
            if key not in wanted:
                del st.query_params[key]
        for key, value in wanted.items():
            if current.get(key) != value:
                st.query_params[key] = value
    st.session_state[URL_SEEN] = wanted


def _record(name: str) -> None:
    value = st.session_state.get(f"{PREFIX}in_{name}")
    if value is not None:
        edits()[name] = typed(name, float(value))


def _record_table(key: str) -> None:
    changes = st.session_state.get(key, {}).get("edited_rows", {})
    for row, cells in changes.items():
        bucket = leak.BUCKETS[int(row)]
        for name, value in cells.items():
            column = edits().setdefault(name, {})
            if value is None:
                column.pop(bucket, None)
            else:
                column[bucket] = typed(name, float(value))
            if not column:
                edits().pop(name)


def reset() -> None:
    st.session_state[EDITS] = {}


def load_file(start: leak.LeakInputs) -> None:
    """A scenario file chosen in the uploader becomes the edits (once per file)."""
    upload = st.file_uploader(
        "Load a scenario file (JSON)",
        type=["json"],
        key=f"{PREFIX}upload",
        help="A file downloaded from this page, or the inputs JSON of `handoff leak --inputs`.",
    )
    if upload is None:
        return
    seen = getattr(upload, "file_id", None) or f"{upload.name}:{upload.size}"
    if st.session_state.get(UPLOAD_SEEN) == seen:
        return
    st.session_state[UPLOAD_SEEN] = seen
    try:
        inputs = scenario_from_file(upload.getvalue())
    except ValueError as exc:
        st.error(f"{upload.name} could not be loaded: {exc}")
        return
    st.session_state[EDITS] = edits_between(start, inputs, edits())
    st.success(f"Loaded the scenario of {upload.name}.")


def edit(start: leak.LeakInputs, currency: str) -> leak.LeakInputs:
    """Draw the inputs (the start with the edits over it); return the inputs they set."""
    scalars, columns = merged(start, edits())
    cols = st.columns(3)
    for i, name in enumerate(SCALARS):
        key = f"{PREFIX}in_{name}"
        st.session_state[key] = shown(name, scalars[name])
        percent = name in PERCENT
        with cols[i % 3]:
            st.number_input(
                label(name, currency),
                min_value=0.0,
                max_value=100.0 if percent else None,
                step=1.0 if percent else STEPS.get(name, 1.0),
                format="%.1f" if percent else "%.0f",
                key=key,
                on_change=_record,
                args=(name,),
            )
    table = pd.DataFrame({name: pd.Series(columns[name]).map(lambda v, n=name: shown(n, v)) for name in TABLE})
    table = table.reindex(list(leak.BUCKETS)).rename_axis("bucket").reset_index()
    key = f"{PREFIX}buckets_{zlib.crc32(table.to_json().encode()):08x}"
    st.caption(
        "Per speed bucket of the contacted leads. Shares are in percent and rescaled to sum to 100%; "
        "a multiplier compares a bucket with the best one (1 = as good)."
    )
    st.data_editor(
        table,
        key=key,
        width="stretch",
        hide_index=True,
        disabled=["bucket"],
        on_change=_record_table,
        args=(key,),
        column_config={
            "bucket": st.column_config.TextColumn("Response time (wall clock)"),
            **{
                name: st.column_config.NumberColumn(label(name, currency), format="%.1f%%", min_value=0.0)
                for name in SHARE_COLUMNS
            },
            **{
                name: st.column_config.NumberColumn(LABELS[name], format="\u00d7%.2f", min_value=0.0)
                for name in leak.FAMILIES
            },
        },
    )
    return apply(start, edits())
