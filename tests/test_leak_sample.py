"""Calibration on the bundled sample: conversion falls with response time, end to end."""

from __future__ import annotations

import json

import pytest

from handoff import leak
from handoff.cli import main
from handoff.data import SAMPLE_DIR, open_sample
from handoff.model import calibration_facts


@pytest.fixture(scope="module")
def calibration() -> leak.Calibration:
    return leak.calibrate(calibration_facts(open_sample()))


def test_sample_conversion_falls_with_response_time(calibration):
    rates = calibration.table["rate"]
    assert rates["0-5m"] > rates["30-60m"] > rates["4-24h"] > rates["3d+"]
    assert calibration.best_bucket == "0-5m"
    multipliers = calibration.inputs.conversion_multipliers
    assert multipliers["0-5m"] == 1.0 and multipliers["1-3d"] < 0.25
    # the fast bucket's interval lies wholly above the slow bucket's
    assert calibration.table.loc["0-5m", "rate_low"] > calibration.table.loc["1-3d", "rate_high"]


def test_sample_prefills_volume_and_never_contacted(calibration):
    assert 1000 < calibration.inputs.mqls_per_month < 2500  # ~19k handoffs over ~12 months
    assert 0.25 < calibration.inputs.never_contacted_share < 0.5


def test_calibrate_command_composes_with_inputs(tmp_path, capsys):
    assert main(["leak", "--calibrate", "--data", str(SAMPLE_DIR)]) == 0
    calibrated = json.loads(capsys.readouterr().out)
    assert calibrated["conversion_multipliers"]["0-5m"] == 1.0
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps(calibrated))
    assert main(["leak", "--inputs", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    expected = leak.compute(leak.inputs_from_json(calibrated))
    assert result["annual"]["revenue_gap"] == pytest.approx(expected["annual"]["revenue_gap"])
    m = result["monthly"]
    assert m["conversion_decline"] + m["competitive_displacement"] + m["deal_value_compression"] == pytest.approx(m["revenue_gap"])
