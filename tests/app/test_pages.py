"""AppTest: every page opens without an exception; a filter change shows the model's numbers."""

from __future__ import annotations

import json

import pytest
from conftest import APP, PAGES
from streamlit.testing.v1 import AppTest

from handoff.model import Filters, views
from handoff.ui import page as page_helpers
from handoff.ui import state


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


@pytest.fixture
def changed_policy(tmp_path, monkeypatch):
    """The app on the sample with a handoff.toml that changes the values pages write in words."""
    (tmp_path / "handoff.toml").write_text(
        'currency = "EUR"\nmeeting_window_days = 7\ndisposition_sla_hours = 24\nacceptance_target = 0.6\n'
    )
    monkeypatch.chdir(tmp_path)
    caches = (state.policy, state._load, state._answer, state._options)
    for cache in caches:
        cache.clear()
    yield state.policy()
    for cache in caches:
        cache.clear()


def page_text(at: AppTest) -> str:
    parts = [c.value for c in at.caption] + [m.value for m in at.markdown] + [i.value for i in at.info]
    return "\n".join(str(p) for p in parts)


def test_pages_write_the_policys_values_not_the_defaults(changed_policy):
    assert changed_policy.meeting_window_days == 7 and changed_policy.currency == "EUR"
    at = open_app()
    shown = metrics(at)
    assert shown["Pipeline created"].startswith("\u20ac"), shown  # the policy's currency, compact
    assert not any(v == "n/a" for v in shown.values()), shown

    at.switch_page("pages/5_handoff_to_meeting.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    assert "within 7 business days" in text and "10 business days" not in text
    legends = [trace.get("name") for chart in at.get("plotly_chart") for trace in json.loads(chart.proto.spec)["data"]]
    assert "Meeting in 7 business days" in legends, legends

    at.switch_page("pages/4_dispositions.py")
    at.run()
    assert not at.exception
    assert "Target 60%" in page_text(at)

    at.switch_page("pages/3_rep_response.py")
    at.run()
    assert not at.exception
    frames = [json.dumps(d.proto.columns) for d in at.dataframe]
    assert any("Answered in 24 h" in f for f in frames), frames[:1]
    assert any("\u20ac" in e.proto.help for e in at.subheader), "the cost per lead in the policy's currency"


def test_a_long_table_says_how_many_rows_it_shows():
    at = open_app()
    at.switch_page("pages/4_dispositions.py")
    at.run()
    at.toggle(key=at.toggle[0].key).set_value(True)
    at.run()
    assert not at.exception
    late = views.recent_undispositioned(model(), Filters(), weeks=None)
    assert len(late) > 5000  # the sample's whole backlog is longer than a table shows
    assert f"Showing 5,000 of {len(late):,} rows (download the CSV for all)." in page_text(at)
    assert not any("Showing the first" in c.value for c in at.caption)


@pytest.mark.parametrize(
    ("value", "unit", "shown", "change"),
    [
        (410300, "money", "$410.3K", "+$410.3K"),
        (-1250, "money", "-$1.2K", "-$1.2K"),
        (0.598, "share", "59.8%", "+59.8 pp"),
        (42, "business minutes", "42 business min", "+42 business min"),
        (-90, "minutes", "-1.5 wall-clock h", "-1.5 wall-clock h"),
        (1234, "count", "1,234", "+1,234"),
        (None, "money", "\u2014", None),
        (float("nan"), "share", "\u2014", None),
    ],
)
def test_headlines_read_in_the_formatting_layers_words(value, unit, shown, change):
    assert page_helpers.show(value, unit) == shown
    assert page_helpers.show_change(value, unit) == change
