"""Dispositions: the codes over time, acceptance against the target, rejection reasons by
source and campaign (the feedback loop to marketing), and leads still without an answer."""

import streamlit as st

from handoff.ui import charts, format, page, state

data, filters = page.start(
    "Dispositions",
    "Sales' answer on every MQL: Qualified, Wrong Persona, Wrong Timing, Bad Fit or Unresponsive.",
)

with page.guard():
    overall = state.ask("overall", filters)
    late = state.ask("undispositioned", filters)
    target = page.target("acceptance_rate")
    cols = st.columns(3)
    with cols[0]:
        page.metric(
            "acceptance_rate",
            overall["acceptance_rate"],
            caption=f"Target {target:.0%}",
            so_far_until=page.so_far_until(overall, "acceptance_rate"),
        )
    with cols[1]:
        page.metric(
            "disposition_on_time_rate",
            overall["disposition_on_time_rate"],
            so_far_until=page.so_far_until(overall, "disposition_on_time_rate"),
        )
    with cols[2]:
        page.metric("undispositioned", overall["undispositioned"])

    left, right = st.columns(2)
    with left:
        st.plotly_chart(charts.disposition_trend(state.ask("disposition_trend", filters)), width="stretch")
    with right:
        weekly = state.ask("acceptance_by_week", filters)
        st.plotly_chart(
            charts.weekly_share(
                weekly, "acceptance_rate", "dispositions_final", f"{page.label('acceptance_rate')} by week", target
            ),
            width="stretch",
        )

    st.subheader("Rejection reasons: feedback to marketing", help=page.help_text("rejection_reasons"))
    by = st.segmented_control("By", ["source", "campaign"], default="source", key="rej_by") or "source"
    reasons = state.ask("rejection_reasons", filters, by=by)
    if reasons.empty:
        st.info("No rejected leads in this selection.")
    else:
        st.plotly_chart(charts.rejections(reasons, by), width="stretch")
        format.table(reasons, f"rejections_by_{by}.csv", key="dl_reasons")

    st.subheader(page.label("undispositioned"), help=page.help_text("undispositioned"))
    format.table(late, "undispositioned.csv", key="dl_late", height=360)
