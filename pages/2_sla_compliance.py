"""SLA compliance: over time against the targets, speed, delays and the live breach queue."""

import streamlit as st

from handoff.ui import call_list, charts, page, state

data, filters = page.start(
    "SLA compliance",
    "Was every MQL touched within its tier's target (business minutes)? Pending leads are "
    "excluded from compliance and shown apart.",
)

with page.guard():
    overall = state.ask("overall", filters)
    cols = st.columns(4)
    for col, name in zip(
        cols,
        ("sla_compliance", "pending", "median_routing_business_minutes", "median_rep_business_minutes"),
        strict=True,
    ):
        with col:
            page.metric(name, overall[name])

    by = st.segmented_control("Compliance by", ["tier", "source", "team"], default="tier", key="sla_by")
    trend = state.ask("sla_trend", filters, by=by or "tier")
    target = page.target("sla_compliance")
    st.plotly_chart(charts.compliance_trend(trend, by or "tier", target), width="stretch")

    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.speed_distribution(state.ask("speed_distribution", filters)), width="stretch")
    with right:
        st.plotly_chart(charts.delays(state.ask("delays", filters, by="team"), "team"), width="stretch")

    call_list.show(filters)
