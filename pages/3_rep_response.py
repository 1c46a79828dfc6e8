"""Rep response times: one row per rep, the spread per rep, and one rep's leads."""

import streamlit as st

from handoff.ui import charts, format, page, state

data, filters = page.start(
    "Rep response times",
    "Who meets the SLA and who is slow: response in business minutes in each rep's own calendar.",
)

with page.guard():
    reps = state.ask("rep_table", filters)
    st.subheader("Reps", help=page.help_text("median_response_business_minutes"))
    format.table(reps, "reps.csv", key="dl_reps")

    st.plotly_chart(charts.rep_boxes(state.ask("rep_distribution", filters)), width="stretch")

    st.subheader("One rep's leads")
    names = dict(zip(reps["owner_id"], reps["owner_name"], strict=True))
    rep = st.selectbox(
        "Rep", list(names), format_func=lambda r: f"{names[r]} ({r})" if isinstance(names[r], str) else r
    )
    if rep is not None:
        leads = state.ask("rep_leads", filters, owner_id=rep)
        st.caption(f"{len(leads):,} handoffs, newest first.")
        format.table(leads, f"leads_{rep}.csv", key="dl_rep_leads", height=420)
