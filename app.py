"""handoff: the dashboard of the marketing-to-sales lead handoff. Routes to the pages."""

import streamlit as st

from handoff.ui.page import frame

st.set_page_config(page_title="handoff", page_icon=":material/handshake:", layout="wide")

PAGES = [
    st.Page("pages/1_this_week.py", title="This week", icon=":material/today:", default=True),
    st.Page("pages/2_sla_compliance.py", title="SLA compliance", icon=":material/timer:"),
    st.Page("pages/3_rep_response.py", title="Rep response times", icon=":material/groups:"),
    st.Page("pages/4_dispositions.py", title="Dispositions", icon=":material/fact_check:"),
    st.Page("pages/5_handoff_to_meeting.py", title="Handoff to meeting", icon=":material/event_available:"),
    st.Page("pages/6_revenue_leak.py", title="Revenue leak", icon=":material/savings:"),
    st.Page("pages/8_coverage_staffing.py", title="Coverage and staffing", icon=":material/schedule:"),
    st.Page("pages/7_data.py", title="Data", icon=":material/database:"),
]

page = st.navigation(PAGES)
frame()
page.run()
