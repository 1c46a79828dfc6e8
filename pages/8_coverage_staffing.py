"""Coverage and staffing: how many SDRs, at which hours, the SLA needs, and what hiring them recovers."""

import streamlit as st

from handoff.model.staffing import TIER_WORDS, calibration_words, describe, heat, predicted_words, uncovered_words
from handoff.ui import format, page
from handoff.ui import staffing as ui
from handoff.ui import staffing_charts as charts

page.ensure_app_routing()
st.title("Coverage and staffing")
st.caption(
    "How many SDRs the SLA needs in each hour of the week, how many are working then, and what "
    "changing the roster would recover. The sidebar filters do not apply here: the page covers every "
    "MQL of one tier."
)

reason = ui.no_handoffs()
if reason:
    st.info(f"Nothing to show: {reason}. Load data with MQL dates on the **Data** page.", icon=":material/info:")
    st.stop()

with page.guard():
    tier = st.segmented_control("Staff for", list(TIER_WORDS), default=ui.tier_from_url(), key="staff_tier_pick",
                                format_func=lambda t: f"{TIER_WORDS[t]} MQLs") or ui.tier_from_url()
    ui.set_url(ui.TIER_KEY, None if tier == ui.state.policy().staffing.tier else tier)
    plan = ui.plan(tier)
    s = plan.settings
    st.caption(
        f"{plan.who_capital} of the {plan.weeks} full weeks from {plan.date_from:%d %b %Y} to "
        f"{plan.date_to:%d %b %Y}, by hour of the week in {plan.company_tz}; SDRs on duty in the week of "
        f"{plan.week_start:%d %b %Y}, each in their own timezone and business hours. SLA: {s.target_minutes:g} "
        f"minutes for {s.service_level:.0%} of leads; a first touch takes {s.minutes_per_first_touch:g} minutes."
    )
    for note in plan.notes:
        st.warning(note)

    st.subheader(uncovered_words(plan))
    predicted_text, observed_text = predicted_words(plan)
    left, right = st.columns(2)
    left.metric("Predicted by the staffing model", ui.show(plan.predicted_compliance, "share"),
                help="Touched within the SLA target, as the queueing model (Erlang C) predicts from the roster.")
    left.caption(predicted_text)
    right.metric("Observed in the same weeks", ui.show(plan.observed_compliance, "share"),
                 help="SLA compliance of the same MQLs: met / (met + breached).")
    right.caption(observed_text)
    st.info(calibration_words(plan), icon=":material/tune:")

    hours = heat(plan.hours)
    st.plotly_chart(charts.arrivals(hours, plan.company_tz, plan.who), width="stretch", key="staff_arrivals")
    st.metric("SDR-hours short a week", ui.show(plan.hours_short, "count"),
              help="The sum, over the hours of the week, of the SDRs needed on duty beyond those on duty "
                   f"(with {format.rate(s.availability)} of each SDR's hour free for new leads).")
    st.plotly_chart(charts.gap(hours, plan.company_tz, "SDRs needed vs on duty"), width="stretch", key="staff_gap")
    with st.expander("The roster"):
        format.table(plan.shift_table(), "roster.csv", key="dl_roster", columns={
            "timezone": format.text("Timezone"), "sdrs": format.count_column("SDRs"),
            "hours": format.text("Local business hours")})

    st.header("What if")
    st.caption("Add or remove SDRs in a timezone, or move some to other hours, and see what the SLA and the "
               "revenue-leak model make of it. The what-if lives in the page's address: share it as it is.")
    changes, unreadable = ui.changes_from_url()
    for problem in unreadable:
        st.warning(f"Ignored: {problem}")
    start = ui.availability_from_url() or plan.starting_availability
    percent = st.slider(
        "Share of an SDR's hour free for new leads (%)", 0.1, 100.0, round(100 * start, 1), 0.1, format="%.1f%%",
        key=f"staff_avail_{tier}", help="Starts at the calibrated value: the one that makes the prediction "
                                        "match what was observed.")
    calibrated = round(100 * plan.starting_availability, 1)
    availability = plan.starting_availability if percent == calibrated else percent / 100
    ui.set_url(ui.AVAILABILITY_KEY, None if percent == calibrated else f"{availability:g}")

    with st.form("staff_change_form"):
        cols = st.columns([1.2, 0.8, 2, 1, 1, 1, 1])
        action = cols[0].selectbox("Change", ["Add", "Remove", "Move"], key="staff_action")
        reps = cols[1].number_input("SDRs", 1, 1000, 1, key="staff_reps")
        zone = cols[2].selectbox("Timezone", ui.timezones(plan), key="staff_zone")
        begin = cols[3].selectbox("From", ui.CLOCKS, index=ui.CLOCKS.index("09:00"), key="staff_from")
        end = cols[4].selectbox("To", ui.CLOCKS, index=ui.CLOCKS.index("17:00"), key="staff_to")
        new_begin = cols[5].selectbox("Move to: from", ui.CLOCKS, index=ui.CLOCKS.index("12:00"), key="staff_new_from")
        new_end = cols[6].selectbox("Move to: to", ui.CLOCKS, index=ui.CLOCKS.index("20:00"), key="staff_new_to")
        submitted = st.form_submit_button("Apply to the what-if")
    if submitted:
        try:
            added = ui.form_changes(action, reps, zone, begin, end, new_begin, new_end)
            ui.what_if(plan, changes + added, availability)  # refuses a removal of reps that are not there
        except ValueError as exc:
            st.error(str(exc))
        else:
            changes = changes + added
            ui.set_url(ui.CHANGE_KEY, [c.text for c in changes])

    try:
        result = ui.what_if(plan, changes, availability)
    except ValueError as exc:
        st.warning(f"The what-if in the address cannot apply ({exc}); it is left out.")
        changes = []
        ui.set_url(ui.CHANGE_KEY, None)
        result = ui.what_if(plan, changes, availability)
    if changes:
        st.markdown("\n".join(f"- {describe(c)}" for c in changes))
        if st.button("Clear the what-if", key="staff_clear"):
            ui.set_url(ui.CHANGE_KEY, None)
            st.rerun()
    else:
        st.caption("No change yet: the numbers below are the current roster at this availability.")

    st.caption(f"With {format.rate(availability)} of each SDR's hour free for new leads; the small print under each "
               "number is the change against the current roster.")
    cols = st.columns(4)
    for col, row in zip(cols, result.comparison().itertuples(index=False), strict=False):
        col.metric(ui.LABELS[row.name], ui.show(row.then, row.unit), ui.show_change(row.change, row.unit),
                   delta_color="inverse" if row.name in ("hours_short", "uncovered_share") else "normal",
                   help=f"Now: {ui.show(row.now, row.unit)}")
    if result.payback is not None:
        money = st.columns(2)
        money[0].metric("Revenue recovered a month", ui.money(result.payback.monthly_recovery, result.currency),
                        help="Through the revenue-leak model: the leak of the current roster minus the leak of the "
                             "changed one, from the share of MQLs each answers within each speed bucket.")
        money[1].metric("Cost of the SDRs a month", ui.money(result.payback.monthly_cost, result.currency),
                        help=f"SDRs added x {format.money(plan.cost_per_rep_month, plan.currency)} a month, "
                             "the cost of one SDR in the policy.")
    if changes:
        says = st.success if result.pays else st.warning
        says(result.payback_words(), icon=":material/payments:")
    for note in result.notes:
        st.caption(note)
    st.plotly_chart(charts.gap(heat(result.then), plan.company_tz, "With the change: SDRs needed vs on duty"),
                    width="stretch", key="staff_gap_then")
