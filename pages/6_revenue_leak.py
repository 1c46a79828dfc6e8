"""Revenue leak: what slow and missing follow-up costs, answer first; the inputs below."""

from dataclasses import replace

import streamlit as st

from handoff import leak
from handoff.ui import charts, format, leak_inputs, page, state

data, filters = page.start("Revenue leak", "What slow and missing follow-up costs, and what the target would recover.")
policy = state.policy()
currency = policy.currency

SOURCES = {
    leak_inputs.CALIBRATED: "Calibrated from the loaded data",
    **{k: f"Preset: {p.label}" for k, p in leak.PRESETS.items()},
}
PER = {"monthly": "a month", "annual": "a year"}

with page.guard():
    leak_inputs.read_url()
    answer = st.container()
    st.subheader("Inputs")
    with st.expander("Change the inputs, or load a scenario file", expanded=False):
        choice = st.radio("Start from", list(SOURCES), format_func=SOURCES.get, horizontal=True, key=leak_inputs.START)
        calibration = None
        metric = st.session_state.get(leak_inputs.METRIC) or "sql"
        if choice == leak_inputs.CALIBRATED:
            metric = (
                st.segmented_control(
                    "Conversion means",
                    list(leak.METRICS),
                    key=leak_inputs.METRIC,
                    format_func={"sql": "became SQL", "meeting": "booked a meeting"}.get,
                )
                or "sql"
            )
            calibration = state.ask("leak_calibration", filters, metric=metric)
            start = calibration.inputs
        else:
            start = leak.default_inputs(choice)
        start = replace(start, cost_per_lead=policy.cost_per_lead)
        leak_inputs.load_file(start)
        inputs = leak_inputs.edit(start, currency)
        st.button(
            "Reset to the starting point",
            on_click=leak_inputs.reset,
            icon=":material/restart_alt:",
            help="Forget the changed inputs; keep the starting point.",
        )
    result = leak.compute(inputs)
    yearly_recovery = leak.annual_recovery(result)

    with answer:
        gap, waste = result["monthly"]["revenue_gap"], result["monthly"]["marketing_waste"]
        back = result["recovery"]["revenue_gap"]
        left, right = st.columns([1, 2.2])
        with left:
            st.metric(
                "Revenue leak a month",
                format.money(gap, currency, compact=True),
                help="Ideal revenue (every lead answered like the best bucket) minus current revenue: "
                "conversion decline + competitive displacement + deal value compression.",
            )
            st.metric("Revenue leak a year", format.money(12 * gap, currency, compact=True))
            st.metric(
                "Recovered by the target, a month",
                format.money(back, currency, compact=True),
                help="The current leak minus the target scenario's, per dimension.",
            )
            st.metric(
                "Recovered by the target, a year", format.money(yearly_recovery["revenue_gap"], currency, compact=True)
            )
        with right:
            period = (
                st.segmented_control(
                    "Show",
                    list(leak_inputs.PERIODS),
                    key=leak_inputs.PERIOD,
                    format_func={"annual": "A year", "monthly": "A month"}.get,
                    label_visibility="collapsed",
                )
                or "annual"
            )
            st.plotly_chart(
                charts.leak_waterfall(result[period], period, currency), width="stretch", key="leak_waterfall"
            )
        st.caption(
            f"Beside the leak: {format.money(waste, currency, compact=True)} a month "
            f"({format.money(12 * waste, currency, compact=True)} a year) of marketing spend on leads nobody "
            f"contacted, at {format.money(inputs.cost_per_lead, currency)} a lead."
        )
        for note in leak_inputs.negative_notes(
            inputs, result["monthly"], currency, calibration.table if calibration is not None else None
        ):
            st.info(note, icon=":material/info:")
    leak_inputs.write_url(choice, period, metric)

    recovered = yearly_recovery if period == "annual" else result["recovery"]
    st.plotly_chart(charts.recovery_bars(recovered, period, currency), width="stretch")

    st.subheader("Sensitivity")
    st.plotly_chart(charts.tornado(leak.sensitivity(inputs), currency), width="stretch")

    st.subheader("Assumptions")
    written = leak.assumptions(inputs, money=lambda amount: format.money(amount, currency))
    st.text("\n".join(f"- {line}" for line in written))
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
        format.table(
            calibration.table.reset_index(),
            "leak_calibration.csv",
            key="dl_calibration",
            columns=leak_inputs.calibration_columns(currency, metric),
        )

    st.download_button(
        "Download this scenario (JSON)",
        leak_inputs.export(choice, inputs, result, currency),
        file_name="revenue_leak.json",
        mime="application/json",
        icon=":material/download:",
        help="Its inputs and results; load it back above, or run `handoff leak --inputs` on it.",
    )
