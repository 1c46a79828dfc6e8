"""AppTest: the revenue-leak page answers an input change with the model's numbers."""

from __future__ import annotations

from dataclasses import replace

from streamlit.testing.v1 import AppTest

from handoff import leak
from handoff.model import Filters, views
from handoff.ui import state

from conftest import APP

PAGE = "pages/6_revenue_leak.py"


def test_changing_inputs_changes_the_totals_to_the_models_values():
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, at.exception
    before = {m.label: m.value for m in at.metric}

    at.number_input(key="leak_calibrated_cost_per_lead").set_value(500.0)
    at.number_input(key="leak_calibrated_never_contacted_share").set_value(0.2)
    at.run()
    assert not at.exception, at.exception
    after = {m.label: m.value for m in at.metric}
    assert after["Marketing waste"] != before["Marketing waste"]
    assert after["Revenue gap"] != before["Revenue gap"]

    calibrated = views.leak_calibration(state.current().model, Filters()).inputs
    expected = leak.compute(replace(calibrated, cost_per_lead=500.0, never_contacted_share=0.2))["annual"]
    assert after["Marketing waste"] == f"{expected['marketing_waste']:,.0f}"
    assert after["Revenue gap"] == f"{expected['revenue_gap']:,.0f}"
