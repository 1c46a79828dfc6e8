"""This week: the weekly alignment meeting's page, with a meeting mode (`?meeting=1`) for the
meeting itself on a projector."""

import streamlit as st

from handoff.model.views import parse_week, week_filters, week_in_progress, week_label
from handoff.pack.content import short_week
from handoff.ui import call_list, charts, format, meeting, page, state
from handoff.ui import filters as url
from handoff.ui.meeting import WEEK_KEY

if page.meeting_mode():
    page.ensure_app_routing()
    filters = page.start_quietly()
    with page.guard():
        meeting.render(filters)
    st.stop()

data, filters = page.start(
    "This week",
    "The weekly marketing-sales alignment: volume, speed, SLA, meetings and acceptance, "
    "against the previous week and the target. A week still inside its meeting window shows what is "
    "booked so far and a projection, never a result.",
)

HEADLINES = (
    ("handoffs", "contacted_share", "median_response_business_minutes", "p90_response_business_minutes"),
    ("sla_compliance", "handoff_to_meeting_rate", "acceptance_rate", "assigned_contacted_gap"),
)

with page.guard():
    weeks = state.ask("weeks", filters)
    pick, switch = st.columns([4, 1], vertical_alignment="bottom")
    with pick:
        week_key = url.seed(WEEK_KEY, weeks, weeks[0], parse=parse_week)
        week = st.selectbox(
            "MQL week",
            weeks,
            key=week_key,
            format_func=week_label,
            help="Handoffs whose MQL date falls in this week (Monday to Sunday). "
            "The sidebar's date range picks the weeks offered.",
        )
    url.keep(WEEK_KEY, week, weeks[0], show=short_week)
    with switch:
        meeting.toggle()
    if week_in_progress(data.model, week):
        st.caption(
            "This week is still in progress: its counts are so far, and a change against the previous "
            "week compares part of a week with a whole one."
        )
    summary = state.ask("this_week", filters, week=week).set_index("metric")
    for names in HEADLINES:
        for col, name in zip(st.columns(len(names)), names, strict=True):
            with col:
                if name == "handoff_to_meeting_rate":
                    page.meeting_headline(summary)
                else:
                    page.headline(name, summary.loc[name])

    call_list.show_top(filters)

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

    st.subheader("SLA met by team", help=page.help_text("sla_compliance"))
    team = state.ask("sla_by_team", scoped)
    st.plotly_chart(charts.sla_by_team(team, summary.loc["sla_compliance", "target"]), width="stretch")
    format.table(team, "sla_by_team.csv", key="dl_team")
