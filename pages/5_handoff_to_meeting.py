"""Handoff to meeting: the single metric, by group and band, and why speed matters. Only a
mature group (every handoff's meeting outcome known) has a rate and a band; a younger one
shows booked so far and a projection."""

import streamlit as st

from handoff.model import definitions as registry
from handoff.ui import charts, format, page, state
from handoff.ui import filters as url

window = state.policy().meeting_window_days
data, filters = page.start(
    "Handoff to meeting",
    f"The share of handed-off leads that book a meeting within {window:g} business days, with its band. A group "
    "with handoffs still inside their window has no rate yet: booked so far (a floor) and a projection.",
)

with page.guard():
    overall = state.ask("overall", filters)
    bands = data.model.policy.bands
    weekly = state.ask("meeting_rate", filters, by="week")
    mature_weeks = weekly[weekly["mature"].astype(bool)]
    cols = st.columns(3)
    with cols[0]:
        if overall["mature"]:
            page.metric(
                "handoff_to_meeting_rate",
                overall["handoff_to_meeting_rate"],
                caption=f"Band: **{overall['meeting_band']}** · {format.count(overall['handoffs'])} handoffs, "
                "all decided",
            )
        elif len(mature_weeks):
            latest = mature_weeks.iloc[-1]
            page.metric(
                "handoff_to_meeting_rate",
                latest["handoff_to_meeting_rate"],
                label=f"{page.label('handoff_to_meeting_rate')}, latest mature week",
                caption=f"Week of {latest['week']:%Y-%m-%d}: band **{latest['meeting_band']}**. The selection "
                f"as a whole is not mature: booked so far {page.show(overall['booked_so_far'], 'share')}, "
                f"projected {page.show(overall['projected'], 'share')}.",
            )
        else:
            page.metric(
                "booked_so_far",
                overall["booked_so_far"],
                caption="No week of the selection is mature yet: no rate, no band, no projection.",
            )
    with cols[1]:
        page.metric("sql_rate", overall["sql_rate"])
    with cols[2]:
        page.metric("contacted_share", overall["contacted_share"])

    groups = ["week", "source", "segment", "rep"]
    by = st.segmented_control("Rate by", groups, key=url.seed("mtg_by", groups, "week")) or "week"
    url.keep("mtg_by", by, "week")
    mature_only = False
    if by != "week":
        every_week = url.seed("all_weeks", [False], True, parse=lambda text: False if text == "1" else None)
        mature_only = st.toggle(
            "Only the handoffs of mature weeks",
            key=every_week,
            help="Rates per group over the MQL weeks whose every meeting outcome is known, so "
            "each group is mature and has a rate; off: every week, so groups holding young "
            "handoffs show booked so far and a projection instead.",
        )
        url.keep("all_weeks", mature_only, True, show=lambda _: "1")
    rates = weekly if by == "week" else state.ask("meeting_rate", filters, by=by, mature_weeks_only=mature_only)
    st.plotly_chart(charts.meeting_rate(rates, by, bands), width="stretch")
    st.caption(
        "Grey, hatched: not mature (booked so far, a floor); diamond: the projection from the booking curve of "
        f"the {registry.PROJECTION_WEEKS} latest mature weeks. Neither is a result, so neither has a band."
    )
    format.table(rates, f"meeting_rate_by_{by}.csv", key="dl_rates")

    st.subheader("Why speed matters", help=page.help_text("conversion_by_speed"))
    conversion = state.ask("conversion_by_speed", filters)
    st.caption("Over the handoffs of the mature MQL weeks of the selection, so every meeting outcome is known.")
    st.plotly_chart(charts.conversion_by_speed(conversion, window), width="stretch")
    format.table(conversion, "conversion_by_speed.csv", key="dl_speed")
