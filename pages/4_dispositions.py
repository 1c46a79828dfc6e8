"""Dispositions: the codes over time, acceptance against the target, rejection reasons by
source and campaign (the feedback loop to marketing), and leads still without an answer."""

import streamlit as st

from handoff.model import views
from handoff.ui import charts, format, page, state
from handoff.ui import filters as url

codes = list(state.policy().disposition_codes)
data, filters = page.start(
    "Dispositions",
    f"Sales' answer on every MQL: {', '.join(codes[:-1])} or {codes[-1]}." if len(codes) > 1 else "Sales' answer "
    "on every MQL.",
)

with page.guard():
    overall = state.ask("overall", filters)
    policy = state.policy()
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
        mix = state.ask("disposition_trend", filters)
        st.plotly_chart(charts.disposition_trend(mix, policy.disposition_codes), width="stretch")
    with right:
        weekly = state.ask("acceptance_by_week", filters)
        st.plotly_chart(
            charts.weekly_share(
                weekly, "acceptance_rate", "dispositions_final", f"{page.label('acceptance_rate')} by week", target
            ),
            width="stretch",
        )

    st.subheader("Rejection reasons: feedback to marketing", help=page.help_text("rejection_reasons"))
    by_key = url.seed("rej_by", ["source", "campaign"], "source")
    by = st.segmented_control("By", ["source", "campaign"], key=by_key) or "source"
    url.keep("rej_by", by, "source")
    reasons = state.ask("rejection_reasons", filters, by=by)
    if reasons.empty:
        st.info("No rejected leads in this selection.")
    else:
        st.plotly_chart(charts.rejections(reasons, by), width="stretch")
        format.table(reasons, f"rejections_by_{by}.csv", key="dl_reasons")

    st.subheader(page.label("undispositioned"), help=page.help_text("undispositioned"))
    show_key = url.seed("backlog", [True], False, parse=lambda text: text == "all")
    show_all = st.toggle(
        "Show every lead without a disposition",
        key=show_key,
        help=f"Off: only the leads handed off since {views.backlog_start(data.model):%Y-%m-%d} (the "
        f"{policy.disposition_sla_hours:g} hours sales has to answer, plus {views.BACKLOG_WEEKS} weeks), the ones "
        "still worth an answer. On: the whole backlog. Kept in the URL (backlog=all).",
    )
    url.keep("backlog", show_all, False, show=lambda _: "all")
    late = state.ask("recent_undispositioned", filters, weeks=None if show_all else views.BACKLOG_WEEKS)
    total = int(overall["undispositioned"])
    if show_all:
        st.caption(f"All {format.count(total)} leads without a disposition, oldest first.")
    else:
        st.caption(
            f"Showing {format.count(len(late))} of {format.count(total)} leads without a disposition: those handed "
            f"off since {views.backlog_start(data.model):%Y-%m-%d}, oldest first."
        )
    format.table(late, "undispositioned.csv", key="dl_late", height=360)
