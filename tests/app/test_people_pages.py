"""AppTest of pages 1-5 as a sales manager reads them: the scorecard's people and numbers are
the model's after a filter change, a click on a rep opens that rep's leads, and every view
choice (week, breakdowns, the selected rep, the backlog toggle) survives a copied link."""

from __future__ import annotations

from conftest import APP
from streamlit.testing.v1 import AppTest

from handoff.model import Filters, views
from handoff.model.dimensions import UNASSIGNED
from handoff.ui import format, scorecard, state

REP_PAGE = "pages/3_rep_response.py"


def opened(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    for key, value in params.items():  # a page switch starts from the link's parameters
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def table(at: AppTest, key: str):
    """A keyed table (one that has a selection), else the first whose columns hold `key`s words:
    `routing` (who, no sparkline selection) or `never_source` (source and spend)."""
    keyed = [d for d in at.dataframe if d.key == key]
    if keyed:
        return keyed[0]
    if key == "never_source":
        return next(d for d in at.dataframe if {"source", "never_contacted_spend"} <= set(d.value.columns))
    routing = [d for d in at.dataframe if "sla_weekly" in d.value.columns and d.key != scorecard.SELECTION_KEY]
    return routing[0]


def model():
    return state.current().model


def test_the_scorecard_lists_people_only_with_the_models_numbers_after_a_filter_change():
    at = opened(REP_PAGE)
    at.sidebar.multiselect(key="f_tier").set_value(["high"]).run()
    assert not at.exception
    shown = table(at, scorecard.SELECTION_KEY).value
    card = views.rep_scorecard(model(), Filters(tiers=("high",)))
    people = card[card["person"]]
    assert list(shown["who"]) == list(people["owner_name"])
    assert list(shown["sla_compliance"]) == list(people["sla_compliance"])
    assert list(shown["handoffs"]) == list(people["handoffs"])
    assert not any(w.startswith("00G") or w == UNASSIGNED for w in shown["who"])
    routing = table(at, scorecard.ROUTING_KEY).value
    assert set(routing["who"]) == set(card.loc[~card["person"], "owner_id"])
    assert any(w.startswith("00G") for w in routing["who"]) and UNASSIGNED in set(routing["who"])


def test_a_click_on_a_rep_opens_their_leads_and_puts_them_in_the_url():
    at = opened(REP_PAGE)
    assert not any("'s leads" in h.value for h in at.subheader)
    people = table(at, scorecard.SELECTION_KEY).value
    at.session_state[scorecard.SELECTION_KEY] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    card = views.rep_scorecard(model(), Filters())
    rep = card[card["person"]].iloc[2]
    assert people["who"].iloc[2] == rep["owner_name"]
    assert any(h.value == f"{rep['owner_name']}'s leads" for h in at.subheader)
    leads = views.rep_leads(model(), Filters(), owner_id=rep["owner_id"])
    assert any(c.value.startswith(f"{format.count(len(leads))} MQLs handed off to") for c in at.caption)
    assert at.query_params[scorecard.URL_KEY] in (rep["owner_id"], [rep["owner_id"]])


def test_a_link_with_a_rep_opens_their_leads():
    card = views.rep_scorecard(model(), Filters())
    rep = card[card["person"]].iloc[-1]
    at = opened(REP_PAGE, leads_of=rep["owner_id"])
    assert any(h.value == f"{rep['owner_name']}'s leads" for h in at.subheader)
    at = opened(REP_PAGE, leads_of="00G-NOT-A-PERSON")  # a queue or unknown id opens nothing
    assert not any("'s leads" in h.value for h in at.subheader)


def test_never_contacted_spend_is_the_models():
    at = opened(REP_PAGE)
    shown = table(at, "never_source").value
    expected = views.never_contacted(model(), Filters(), by="source")
    currency = state.policy().currency  # shown as text in the currency: $229,950
    spend = expected["never_contacted_spend"]
    assert list(shown["never_contacted_spend"]) == [format.money(v, currency) for v in spend]
    assert list(expected["never_contacted_spend"]) == [
        n * state.policy().cost_per_lead for n in expected["never_contacted"]
    ]


def test_the_week_of_this_week_round_trips_through_the_url():
    weeks = views.weeks(model(), Filters())
    older = weeks[3]
    year, number, _ = older.isocalendar()
    at = opened("pages/1_this_week.py", week=f"{year}-W{number:02d}")
    assert at.selectbox(key="url_week").value == older
    at.selectbox(key="url_week").set_value(weeks[1]).run()
    year, number, _ = weeks[1].isocalendar()
    assert at.query_params["week"] in (f"{year}-W{number:02d}", [f"{year}-W{number:02d}"])
    at.selectbox(key="url_week").set_value(weeks[0]).run()  # the default week needs no key
    assert "week" not in at.query_params


def test_breakdowns_round_trip_through_the_url():
    at = opened("pages/2_sla_compliance.py", sla_by="team")
    assert at.segmented_control(key="url_sla_by").value == "team"
    at.segmented_control(key="url_sla_by").set_value("source").run()
    assert at.query_params["sla_by"] in ("source", ["source"])

    at = opened("pages/5_handoff_to_meeting.py", mtg_by="rep", all_weeks="1")
    assert at.segmented_control(key="url_mtg_by").value == "rep"
    assert at.toggle(key="url_all_weeks").value is False


def test_the_backlog_is_recent_by_default_and_all_with_the_toggle_in_the_url():
    at = opened("pages/4_dispositions.py")
    recent = views.recent_undispositioned(model(), Filters())
    total = int(views.overall(model(), Filters())["undispositioned"])
    assert len(recent) < total
    showing = f"Showing {format.count(len(recent))} of {format.count(total)} leads"
    assert any(c.value.startswith(showing) for c in at.caption)
    at.toggle(key="url_backlog").set_value(True).run()
    assert at.query_params["backlog"] in ("all", ["all"])
    at = opened("pages/4_dispositions.py", backlog="all")
    assert at.toggle(key="url_backlog").value is True
    assert any(c.value.startswith(f"All {format.count(total)} leads") for c in at.caption)


def test_a_narrower_date_range_drops_a_week_no_longer_offered():
    weeks = views.weeks(model(), Filters())
    older = weeks[6]
    year, number, _ = older.isocalendar()
    at = opened("pages/1_this_week.py", week=f"{year}-W{number:02d}")
    assert at.selectbox(key="url_week").value == older
    at.sidebar.date_input(key="f_dates").set_value((weeks[1], weeks[0])).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="url_week").value == weeks[0]
    assert "week" not in at.query_params
