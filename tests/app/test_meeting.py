"""The This week page and its meeting mode (AppTest, on the bundled sample): young weeks are
shown as booked so far and a projection, never a rate or a band; the meeting mode (?meeting=1)
drops the banner, defaults to the last complete week, shows the agenda's numbers (the same the
pack prints) and keeps its state in the URL."""

from __future__ import annotations

import pytest
from conftest import APP
from streamlit.testing.v1 import AppTest

from handoff.model import Filters, views
from handoff.model import definitions as registry
from handoff.pack import content
from handoff.ui import state


def run(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def model():
    return state.current().model


def metrics(at: AppTest) -> dict:
    return {m.label: m for m in at.metric}


def test_the_newest_week_shows_booked_so_far_and_a_projection_not_a_rate():
    at = run()
    week = at.selectbox[0].value
    assert week == views.weeks(model(), Filters())[0]
    summary = views.this_week(model(), Filters(), week).set_index("metric")
    assert not summary.loc["handoff_to_meeting_rate", "final"], "the sample's newest week is young"
    shown = metrics(at)
    assert registry.label("handoff_to_meeting_rate") not in shown, "no rate for a young week"
    booked = shown["Booked so far (not mature)"]
    assert booked.value == registry.show(summary.loc["booked_so_far", "current"], "share")
    assert booked.proto.delta == f"projected {registry.show(summary.loc['projected', 'current'], 'share')}"
    assert not any("Band" in c.value for c in at.caption), "no band for a young week"
    # pipeline and acceptance of the young week are so far, without a change
    assert shown["Pipeline created"].proto.delta.startswith("so far, final on ")
    assert shown["Acceptance rate"].proto.delta.startswith("so far, final on ")
    assert any("still in progress" in c.value for c in at.caption)


def test_a_mature_week_shows_its_rate_and_band():
    frame = model().metrics("week")
    mature = frame[frame["mature"].astype(bool)].iloc[-1]
    at = run()
    at.selectbox[0].set_value(mature["group"].date()).run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Handoff-to-meeting rate"].value == registry.show(mature["handoff_to_meeting_rate"], "share")
    assert any(f"Band: **{mature['meeting_band']}**" in c.value for c in at.caption)


def test_meeting_mode_drops_the_banner_and_defaults_to_the_last_complete_week():
    at = run(meeting="1")
    assert not any("sample data" in i.value for i in at.info)
    week = views.last_complete_week(model(), Filters())
    assert at.selectbox(key="meeting_week").value == week
    agenda = views.meeting_agenda(model(), Filters(), week)
    expected = content.tiles(agenda, model().policy)
    shown = [m for m in at.metric][:6]
    assert [(m.label, m.value, m.proto.delta) for m in shown] == [(t.label, t.value, t.status_text) for t in expected]
    titles = [s.value for s in at.subheader]
    assert titles[:7] == [
        f"{i}. {title} ({minutes} min)" for i, (_, title, minutes) in enumerate(content.AGENDA) if i > 0
    ]
    assert any(b.label == "Download the pack (HTML)" for b in at.get("download_button"))
    assert at.text_area[0].value in ("", None)  # the empty "one adjustment" box


def test_meeting_mode_follows_the_url_week_and_filters():
    at = run(meeting="1", week="2026-W44", tier="high")
    week = views.parse_week("2026-W44")
    assert at.selectbox(key="meeting_week").value == week
    agenda = views.meeting_agenda(model(), Filters(tiers=("high",)), week)
    expected = content.tiles(agenda, model().policy)
    assert [m.value for m in at.metric][:6] == [t.value for t in expected]
    assert any("Tier: high" in c.value for c in at.caption)


def test_the_toggle_turns_meeting_mode_on_in_the_url():
    at = run()
    at.toggle(key="meeting_toggle").set_value(True).run()
    assert at.query_params["meeting"] in ("1", ["1"])
    at.run()
    assert not any("sample data" in i.value for i in at.info)


@pytest.mark.parametrize("week", ["2026-W99", "soon"])
def test_a_week_the_data_lacks_falls_back_to_the_last_complete_one(week):
    at = run(meeting="1", week=week)
    assert at.selectbox(key="meeting_week").value == views.last_complete_week(model(), Filters())
