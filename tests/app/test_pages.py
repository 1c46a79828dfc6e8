"""AppTest: every page opens without an exception; a filter change shows the model's numbers."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from handoff.model import Filters, views
from handoff.ui import page as page_helpers
from handoff.ui import state

from conftest import APP, PAGES


def open_app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception, at.exception
    return at


def model():
    return state.current().model


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens(page):
    at = open_app()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert at.title, f"{page} shows no title"


def test_sample_banner_is_shown():
    at = open_app()
    assert any("sample data" in i.value for i in at.info)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_tier_filter_changes_this_week_to_the_models_numbers():
    at = open_app()
    before = metrics(at)
    at.sidebar.multiselect(key="f_tier").set_value(["high"])
    at.run()
    assert not at.exception
    after = metrics(at)
    assert after != before
    week = at.selectbox[0].value
    summary = views.this_week(model(), Filters(tiers=("high",)), week).set_index("metric")
    for name in ("handoffs", "contacted_share", "sla_compliance", "acceptance_rate"):
        row = summary.loc[name]
        assert after[row["label"]] == page_helpers.show(row["current"], row["unit"])
    assert at.query_params["tier"] in ("high", ["high"])


def test_sla_page_follows_the_source_filter():
    at = open_app()
    at.switch_page("pages/2_sla_compliance.py")
    at.run()
    source = "Demo request"
    at.sidebar.multiselect(key="f_source").set_value([source])
    at.run()
    assert not at.exception
    expected = views.overall(model(), Filters(sources=(source,)))
    assert metrics(at)["SLA compliance"] == page_helpers.show(expected["sla_compliance"], "share")


def test_filters_come_from_the_url():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["team"] = ["SDR West"]
    at.query_params["segment"] = ["not a segment"]
    at.run()
    assert not at.exception
    assert at.sidebar.multiselect(key="f_team").value == ["SDR West"]
    assert at.sidebar.multiselect(key="f_segment").value == []


def test_an_empty_selection_shows_a_message_not_an_error():
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["team"] = ["SDR West"]
    at.query_params["rep"] = ["R01"]  # R01 is on another team
    at.run()
    assert not at.exception and not at.error
    assert any("No handoffs match" in i.value for i in at.info)
