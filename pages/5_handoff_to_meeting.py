"""Handoff to meeting: the single metric, by group and band, and why speed matters."""

import streamlit as st

from handoff.ui import charts, format, page, state

data, filters = page.start(
    "Handoff to meeting",
    "The share of handed-off leads that book a meeting within 10 business days, with its band.",
)

with page.guard():
    overall = state.ask("overall", filters)
    bands = data.model.policy.bands
    cols = st.columns(3)
    with cols[0]:
        page.metric("handoff_to_meeting_rate", overall["handoff_to_meeting_rate"],
                    caption=f"Band: **{bands.band(overall['handoff_to_meeting_rate']) or 'n/a'}** · "
                            f"{overall['meeting_decided']:,} decided of {overall['handoffs']:,} handoffs")
    with cols[1]:
        page.metric("sql_rate", overall["sql_rate"])
    with cols[2]:
        page.metric("contacted_share", overall["contacted_share"])

    by = st.segmented_control("Rate by", ["week", "source", "segment", "rep"], default="week", key="mtg_by") or "week"
    rates = state.ask("meeting_rate", filters, by=by)
    st.plotly_chart(charts.meeting_rate(rates, by, bands), width="stretch")
    format.table(rates, f"meeting_rate_by_{by}.csv", key="dl_rates")

    st.subheader("Why speed matters", help=page.help_text("conversion_by_speed"))
    conversion = state.ask("conversion_by_speed", filters)
    st.plotly_chart(charts.conversion_by_speed(conversion), width="stretch")
    format.table(conversion, "conversion_by_speed.csv", key="dl_speed")
