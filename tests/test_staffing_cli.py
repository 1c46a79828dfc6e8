"""`handoff staffing`: the contract's JSON, the summary, and the [staffing] policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from handoff.cli import main
from handoff.policy import Policy, policy_from_dict

HOUR_KEYS = {"hour", "arrivals_per_week", "on_duty", "needed_on_duty", "gap", "predicted"}
TOP_KEYS = {"hours", "predicted_compliance", "observed_compliance", "uncovered_share"}


@pytest.fixture(autouse=True)
def _empty_folder(tmp_path, monkeypatch):
    """No handoff.duckdb or handoff.toml: the commands read the bundled sample."""
    monkeypatch.chdir(tmp_path)


def test_json_has_exactly_the_contracts_keys(capsys):
    assert main(["staffing", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == TOP_KEYS
    assert [h["hour"] for h in out["hours"]] == list(range(168))
    for hour in out["hours"]:
        assert set(hour) == HOUR_KEYS
        assert isinstance(hour["on_duty"], int) and isinstance(hour["needed_on_duty"], int)
        assert hour["gap"] == hour["needed_on_duty"] - hour["on_duty"]
        assert 0 <= hour["predicted"] <= 1 and hour["arrivals_per_week"] >= 0
    for key in ("predicted_compliance", "observed_compliance", "uncovered_share"):
        assert 0 <= out[key] <= 1


def test_tier_and_as_of_reach_the_model(capsys):
    assert main(["staffing", "--json", "--tier", "medium", "--as-of", "2026-10-01T12:00:00Z"]) == 0
    medium = json.loads(capsys.readouterr().out)
    assert main(["staffing", "--json", "--tier", "high", "--as-of", "2026-10-01T12:00:00Z"]) == 0
    high = json.loads(capsys.readouterr().out)
    assert medium != high


def test_summary_speaks_in_words(capsys):
    assert main(["staffing"]) == 0
    out = capsys.readouterr().out
    assert "of high-intent MQLs arrive when no SDR is working" in out
    assert "predicted compliance" in out and "observed" in out and "hours short" in out
    assert "as if" in out  # the calibrated availability


def test_an_unknown_tier_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["staffing", "--tier", "urgent"])
    assert exit_.value.code == 2


def test_policy_sets_the_staffing_numbers(capsys):
    Path("handoff.toml").write_text("[staffing]\nweeks = 4\navailability = 1.0\ntier = \"medium\"\n")
    assert main(["staffing", "--json"]) == 0
    with_policy = json.loads(capsys.readouterr().out)
    Path("handoff.toml").unlink()
    assert main(["staffing", "--json", "--tier", "medium"]) == 0
    default = json.loads(capsys.readouterr().out)
    assert with_policy["hours"] != default["hours"]


# -- the [staffing] policy --------------------------------------------------------------------------
def test_staffing_defaults_match_the_design():
    s = Policy().staffing
    assert (s.weeks, s.minutes_per_first_touch, s.service_level, s.availability, s.cost_per_rep_month, s.tier) == (
        8, 10, 0.80, 0.5, 6000, "high")


@pytest.mark.parametrize("setting,value,message", [
    ("weeks", 0, "staffing.weeks: Input should be greater than or equal to 1"),
    ("weeks", 105, "staffing.weeks: Input should be less than or equal to 104"),
    ("weeks", 8.0, "staffing.weeks: must be a whole number"),
    ("minutes_per_first_touch", 0, "staffing.minutes_per_first_touch: Input should be greater than 0"),
    ("minutes_per_first_touch", True, "staffing.minutes_per_first_touch: must be a number"),
    ("service_level", 1, "staffing.service_level: Input should be less than 1"),
    ("service_level", float("nan"), "staffing.service_level: must be a finite number"),
    ("availability", 0, "staffing.availability: Input should be greater than 0"),
    ("availability", 1.5, "staffing.availability: Input should be less than or equal to 1"),
    ("cost_per_rep_month", -1, "staffing.cost_per_rep_month: Input should be greater than or equal to 0"),
    ("cost_per_rep_month", 1e300, "staffing.cost_per_rep_month: Input should be less than or equal to"),
    ("cost_per_rep_month", "6000", "staffing.cost_per_rep_month: must be a number"),
    ("tier", "urgent", "staffing.tier: unknown tier 'urgent'"),
    ("shifts", 3, "staffing.shifts: unknown setting 'shifts'"),
])
def test_bad_staffing_settings_are_refused_by_name(setting, value, message):
    with pytest.raises(ValueError) as err:
        policy_from_dict({"staffing": {setting: value}})
    assert message in str(err.value)


def test_staffing_tier_is_read_in_any_case():
    assert policy_from_dict({"staffing": {"tier": " Medium "}}).staffing.tier == "medium"


def test_the_docs_name_every_staffing_setting():
    text = (Path(__file__).resolve().parents[1] / "docs" / "staffing.md").read_text(encoding="utf-8")
    missing = [name for name in Policy().staffing.model_dump() if f"{name} =" not in text]
    assert missing == []
