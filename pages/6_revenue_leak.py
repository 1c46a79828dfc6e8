"""Revenue leak: what slow and missing follow-up costs, calibrated from the data."""

import json

import streamlit as st

from handoff import leak
from handoff.ui import charts, format, leak_inputs, page, state

data, filters = page.start(
    "Revenue leak",
    "What slow and missing follow-up costs: conversion decline, competitive displacement, deal "
    "value compression, and the marketing spend on leads nobody contacted.",
)

SOURCES = {
    "calibrated": "Calibrated from the loaded data",
    **{k: f"Preset: {p.label}" for k, p in leak.PRESETS.items()},
}

with page.guard():
    choice = st.radio("Start from", list(SOURCES), format_func=SOURCES.get, horizontal=True, key="leak_source")
    calibration = None
    if choice == "calibrated":
        metric = (
            st.segmented_control(
                "Conversion means",
                ["sql", "meeting"],
                default="sql",
                key="leak_metric",
                format_func={"sql": "became SQL", "meeting": "booked a meeting"}.get,
            )
            or "sql"
        )
        calibration = state.ask("leak_calibration", filters, metric=metric)
        start = calibration.inputs
    else:
        start = leak.default_inputs(choice)

    with st.expander("Inputs", expanded=True):
        inputs = leak_inputs.edit(start, key=f"leak_{choice}")
    result = leak.compute(inputs)
    annual_recovery = leak.annual_recovery(result)

    period = st.segmented_control("Show", ["monthly", "annual"], default="annual", key="leak_period") or "annual"
    cols = st.columns(3)
    cols[0].metric(
        "Revenue gap",
        f"{result[period]['revenue_gap']:,.0f}",
        help="Ideal revenue minus current revenue: the three dimensions.",
    )
    cols[1].metric(
        "Marketing waste",
        f"{result[period]['marketing_waste']:,.0f}",
        help="MQLs x never-contacted share x cost per lead.",
    )
    recovered = annual_recovery if period == "annual" else result["recovery"]
    cols[2].metric(
        "Recovered by the target",
        f"{recovered['revenue_gap'] + recovered['marketing_waste']:,.0f}",
        help="Current leak minus the target scenario's leak, per dimension (gap + waste).",
    )
    left, right = st.columns(2)
    left.plotly_chart(charts.leak_waterfall(result[period], period), width="stretch")
    right.plotly_chart(charts.recovery_bars(recovered, period), width="stretch")

    st.subheader("Sensitivity")
    st.plotly_chart(charts.tornado(leak.sensitivity(inputs)), width="stretch")

    st.subheader("Assumptions")
    st.text("\n".join(f"- {line}" for line in leak.assumptions(inputs)))
    with st.expander("Presets and their sources"):
        for p in leak.PRESETS.values():
            st.text(f"{p.label}: {p.sources}")

    if calibration is not None:
        st.subheader("Calibration")
        st.caption(
            f"Best bucket: {calibration.best_bucket}; {calibration.months:.1f} months of handoffs; "
            "intervals are 95% (Wilson for rates, bootstrap for amounts)."
        )
        for warning in calibration.warnings:
            st.warning(warning)
        format.table(calibration.table.reset_index(), "leak_calibration.csv", key="dl_calibration")

    export = {"inputs": leak.inputs_to_json(inputs), "results": {**result, "annual_recovery": annual_recovery}}
    st.download_button(
        "Download inputs and results (JSON)",
        json.dumps(export, indent=2),
        file_name="revenue_leak.json",
        mime="application/json",
        icon=":material/download:",
    )
