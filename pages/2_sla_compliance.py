"""SLA compliance: over time against the targets, speed, delays and the live breach queue."""

import streamlit as st

from handoff.model import views
from handoff.ui import call_list, charts, format, page, state
from handoff.ui import filters as url

data, filters = page.start(
    "SLA compliance",
    "Was every MQL touched within its tier's target (business minutes)? Pending leads are "
    "excluded from compliance and shown apart.",
)

with page.guard():
    overall = state.ask("overall", filters, columns=("sla_compliance", "pending", "median_rep_business_minutes"))
    policy = state.policy()
    day = float(policy.business_hours.day_minutes)
    routing = state.ask("routing_delay", filters, by="all").iloc[0]
    late = views.ROUTING_LATE_MINUTES
    cols = st.columns(3)  # sales' response
    with cols[0]:
        page.metric("sla_compliance", overall["sla_compliance"], caption=f"Target {page.target('sla_compliance'):.0%}")
    with cols[1]:
        page.metric("pending", overall["pending"], caption="Still inside their target: not counted yet.")
    with cols[2]:
        st.metric(
            "Rep delay, median",
            format.duration(overall["median_rep_business_minutes"], "business", day),
            help=page.help_text("median_rep_business_minutes"),
        )
        st.caption("Sales' part: from the owner's assignment to the first touch.")
    cols = st.columns(3)  # routing, owned by operations
    with cols[0]:
        st.metric(
            "Routing delay, p90",
            format.duration(routing["p90_routing_business_minutes"], "business", day),
            help="Nine in ten MQLs with a known assignment had an owner within this much business time of "
            "the MQL moment: the system's part of the response, owned by operations.",
        )
        st.caption(f"Operations' part. {format.count(routing['routing_known'])} MQLs with a known assignment time.")
    with cols[1]:
        st.metric(
            f"Assigned after {late:g} min",
            format.rate(routing["assigned_late_share"]),
            help=f"The share of MQLs with a known assignment time that waited more than {late:g} business "
            "minutes for an owner.",
        )
        st.caption(f"{format.count(routing['assigned_late'])} MQLs waited for an owner.")

    by_key = url.seed("sla_by", ["tier", "source", "team"], "tier")
    by = st.segmented_control("SLA met by", ["tier", "source", "team"], key=by_key) or "tier"
    url.keep("sla_by", by, "tier")
    trend = state.ask("sla_trend", filters, by=by)
    target = page.target("sla_compliance")
    st.plotly_chart(charts.compliance_trend(trend, by, target), width="stretch")

    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.speed_distribution(state.ask("speed_distribution", filters)), width="stretch")
        st.caption(
            "Wall-clock time, nights and weekends included: what the lead experiences. The SLA above counts "
            "business time only."
        )
    with right:
        st.plotly_chart(charts.routing_delay(state.ask("routing_delay", filters, by="team"), "team"), width="stretch")

    call_list.show(filters)

    escalation = views.escalation(data.model, filters)
    if escalation is not None:
        st.subheader("Escalation after a breach", help=page.help_text("escalation_rate"))
        page.metric("escalation_rate", escalation["escalation_rate"])
        st.caption(
            f"{format.count(escalation['escalated'])} of {format.count(escalation['escalation_decided'])} breaches "
            f"went to another owner within {policy.escalation_minutes:g} business minutes of the breach; "
            f"{format.count(escalation['escalation_open'])} are still inside that time and not counted yet."
        )
