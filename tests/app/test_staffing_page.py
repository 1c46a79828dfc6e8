"""AppTest: the Coverage and staffing page shows the model's numbers, and its what-if (kept
in the URL) changes them to what the model says."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from handoff.model import staffing as model_staffing
from handoff.ui import format
from handoff.ui import staffing as ui
from handoff.ui import state

from conftest import APP

PAGE = "pages/8_coverage_staffing.py"
KOLKATA = "+2@Asia/Kolkata@09:00-17:00"


def open_page(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    return at


def metrics(at: AppTest) -> list[tuple[str, str, str]]:
    return [(m.label, m.value, m.delta) for m in at.metric]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def plan(tier: str = "high") -> model_staffing.Plan:
    data = state.current()
    return model_staffing.plan(data.model, tier)


def expected_what_if(p: model_staffing.Plan, texts: list[str], availability: float | None = None):
    data = state.current()
    inputs, _ = model_staffing.leak_inputs(data.model, p.tier)
    return model_staffing.what_if(p, model_staffing.parse_changes(texts), availability, inputs)


def test_the_page_renders_the_models_numbers_on_the_sample():
    at = open_page()
    p = plan()
    assert at.title[0].value == "Coverage and staffing"
    assert at.subheader[0].value == model_staffing.uncovered_words(p)
    assert "of high-intent MQLs arrive when no SDR is working" in at.subheader[0].value
    assert metric(at, "Predicted by the staffing model") == ui.show(p.predicted_compliance, "share")
    assert metric(at, "Observed in the same weeks") == ui.show(p.observed_compliance, "share")
    assert metric(at, "SDR-hours short a week") == ui.show(p.hours_short, "count")
    assert any(i.value == model_staffing.calibration_words(p) for i in at.info)
    assert "as if" in model_staffing.calibration_words(p)
    slider = at.slider(key="staff_avail_high")
    assert slider.value == pytest.approx(round(100 * p.starting_availability, 1))  # in percent
    assert slider.label.endswith("(%)")
    assert len(at.get("plotly_chart")) == 3
    # numbers for people: rates with one decimal and a percent sign, counts with separators
    assert re.fullmatch(r"\d{1,3}\.\d%", metric(at, "Observed in the same weeks"))
    assert re.fullmatch(r"[\d,]+", metric(at, "SDR-hours short a week"))
    assert "staff_avail" not in at.query_params  # the calibrated value is not a what-if


def test_a_what_if_in_the_url_shows_the_models_numbers():
    at = open_page(staff_change=[KOLKATA])
    p = plan()
    w = expected_what_if(p, [KOLKATA])
    shown = {label: (value, delta) for label, value, delta in metrics(at)}
    for row in w.comparison().itertuples(index=False):
        value, delta = shown[ui.LABELS[row.name]]
        assert value == ui.show(row.then, row.unit)
        assert (delta or None) == ui.show_change(row.change, row.unit)
    assert shown["Revenue recovered a month"][0] == ui.money(w.payback.monthly_recovery, w.currency)
    assert shown["Cost of the SDRs a month"][0] == ui.money(2 * p.cost_per_rep_month, w.currency)
    assert shown["Cost of the SDRs a month"][0] == format.money(2 * p.cost_per_rep_month, compact=True)
    assert re.fullmatch(r"-?\$[\d.,]+[KMB]?", shown["Revenue recovered a month"][0])
    for label, (value, delta) in shown.items():
        assert "USD" not in value, label
        assert not delta or delta.endswith(" pp") or re.fullmatch(r"[+-][\d,]+", delta), (label, delta)
    assert any(s.value == w.payback_words() for s in [*at.success, *at.warning])
    assert shown["SDRs on the roster"] == (ui.show(w.sdrs_now + 2, "count"), "+2")


def test_the_form_adds_a_change_to_the_url_and_the_numbers_follow():
    at = open_page()
    before = metrics(at)
    at.selectbox(key="staff_action").set_value("Add")
    at.number_input(key="staff_reps").set_value(3)
    at.selectbox(key="staff_zone").set_value("Pacific/Auckland")
    at.button(key="FormSubmitter:staff_change_form-Apply to the what-if").click()
    at.run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    change = "+3@Pacific/Auckland@09:00-17:00"
    assert at.query_params["staff_change"] in (change, [change])
    after = metrics(at)
    assert after != before
    w = expected_what_if(plan(), [change])
    assert metric(at, "Touched in time (predicted)") == ui.show(w.predicted_then, "share")
    assert metric(at, "Revenue recovered a month") == ui.money(w.payback.monthly_recovery, w.currency)


def test_availability_and_a_move_in_the_url():
    moves = ["-2@America/New_York@09:00-17:00", "+2@America/New_York@12:00-20:00"]
    at = open_page(staff_change=moves, staff_avail="0.5")
    assert at.slider(key="staff_avail_high").value == 50.0  # 0.5 in the URL reads as 50%
    w = expected_what_if(plan(), moves, 0.5)
    assert metric(at, "Touched in time (predicted)") == ui.show(w.predicted_then, "share")
    assert metric(at, "Cost of the SDRs a month") == ui.money(0, w.currency)
    assert metric(at, "SDRs on the roster") == ui.show(w.sdrs_now, "count")


def test_bad_changes_warn_and_never_break_the_page():
    at = open_page(staff_change=["+2@Mars/Base@09:00-17:00", "<script>"])
    assert sum("Ignored" in w.value for w in at.warning) == 2
    at.selectbox(key="staff_action").set_value("Remove")
    at.number_input(key="staff_reps").set_value(50)
    at.selectbox(key="staff_zone").set_value("America/New_York")
    at.button(key="FormSubmitter:staff_change_form-Apply to the what-if").click()
    at.run()
    assert not at.exception
    assert any("cannot remove 50 SDR(s)" in e.value for e in at.error)


def test_another_tier_from_the_url():
    at = open_page(staff_tier="medium")
    assert "medium-intent MQLs" in at.subheader[0].value
    assert metric(at, "Observed in the same weeks") == ui.show(plan("medium").observed_compliance, "share")


def test_heatmaps_escape_the_text_they_draw():
    """Hour labels, statuses, the timezone and the tier's words reach Plotly escaped."""
    import json

    import numpy as np

    from handoff.staffing import Settings, hour_plan
    from handoff.ui import staffing_charts

    link = '<a href="https://x">CLICKME</a>'
    hours = model_staffing.heat(hour_plan(np.full(168, 2.0), np.arange(168) % 4,
                                          Settings(10, 5, 0.8, 0.5)))
    hours["label"] = link
    for fig in (staffing_charts.arrivals(hours, link, link), staffing_charts.gap(hours, link, link)):
        text = json.dumps(fig.to_plotly_json(), default=str)
        assert "<a href" not in text and "&lt;a href=&quot;https://x&quot;&gt;" in text
