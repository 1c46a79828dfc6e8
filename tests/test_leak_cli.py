"""`handoff leak` without data: inputs from defaults, a file, a preset and flags."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from handoff import leak
from handoff.cli import main


def run_json(capsys, *argv: str) -> dict:
    assert main(["leak", "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def assert_same(out: dict, expected: dict) -> None:
    assert out.keys() == expected.keys()
    for section, values in expected.items():
        assert out[section] == pytest.approx(values, rel=1e-12), section


def write(tmp_path, data: dict) -> str:
    path = tmp_path / "inputs.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


DESIGN_EXAMPLE = {
    "mqls_per_month": 500, "cost_per_lead": 350, "never_contacted_share": 0.40,
    "bucket_shares": {"0-5m": 0.1, "5-30m": 0.1, "30-60m": 0.1, "1-4h": 0.2, "4-24h": 0.2, "1-3d": 0.2, "3d+": 0.1},
    "best_conversion": 0.30, "conversion_multipliers": {"0-5m": 1.0, "5-30m": 0.5},
    "win_rate": 0.25, "win_multipliers": {}, "contract_value": 25000, "value_multipliers": {},
    "scenario": {"never_contacted_share": 0.05, "bucket_shares": {"0-5m": 1.0}},
}


def test_defaults_as_json(capsys):
    out = run_json(capsys)
    assert_same(out, leak.compute(leak.default_inputs()))
    assert set(out) == {"monthly", "annual"}
    assert set(out["monthly"]) == set(leak.KEYS)


def test_inputs_file(tmp_path, capsys):
    out = run_json(capsys, "--inputs", write(tmp_path, DESIGN_EXAMPLE))
    assert_same(out, leak.compute(leak.inputs_from_json(DESIGN_EXAMPLE)))
    # 500 x 40% x $350 = $70,000 a month, $840,000 a year; the scenario (5%) saves 500 x 35% x 350.
    assert out["monthly"]["marketing_waste"] == pytest.approx(70_000)
    assert out["annual"]["marketing_waste"] == pytest.approx(840_000)
    assert out["recovery"]["marketing_waste"] == pytest.approx(61_250)


def test_flags_override_the_file(tmp_path, capsys):
    out = run_json(capsys, "--inputs", write(tmp_path, DESIGN_EXAMPLE), "--never-contacted-share", "0.2",
                   "--cost-per-lead", "100", "--mqls-per-month", "1000")
    assert out["monthly"]["marketing_waste"] == pytest.approx(1000 * 0.2 * 100)


def test_scalar_flags_and_preset(capsys):
    out = run_json(capsys, "--preset", "none", "--best-conversion", "0.2", "--win-rate", "0.5",
                   "--contract-value", "1000", "--never-contacted-share", "0.5", "--mqls-per-month", "100")
    # No speed effect: only never-contacted leads leak: 100 x 0.5 x 0.2 x 0.5 x 1000 = 5,000.
    assert out["monthly"]["conversion_decline"] == pytest.approx(5000)
    assert out["monthly"]["competitive_displacement"] == pytest.approx(0)
    assert out["monthly"]["revenue_gap"] == pytest.approx(5000)


def test_readable_table(tmp_path, capsys):
    assert main(["leak", "--inputs", write(tmp_path, DESIGN_EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Marketing waste" in out and "840,000" in out and "Recovery" in out
    assert "Revenue gap" in out


def test_bad_file_is_a_clear_error(tmp_path, capsys):
    bad = {**DESIGN_EXAMPLE, "bucket_shares": {"0-5m": 0.5}}
    assert main(["leak", "--inputs", write(tmp_path, bad)]) == 2
    err = capsys.readouterr().err
    assert "bucket_shares: shares of contacted leads must sum to 1" in err


def test_unknown_bucket_in_file(tmp_path, capsys):
    bad = {**DESIGN_EXAMPLE, "win_multipliers": {"5-10m": 0.9}}
    assert main(["leak", "--inputs", write(tmp_path, bad)]) == 2
    assert "unknown speed bucket '5-10m'" in capsys.readouterr().err


def test_flag_out_of_range(capsys):
    assert main(["leak", "--never-contacted-share", "1.5"]) == 2
    assert "never_contacted_share must be between 0 and 1" in capsys.readouterr().err


def test_missing_file(tmp_path, capsys):
    assert main(["leak", "--inputs", str(tmp_path / "nope.json")]) == 2


def test_not_json(tmp_path, capsys):
    path = tmp_path / "inputs.json"
    path.write_text("{mqls: 5", encoding="utf-8")
    assert main(["leak", "--inputs", str(path)]) == 2
    assert "not valid JSON" in capsys.readouterr().err


def test_calibrated_inputs_feed_back(tmp_path, capsys):
    """What `--calibrate` prints (inputs_to_json of a calibration) is a valid --inputs file."""
    rng = np.random.default_rng(0)
    buckets = rng.choice([*leak.BUCKETS, "never"], size=400)
    is_sql = rng.random(400) < 0.3
    is_won = is_sql & (rng.random(400) < 0.3)
    facts = pd.DataFrame({
        "speed_bucket": buckets,
        "mql_at": pd.date_range("2025-01-01", periods=400, freq="6h", tz="UTC"),
        "is_sql": is_sql, "meeting_in_window": pd.array([None] * 400, dtype="boolean"),
        "is_won": is_won, "won_amount": np.where(is_won, rng.uniform(1000, 9000, 400), np.nan),
    })
    calibrated = leak.calibrate(facts).inputs
    out = run_json(capsys, "--inputs", write(tmp_path, leak.inputs_to_json(calibrated)))
    assert_same(out, leak.compute(calibrated))
