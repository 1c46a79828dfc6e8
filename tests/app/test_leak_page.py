"""AppTest: the revenue-leak page answers first with the model's numbers, in the policy's
currency; shares are typed in percent; edits survive preset switches until Reset; the URL
and the scenario file carry a scenario; a negative dimension is explained in words."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from conftest import APP
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from handoff import leak
from handoff.model import Filters, views
from handoff.policy import Policy
from handoff.ui import format, state
from handoff.ui.leak_inputs import DEFAULT_TARGET_NEVER, DEFAULT_TARGET_SHARES

PAGE = "pages/6_revenue_leak.py"
TARGET = leak.Scenario(never_contacted_share=DEFAULT_TARGET_NEVER, bucket_shares=DEFAULT_TARGET_SHARES)
CPL = Policy().cost_per_lead


def open_page(params: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def rerun(at: AppTest) -> AppTest:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def number(at: AppTest, name: str):
    return at.number_input(key=f"leak_in_{name}")


def waterfall(at: AppTest) -> dict[str, str]:
    """The waterfall's bars and their full amounts (the hover), as drawn."""
    chart = next(c for c in at.get("plotly_chart") if "Revenue leak" in c.proto.spec)
    trace = json.loads(chart.proto.spec)["data"][0]
    return dict(zip(trace["hovertext"], trace["customdata"], strict=True))


def expected_bars(inputs: leak.LeakInputs, period: str = "annual") -> dict[str, str]:
    values = leak.compute(inputs)[period]
    money = {k: format.money(v) for k, v in values.items()}
    return {
        "Conversion decline": money["conversion_decline"],
        "Competitive displacement": money["competitive_displacement"],
        "Deal value compression": money["deal_value_compression"],
        "Revenue gap": money["revenue_gap"],
        "Marketing waste": money["marketing_waste"],
        "Total with waste": format.money(values["revenue_gap"] + values["marketing_waste"]),
    }


def calibrated(filters: Filters | None = None) -> leak.LeakInputs:
    inputs = views.leak_calibration(state.current().model, filters or Filters()).inputs
    return replace(inputs, cost_per_lead=CPL, scenario=TARGET)


def test_the_answer_comes_first_in_the_currency_and_equals_the_model():
    at = open_page()
    inputs = calibrated()
    result = leak.compute(inputs)
    metrics = {m.label: m.value for m in at.metric}
    assert list(metrics)[:4] == [
        "Revenue leak a month",
        "Revenue leak a year",
        "Recovered by the target, a month",
        "Recovered by the target, a year",
    ]
    assert metrics["Revenue leak a month"] == format.money(result["monthly"]["revenue_gap"], compact=True)
    assert metrics["Revenue leak a year"] == format.money(result["annual"]["revenue_gap"], compact=True)
    assert metrics["Recovered by the target, a month"] == format.money(result["recovery"]["revenue_gap"], compact=True)
    assert all(v.startswith(("$", "-$")) for v in metrics.values())
    assert waterfall(at) == expected_bars(inputs)
    assert number(at, "cost_per_lead").value == CPL
    assert number(at, "cost_per_lead").label == "Cost per lead ($)"


def test_typing_40_means_40_percent():
    at = open_page()
    field = number(at, "never_contacted_share")
    assert field.label == "Never-contacted share (%)"
    field.set_value(40.0)
    rerun(at)
    assert number(at, "never_contacted_share").value == 40.0
    assert waterfall(at) == expected_bars(replace(calibrated(), never_contacted_share=0.40))
    assert at.query_params["leak_never_contacted_share"] == "40"


def test_edits_survive_preset_switches_until_reset():
    at = open_page()
    number(at, "mqls_per_month").set_value(800.0)
    rerun(at)
    at.radio(key="leak_start").set_value("gentle")
    rerun(at)
    gentle = replace(leak.default_inputs("gentle"), mqls_per_month=800.0, cost_per_lead=CPL, scenario=TARGET)
    assert number(at, "mqls_per_month").value == 800.0
    assert waterfall(at) == expected_bars(gentle)

    at.radio(key="leak_start").set_value("calibrated")
    rerun(at)
    assert number(at, "mqls_per_month").value == 800.0
    assert waterfall(at) == expected_bars(replace(calibrated(), mqls_per_month=800.0))

    next(b for b in at.button if b.label == "Reset to the starting point").click()
    rerun(at)
    assert number(at, "mqls_per_month").value == pytest.approx(calibrated().mqls_per_month)
    assert waterfall(at) == expected_bars(calibrated())
    assert "leak_mqls_per_month" not in at.query_params


def test_a_link_opens_the_same_scenario():
    params = {
        "leak_start": "steep",
        "leak_period": "monthly",
        "leak_mqls_per_month": "800",
        "leak_never_contacted_share": "40",
        "leak_conversion_multipliers": "1-4h:0.5,3d+:0.01",
    }
    at = open_page(params)
    assert at.radio(key="leak_start").value == "steep"
    assert number(at, "mqls_per_month").value == 800.0
    assert number(at, "never_contacted_share").value == 40.0
    steep = leak.default_inputs("steep")
    multipliers = {**steep.conversion_multipliers, "1-4h": 0.5, "3d+": 0.01}
    expected = replace(
        steep,
        mqls_per_month=800.0,
        never_contacted_share=0.40,
        cost_per_lead=CPL,
        conversion_multipliers=multipliers,
        scenario=TARGET,
    )
    assert waterfall(at) == expected_bars(expected, "monthly")

    # An edit lands in the URL, and that URL opens the edited scenario in a new session.
    number(at, "cost_per_lead").set_value(500.0)
    rerun(at)
    link = {k: v for k, v in at.query_params.items() if k.startswith("leak_")}
    assert link == {**params, "leak_cost_per_lead": "500"}
    again = open_page(link)
    assert waterfall(again) == expected_bars(replace(expected, cost_per_lead=500.0), "monthly")


