"""This week: the weekly alignment meeting's page."""

import streamlit as st

from handoff.model.views import week_filters
from handoff.ui import charts, format, page, state

data, filters = page.start(
    "This week",
    "The weekly marketing-sales alignment: volume, speed, SLA, meetings and acceptance, "
    "against the previous week and the target.",
)

HEADLINES = (
    ("handoffs", "contacted_share", "median_response_business_minutes", "p90_response_business_minutes"),
    ("sla_compliance", "handoff_to_meeting_rate", "acceptance_rate", "assigned_contacted_gap"),
)

with page.guard():
    weeks = state.ask("weeks", filters)
    week = st.selectbox("MQL week", weeks, format_func=lambda w: f"Week of {w:%Y-%m-%d} (W{w:%V})",
                        help="Handoffs whose MQL date falls in this week (Monday to Sunday). "
                             "The sidebar's date range picks the weeks offered.")
    summary = state.ask("this_week", filters, week=week).set_index("metric")
    for names in HEADLINES:
        for col, name in zip(st.columns(len(names)), names):
            with col:
                page.headline(name, summary.loc[name])
    band = summary["band"].iloc[0]
    if band:
        decided = summary["meeting_decided"].iloc[0]
        handoffs = summary.loc["handoffs", "current"]
        note = (" Provisional: leads still inside their 10-business-day window without a meeting "
                "are not counted yet, so the rate falls as their windows close."
                if summary["meeting_provisional"].iloc[0] else "")
        st.caption(f"Handoff-to-meeting band this week: **{band}**, over {decided:,.0f} of "
                   f"{handoffs:,.0f} handoffs.{note}")

    scoped = week_filters(filters, week)
    left, right = st.columns([2, 1])
    with left:
        st.subheader("Top 3 rejection reasons", help=page.help_text("rejection_reasons"))
        top = state.ask("top_rejections", scoped, n=3)
        if top.empty:
            st.info("No rejected leads this week.")
        else:
            format.table(top, "rejection_reasons.csv", key="dl_top")
    with right:
        st.subheader("Pipeline")
        page.headline("pipeline_amount", summary.loc["pipeline_amount"])

    st.subheader("SLA adherence by team", help=page.help_text("sla_compliance"))
    team = state.ask("sla_by_team", scoped)
    st.plotly_chart(charts.sla_by_team(team, summary.loc["sla_compliance", "target"]), width="stretch")
    format.table(team, "sla_by_team.csv", key="dl_team")
