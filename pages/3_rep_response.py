"""Rep response times: the rep scorecard (click a rep to open their leads), the routing rows
(queues and leads without an owner) apart, the spread per rep, and the never-contacted leads
with the spend they represent."""

import streamlit as st

from handoff.model import views
from handoff.ui import charts, format, page, scorecard, state
from handoff.ui import filters as url

data, filters = page.start(
    "Rep response times",
    "Who meets the SLA and who is slow: response in business time (each rep's own business hours and "
    "holidays), from the MQL moment to the first touch.",
)

with page.guard():
    policy = state.policy()
    card = state.ask("rep_scorecard", filters)
    people = scorecard.frame(card, people=True)
    routing = scorecard.frame(card, people=False)

    st.subheader("Rep scorecard", help="One row per rep, slowest median reply first. Hover a header for its meaning.")
    st.caption(
        f"Click a rep to open their leads below. SLA met: \u2713 on target, ! within {views.NEAR_TARGET * 100:g} "
        f"points, \u2715 below the {format.rate(page.target('sla_compliance'), 0)} target."
    )
    ids = list(people["owner_id"])
    chosen = url.url_value(scorecard.URL_KEY, ids, None)
    event = st.dataframe(
        scorecard.styled(people, policy),
        column_config=scorecard.column_config(policy),
        hide_index=True,
        height=min(600, 38 + 35 * len(people)),
        on_select="rerun",
        selection_mode="single-row",
        selection_default={"selection": {"rows": [ids.index(chosen)] if chosen else []}},
        key=scorecard.SELECTION_KEY,
    )
    rows = event.selection.rows if event is not None else []
    rep = ids[rows[0]] if rows else None
    url.keep(scorecard.URL_KEY, rep, None)
    st.download_button(
        "Download CSV",
        format.csv_bytes(scorecard.for_download(people, scorecard.scorecard_headers(policy))),
        file_name="rep_scorecard.csv",
        mime="text/csv",
        key="dl_reps",
        icon=":material/download:",
    )

    if rep is None:
        st.info("Click a rep in the scorecard to see their leads here.", icon=":material/touch_app:")
    else:
        name = people.loc[people["owner_id"] == rep, "who"].iloc[0]
        st.subheader(f"{name}'s leads")
        leads = state.ask("rep_leads", filters, owner_id=rep)
        st.caption(f"{len(leads):,} MQLs handed off to {name}, newest first.")
        format.table(leads, f"leads_{rep}.csv", key="dl_rep_leads", height=420)

    if len(routing):
        st.subheader(
            "Routing: queues and leads without an owner",
            help="Leads whose owner is a queue or nobody: no person is accountable for them until routed.",
        )
        st.dataframe(
            scorecard.styled(routing, policy, routing=True),
            column_config=scorecard.column_config(policy, routing=True),
            hide_index=True,
            key=scorecard.ROUTING_KEY,
        )

    spread = scorecard.people_only(state.ask("rep_distribution", filters), ids)
    st.plotly_chart(charts.rep_spread(spread, float(policy.business_hours.day_minutes)), width="stretch")

    st.subheader(
        "Never-contacted leads and what they cost",
        help="MQLs without any touch or booked meeting yet, with what marketing paid for them (cost per lead "
        f"{format.money(policy.cost_per_lead, policy.currency)}, from the policy).",
    )
    for by in ("rep", "source"):
        with st.container():
            lost = scorecard.never_contacted_frame(state.ask("never_contacted", filters, by=by), by)
            headers = scorecard.never_contacted_columns(policy, by)
            st.markdown(f"**By {'owner' if by == 'rep' else 'source'}**")
            st.dataframe(
                scorecard.never_contacted_styled(lost, policy),
                column_config=scorecard.never_contacted_config(policy, by),
                column_order=list(headers),
                hide_index=True,
                height=min(420, 38 + 35 * max(len(lost), 1)),
                key=f"never_{by}",
            )
            st.download_button(
                "Download CSV",
                format.csv_bytes(scorecard.for_download(lost, headers)),
                file_name=f"never_contacted_by_{by}.csv",
                mime="text/csv",
                key=f"dl_never_{by}",
                icon=":material/download:",
            )

    st.subheader(
        "Accountability: breaches and reassignments",
        help=page.help_text("rep_accountability"),
    )
    st.caption(
        "From the CRM's owner history: a breach counts against whoever held the lead when its SLA target "
        "passed, not against its owner now."
    )
    accountable = views.rep_accountability(data.model, filters)
    labels = {name: page.label(name) for name in ("breaches_owned", "reassigned_away", "reassigned_in")}
    format.table(accountable.rename(columns=labels), "rep_accountability.csv", key="dl_accountability")