def test_a_link_with_a_bad_value_says_so_and_keeps_the_rest():
    at = open_page({"leak_mqls_per_month": "lots", "leak_cost_per_lead": "500"})
    assert any("left out" in w.value and "lots" in w.value for w in at.warning)
    assert number(at, "cost_per_lead").value == 500.0


@pytest.fixture
def downloads(monkeypatch):
    """The files the page offers for download, by file name."""
    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def capture(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes):
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", capture)
    return files


def test_a_downloaded_scenario_loads_back(downloads):
    at = open_page({"leak_start": "gentle"})
    number(at, "mqls_per_month").set_value(1234.0)
    number(at, "win_rate").set_value(12.5)
    rerun(at)
    scenario = downloads["revenue_leak.json"]
    saved = json.loads(scenario)
    inputs = leak.inputs_from_json(saved["inputs"])
    assert inputs.mqls_per_month == 1234.0 and inputs.win_rate == 0.125
    assert saved["results"]["annual"] == pytest.approx(leak.compute(inputs)["annual"])
    shown = waterfall(at)

    fresh = open_page()  # another session, calibrated: a different scenario
    assert waterfall(fresh) != shown
    fresh.file_uploader(key="leak_upload").set_value(("revenue_leak.json", scenario, "application/json"))
    rerun(fresh)
    assert any("Loaded" in s.value for s in fresh.success)
    assert waterfall(fresh) == shown == expected_bars(inputs)
    assert number(fresh, "mqls_per_month").value == 1234.0
    assert number(fresh, "win_rate").value == 12.5


@pytest.mark.parametrize(
    "content, reason",
    [
        (b"not json", "not JSON"),
        (json.dumps({"inputs": {"mqls_per_month": 10}}).encode(), "missing field"),
        (
            json.dumps({**leak.inputs_to_json(leak.default_inputs()), "never_contacted_share": 4.0}).encode(),
            "never_contacted_share must be between 0 and 1",
        ),
    ],
)
def test_a_bad_scenario_file_is_refused_with_its_reason(content, reason):
    at = open_page()
    before = waterfall(at)
    at.file_uploader(key="leak_upload").set_value(("scenario.json", content, "application/json"))
    rerun(at)
    errors = [e.value for e in at.error]
    assert any("could not be loaded" in e and reason in e for e in errors), errors
    assert waterfall(at) == before


def test_a_negative_dimension_is_explained():
    """The sample's Content download leads, calibrated on SQLs: slower buckets won more often
    on few deals."""
    inputs = calibrated(Filters(sources=("Content download",)))
    assert leak.compute(inputs)["monthly"]["competitive_displacement"] < 0
    at = open_page({"source": "Content download"})
    assert waterfall(at) == expected_bars(inputs)
    notes = [i.value for i in at.info if "is negative" in i.value]
    assert len(notes) == 1, [i.value for i in at.info]
    assert notes[0].startswith("Competitive displacement is negative")
    assert "won more often" in notes[0] and "thin data" in notes[0]

    at.radio(key="leak_start").set_value("steep")  # no bucket does better than the best there
    rerun(at)
    assert not [i.value for i in at.info if "is negative" in i.value]


def test_the_calibration_table_has_headers_for_people():
    at = open_page()
    configs = [json.loads(d.proto.columns) for d in at.dataframe if d.proto.columns]
    table = next(c for c in configs if "rate_low" in c)
    headers = {name: column.get("label") for name, column in table.items()}
    assert headers["rate_low"] == "Conversion, 95% low"
    assert headers["avg_amount"] == "Average won amount"
    assert headers["win_multiplier"] == "Win rate \u00d7 best bucket"
    assert table["avg_amount"]["type_config"]["format"] == "dollar"


@pytest.fixture
def euro_policy(tmp_path, monkeypatch):
    """The app on the sample with a handoff.toml in euros and a 500 cost per lead."""
    monkeypatch.delenv("HANDOFF_DB", raising=False)
    (tmp_path / "handoff.toml").write_text('currency = "EUR"\ncost_per_lead = 500\n')
    monkeypatch.chdir(tmp_path)
    caches = (state.policy, state._load, state._answer, state._options)
    for cache in caches:
        cache.clear()
    yield
    for cache in caches:
        cache.clear()


def test_money_is_in_the_policys_currency(euro_policy):
    at = open_page({"leak_start": "steep"})
    inputs = replace(leak.default_inputs("steep"), cost_per_lead=500.0, scenario=TARGET)
    result = leak.compute(inputs)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Revenue leak a month"] == format.money(result["monthly"]["revenue_gap"], "EUR", compact=True)
    assert all(v.startswith(("\u20ac", "-\u20ac")) for v in metrics.values()), metrics
    assert number(at, "cost_per_lead").value == 500.0  # seeded from the policy
    assert number(at, "cost_per_lead").label == "Cost per lead (\u20ac)"
    chart = json.loads(next(c for c in at.get("plotly_chart") if "Revenue leak" in c.proto.spec).proto.spec)
    assert chart["layout"]["yaxis"]["title"]["text"] == "EUR a year"
    assert all(t.startswith("\u20ac") for t in chart["layout"]["yaxis"]["ticktext"])
    assumptions = at.text[0].value
    assert "\u20ac500 a lead" in assumptions and "$" not in assumptions
    assert not any("$" in c.value for c in at.caption)
