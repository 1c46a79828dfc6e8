"""The revenue-leak model: hand-worked examples, exact decomposition, calibration, validation."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handoff import leak
from handoff.leak import BUCKETS, LeakInputs, compute
from handoff.stats import bootstrap_mean_interval, wilson_interval

Z = 1.959963984540054


def inputs(**changes) -> LeakInputs:
    base = dict(
        mqls_per_month=500, cost_per_lead=350, never_contacted_share=0.4,
        bucket_shares={"0-5m": 1.0}, best_conversion=0.3, win_rate=0.25, contract_value=25000,
    )
    return LeakInputs(**{**base, **changes})


# ---------------------------------------------------------------------------------------
# Hand-worked examples


def test_marketing_waste_of_never_contacted_leads():
    # 500 MQLs x 40% never contacted = 200 leads; 200 x $350 = $70,000 a month; x 12 = $840,000.
    result = compute(inputs())
    assert result["monthly"]["marketing_waste"] == pytest.approx(70_000)
    assert result["annual"]["marketing_waste"] == pytest.approx(840_000)


def two_bucket_inputs(**changes) -> LeakInputs:
    return inputs(
        mqls_per_month=100, cost_per_lead=100, never_contacted_share=0.5,
        bucket_shares={"0-5m": 0.5, "1-4h": 0.5}, best_conversion=0.2, win_rate=0.5, contract_value=1000,
        conversion_multipliers={"1-4h": 0.5}, win_multipliers={"1-4h": 0.6}, value_multipliers={"1-4h": 0.8},
        **changes,
    )


def test_two_bucket_example_by_hand():
    # Lead shares: 0-5m (1 - 0.5) x 0.5 = 0.25, 1-4h 0.25, never 0.5.
    # 0-5m: c 0.2, w 0.5, A 1000.  1-4h: c 0.2 x 0.5 = 0.1, w 0.5 x 0.6 = 0.3, A 1000 x 0.8 = 800.
    # Conversion decline = 100 x [0.25 x (0.2-0.1) x 0.5 x 1000 + 0.5 x (0.2-0) x 0.5 x 1000]
    #                    = 100 x [12.5 + 50] = 6,250
    # Competitive displacement = 100 x 0.25 x 0.1 x (0.5-0.3) x 1000 = 500
    # Deal value compression   = 100 x 0.25 x 0.1 x 0.3 x (1000-800) = 150
    # Ideal = 100 x 0.2 x 0.5 x 1000 = 10,000; current = 100 x (0.25 x 0.2 x 0.5 x 1000
    #         + 0.25 x 0.1 x 0.3 x 800) = 100 x (25 + 6) = 3,100; gap = 6,900 = 6,250 + 500 + 150.
    # Waste = 100 x 0.5 x 100 = 5,000.
    x = two_bucket_inputs()
    monthly = compute(x)["monthly"]
    assert monthly == pytest.approx({
        "conversion_decline": 6250, "competitive_displacement": 500, "deal_value_compression": 150,
        "revenue_gap": 6900, "marketing_waste": 5000,
    })
    assert leak.ideal_revenue(x) == pytest.approx(10_000)
    assert leak.revenue(x) == pytest.approx(3_100)
    assert compute(x)["annual"]["revenue_gap"] == pytest.approx(12 * 6900)
    assert "recovery" not in compute(x)


def test_recovery_of_a_scenario_by_hand():
    # Scenario: 10% never contacted, every contacted lead in 0-5m.
    # Shares: 0-5m 0.9, never 0.1. Conversion decline = 100 x 0.1 x 0.2 x 0.5 x 1000 = 1,000;
    # no displacement or compression (0-5m is the reference). Waste = 100 x 0.1 x 100 = 1,000.
    # Recovery per month = current - scenario: 6,250 - 1,000 = 5,250; 500; 150; gap 5,900; waste 4,000.
    x = two_bucket_inputs(scenario={"never_contacted_share": 0.1, "bucket_shares": {"0-5m": 1}})
    recovery = compute(x)["recovery"]
    assert recovery == pytest.approx({
        "conversion_decline": 5250, "competitive_displacement": 500, "deal_value_compression": 150,
        "revenue_gap": 5900, "marketing_waste": 4000,
    })
    assert leak.annual_recovery(compute(x))["revenue_gap"] == pytest.approx(12 * 5900)


def test_scenario_keeps_what_it_does_not_set():
    x = two_bucket_inputs(scenario={"never_contacted_share": 0.2})
    target = leak.scenario_inputs(x)
    assert target.bucket_shares == x.bucket_shares
    assert target.never_contacted_share == 0.2
    assert target.conversion_multipliers == x.conversion_multipliers


def test_breakdown_per_bucket_adds_up():
    x = two_bucket_inputs()
    parts = leak.breakdown(x)
    assert parts.loc["never", "conversion_decline"] == pytest.approx(5000)
    assert parts.loc["1-4h", "revenue"] == pytest.approx(600)
    assert parts["revenue_gap"].sum() == pytest.approx(compute(x)["monthly"]["revenue_gap"])
    assert parts["leads"].sum() == pytest.approx(100)


# ---------------------------------------------------------------------------------------
# Properties

fraction = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)
multiplier = st.floats(min_value=0.0, max_value=2.0, allow_nan=False)
money = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)


@st.composite
def bucket_shares(draw) -> dict[str, float]:
    weights = draw(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=len(BUCKETS), max_size=len(BUCKETS)))
    if sum(weights) == 0:
        weights[0] = 1.0
    total = sum(weights)
    return {b: w / total for b, w in zip(BUCKETS, weights)}


@st.composite
def valid_inputs(draw) -> LeakInputs:
    multipliers = lambda: st.dictionaries(st.sampled_from(BUCKETS), multiplier)  # noqa: E731
    scenario = st.none() | st.builds(
        leak.Scenario, never_contacted_share=fraction, bucket_shares=bucket_shares()
    )
    return LeakInputs(
        mqls_per_month=draw(st.floats(min_value=0, max_value=1e5)),
        cost_per_lead=draw(money),
        never_contacted_share=draw(fraction),
        bucket_shares=draw(bucket_shares()),
        best_conversion=draw(fraction),
        win_rate=draw(fraction),
        contract_value=draw(money),
        conversion_multipliers=draw(multipliers()),
        win_multipliers=draw(multipliers()),
        value_multipliers=draw(multipliers()),
        scenario=draw(scenario),
    )


def close(a: float, b: float, scale: float) -> bool:
    """Equal up to rounding: relative 1e-9, or 1e-9 of the amounts involved near zero."""
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9 * max(scale, 1.0))


def scale_of(x: LeakInputs) -> float:
    """An upper bound of the money involved, for the absolute tolerance near zero."""
    top = max([1.0, *x.conversion_multipliers.values()]) * max([1.0, *x.win_multipliers.values()])
    return x.mqls_per_month * top * max([1.0, *x.value_multipliers.values()]) * x.contract_value + x.mqls_per_month * x.cost_per_lead


@settings(max_examples=300, deadline=None)
@given(valid_inputs())
def test_dimensions_sum_to_the_revenue_gap(x):
    result = compute(x)
    for period in ("monthly", "annual"):
        r = result[period]
        total = r["conversion_decline"] + r["competitive_displacement"] + r["deal_value_compression"]
        assert close(total, r["revenue_gap"], scale_of(x))
    assert close(result["monthly"]["revenue_gap"], leak.ideal_revenue(x) - leak.revenue(x), scale_of(x))
    assert result["annual"]["marketing_waste"] == pytest.approx(12 * result["monthly"]["marketing_waste"])


@settings(max_examples=200, deadline=None)
@given(valid_inputs())
def test_recoveries_sum_to_the_gap_closed(x):
    result = compute(x)
    target = leak.scenario_inputs(x)
    if target is None:
        assert "recovery" not in result
        return
    recovery = result["recovery"]
    closed = result["monthly"]["revenue_gap"] - compute(target)["monthly"]["revenue_gap"]
    assert close(recovery["revenue_gap"], closed, scale_of(x))
    parts = recovery["conversion_decline"] + recovery["competitive_displacement"] + recovery["deal_value_compression"]
    assert close(parts, recovery["revenue_gap"], scale_of(x))
    waste_closed = x.mqls_per_month * x.cost_per_lead * (x.never_contacted_share - target.never_contacted_share)
    assert close(recovery["marketing_waste"], waste_closed, scale_of(x))


@settings(max_examples=100, deadline=None)
@given(valid_inputs())
def test_json_round_trip(x):
    assert leak.inputs_from_json(leak.inputs_to_json(x)) == x


# ---------------------------------------------------------------------------------------
# Validation


def test_shares_must_sum_to_one():
    with pytest.raises(ValueError, match=r"bucket_shares: shares of contacted leads must sum to 1, got 0\.9"):
        inputs(bucket_shares={"0-5m": 0.5, "1-4h": 0.4})


def test_shares_within_tolerance_are_accepted():
    x = inputs(bucket_shares={"0-5m": 0.5, "1-4h": 0.5 + 5e-7})
    assert x.bucket_shares["1-4h"] == pytest.approx(0.5)


def test_unknown_bucket_is_named():
    with pytest.raises(ValueError, match=r"conversion_multipliers: unknown speed bucket '2h'"):
        inputs(conversion_multipliers={"2h": 0.5})
    with pytest.raises(ValueError, match=r"bucket_shares: unknown speed bucket '0-10m'"):
        inputs(bucket_shares={"0-10m": 1.0})


def test_never_is_not_a_contacted_bucket():
    with pytest.raises(ValueError, match="never_contacted_share"):
        inputs(bucket_shares={"0-5m": 0.6, "never": 0.4})


@pytest.mark.parametrize("field, value, message", [
    ("never_contacted_share", 1.2, r"never_contacted_share must be between 0 and 1, got 1\.2"),
    ("best_conversion", -0.1, r"best_conversion must not be negative"),
    ("mqls_per_month", -5, r"mqls_per_month must not be negative"),
    ("contract_value", "25000", r"contract_value must be a number, got '25000'"),
    ("win_rate", float("nan"), r"win_rate must be a finite number"),
    ("cost_per_lead", True, r"cost_per_lead must be a number"),
])
def test_bad_scalars(field, value, message):
    with pytest.raises(ValueError, match=message):
        inputs(**{field: value})


def test_bad_shares_and_multipliers():
    with pytest.raises(ValueError, match=r"bucket_shares\['0-5m'\] must not be negative, got -0\.5"):
        inputs(bucket_shares={"0-5m": -0.5, "1-4h": 1.5})
    with pytest.raises(ValueError, match=r"bucket_shares\['1-4h'\] must be between 0 and 1, got 1\.5"):
        inputs(bucket_shares={"0-5m": 0, "1-4h": 1.5})
    with pytest.raises(ValueError, match=r"win_multipliers\['3d\+'\] must not be negative"):
        inputs(win_multipliers={"3d+": -1})
    with pytest.raises(ValueError, match=r"scenario\.bucket_shares: shares of contacted leads must sum to 1"):
        inputs(scenario={"bucket_shares": {"0-5m": 0.5}})


def test_json_fields_are_checked():
    data = leak.inputs_to_json(inputs())
    with pytest.raises(ValueError, match=r"unknown field\(s\) 'mql_per_month'"):
        leak.inputs_from_json({**data, "mql_per_month": 3})
    del data["win_rate"]
    with pytest.raises(ValueError, match=r"missing field\(s\) win_rate"):
        leak.inputs_from_json(data)
    with pytest.raises(ValueError, match=r"scenario: unknown field"):
        leak.inputs_from_json({**leak.inputs_to_json(inputs()), "scenario": {"win_rate": 0.3}})


def test_design_example_json_reads_with_missing_multipliers_as_one():
    x = leak.inputs_from_json({
        "mqls_per_month": 500, "cost_per_lead": 350, "never_contacted_share": 0.40,
        "bucket_shares": {"0-5m": 0.1, "5-30m": 0.1, "30-60m": 0.1, "1-4h": 0.2, "4-24h": 0.2, "1-3d": 0.2, "3d+": 0.1},
        "best_conversion": 0.30, "conversion_multipliers": {"0-5m": 1.0, "5-30m": 0.5},
        "win_rate": 0.25, "win_multipliers": {}, "contract_value": 25000,
        "scenario": {"never_contacted_share": 0.05},
    })
    assert x.conversion_multipliers["30-60m"] == 1.0
    assert x.value_multipliers == {b: 1.0 for b in BUCKETS}
    assert set(compute(x)) == {"monthly", "annual", "recovery"}
    assert set(compute(x)["recovery"]) == set(leak.KEYS)


# ---------------------------------------------------------------------------------------
# Presets, defaults, sensitivity, assumptions


@pytest.mark.parametrize("name", sorted(leak.PRESETS))
def test_presets_are_valid_and_decline_with_delay(name):
    p = leak.preset(name)
    assert p.label and p.sources
    for family in (p.conversion_multipliers, p.win_multipliers, p.value_multipliers):
        values = [family[b] for b in BUCKETS]
        assert values[0] == 1.0
        assert all(a >= b for a, b in zip(values, values[1:]))
    compute(leak.apply_preset(inputs(), name))


def test_steep_preset_rests_on_the_published_points():
    p = leak.preset("steep")
    assert p.conversion_multipliers["30-60m"] == pytest.approx(1 / 7.8, abs=1e-4)
    assert p.conversion_multipliers["4-24h"] == pytest.approx(0.05)
    assert p.conversion_multipliers["1-3d"] < 0.05 and p.conversion_multipliers["3d+"] < 0.05
    assert p.value_multipliers["30-60m"] == 1.0
    assert p.value_multipliers["1-3d"] == pytest.approx(1 / 1.23, abs=1e-4)
    assert p.win_multipliers["0-5m"] == 1.0 and p.win_multipliers["3d+"] == pytest.approx(0.55)
    assert "7.8" in p.sources and "23%" in p.sources and "45%" in p.sources


def test_gentle_preset_drops_21_percent_an_hour():
    p = leak.preset("gentle")
    # 1-4h midpoint 150 min, 0-5m midpoint 2.5 min: 147.5 / 60 hours of 0.79.
    assert p.conversion_multipliers["1-4h"] == pytest.approx(0.79 ** (147.5 / 60), abs=1e-6)


def test_unknown_preset():
    with pytest.raises(ValueError, match="unknown preset 'fast'; expected one of steep, gentle, none"):
        leak.preset("fast")


def test_default_inputs():
    x = leak.default_inputs()
    assert (x.mqls_per_month, x.cost_per_lead, x.never_contacted_share) == (500, 350, 0.44)
    assert (x.best_conversion, x.win_rate, x.contract_value) == (0.30, 0.25, 25000)
    assert x.conversion_multipliers == leak.preset("steep").conversion_multipliers
    assert compute(x)["monthly"]["marketing_waste"] == pytest.approx(500 * 0.44 * 350)


def test_sensitivity_table():
    x = leak.default_inputs()
    table = leak.sensitivity(x)
    assert list(table["impact"]) == sorted(table["impact"], reverse=True)
    assert set(table["input"]) == set(leak.SCALARS) | set(leak.FAMILIES)
    row = table.set_index("input").loc["mqls_per_month"]
    annual = compute(x)["annual"]
    # The leak is proportional to volume: +-10% of MQLs moves gap and waste by +-10%.
    assert row["gap_change_high"] == pytest.approx(0.1 * annual["revenue_gap"])
    assert row["waste_change_low"] == pytest.approx(-0.1 * annual["marketing_waste"])
    cpl = table.set_index("input").loc["cost_per_lead"]
    assert cpl["gap_change_high"] == 0 and cpl["waste_change_high"] == pytest.approx(0.1 * annual["marketing_waste"])


def test_sensitivity_caps_shares_at_one():
    table = leak.sensitivity(inputs(never_contacted_share=1.0)).set_index("input")
    assert table.loc["never_contacted_share", "waste_change_high"] == 0


def test_assumptions_in_plain_words():
    lines = leak.assumptions(two_bucket_inputs(scenario={"never_contacted_share": 0.1}))
    assert all(isinstance(line, str) and line for line in lines)
    text = " ".join(lines)
    assert "50% of them are never contacted" in text and "$5,000 a month" in text
    assert "$10,000 a month" in text and "target scenario" in text


# ---------------------------------------------------------------------------------------
# Calibration

T0 = pd.Timestamp("2025-01-01", tz="UTC")


def leads(bucket: str, n: int, sql: int, amounts: list[float], meetings: list | None = None) -> list[dict]:
    """n leads in a bucket: the first `sql` are SQLs, the first len(amounts) of those won."""
    assert len(amounts) <= sql <= n
    return [
        {
            "speed_bucket": bucket, "is_sql": i < sql, "is_won": i < len(amounts),
            "won_amount": amounts[i] if i < len(amounts) else np.nan,
            "meeting_in_window": meetings[i] if meetings else None,
        }
        for i in range(n)
    ]


def facts(rows: list[dict], days: float = 60) -> pd.DataFrame:
    """Leads spread evenly from T0 to T0 + days."""
    frame = pd.DataFrame(rows)
    step = pd.Timedelta(days=days) / (len(frame) - 1)
    frame["mql_at"] = [T0 + i * step for i in range(len(frame))]
    frame["meeting_in_window"] = frame["meeting_in_window"].astype("boolean")
    return frame


def wilson_by_quadratic(k: int, n: int) -> tuple[float, float]:
    """Wilson bounds as the roots of (p - x)^2 = z^2 x (1 - x) / n."""
    p, q = k / n, Z * Z / n
    roots = np.roots([1 + q, -(2 * p + q), p * p])
    return float(min(roots)), float(max(roots))


@pytest.fixture
def sample() -> pd.DataFrame:
    rows = (
        leads("0-5m", 10, 5, [1000, 3000])            # SQL 50%, win 2/5, amount 2000
        + leads("5-30m", 40, 16, [2000, 2000, 2000])  # SQL 40%, win 3/16, amount 2000
        + leads("1-4h", 50, 10, [1000])               # SQL 20%, win 1/10, amount 1000
        + leads("never", 100, 0, [])
    )
    return facts(rows, days=2 * leak.DAYS_PER_MONTH)


def test_calibration_rates_and_intervals(sample):
    cal = leak.calibrate(sample, min_leads=30)
    t = cal.table
    assert list(t.index) == list(BUCKETS)
    assert t.loc["0-5m", ["n", "converted", "won"]].tolist() == [10, 5, 2]
    assert t.loc["0-5m", "rate"] == 0.5 and t.loc["5-30m", "rate"] == 0.4 and t.loc["1-4h", "rate"] == 0.2
    assert t.loc["0-5m", "win_rate"] == pytest.approx(2 / 5)
    assert t.loc["5-30m", "win_rate"] == pytest.approx(3 / 16)
    assert t.loc["0-5m", "avg_amount"] == 2000
    for bucket, k, n in (("0-5m", 5, 10), ("5-30m", 16, 40), ("1-4h", 10, 50)):
        low, high = wilson_by_quadratic(k, n)
        assert t.loc[bucket, "rate_low"] == pytest.approx(low, abs=1e-12)
        assert t.loc[bucket, "rate_high"] == pytest.approx(high, abs=1e-12)
    low, high = wilson_by_quadratic(2, 5)
    assert (t.loc["0-5m", "win_low"], t.loc["0-5m", "win_high"]) == pytest.approx((low, high), abs=1e-12)
    assert 1000 <= t.loc["0-5m", "amount_low"] <= 2000 <= t.loc["0-5m", "amount_high"] <= 3000
    assert t.loc["5-30m", "amount_low"] == t.loc["5-30m", "amount_high"] == 2000
    assert math.isnan(t.loc["30-60m", "rate"])


def test_calibration_multipliers_are_relative_to_the_best_large_bucket(sample):
    # 0-5m converts best (50%) but has only 10 leads; 5-30m (40%, 40 leads) is the reference.
    cal = leak.calibrate(sample, min_leads=30)
    assert cal.best_bucket == "5-30m"
    t = cal.table
    assert t.loc["0-5m", "conversion_multiplier"] == pytest.approx(0.5 / 0.4)
    assert t.loc["1-4h", "conversion_multiplier"] == pytest.approx(0.2 / 0.4)
    assert t.loc["1-4h", "win_multiplier"] == pytest.approx((1 / 10) / (3 / 16))
    assert t.loc["1-4h", "value_multiplier"] == pytest.approx(1000 / 2000)
    assert t.loc["3d+", "conversion_multiplier"] == 1.0
    x = cal.inputs
    assert (x.best_conversion, x.win_rate, x.contract_value) == pytest.approx((0.4, 3 / 16, 2000))
    assert cal.best_bucket == "5-30m"


def test_calibration_reference_with_a_small_threshold(sample):
    assert leak.calibrate(sample, min_leads=5).best_bucket == "0-5m"


def test_calibration_prefills_volume_and_shares(sample):
    cal = leak.calibrate(sample)
    x = cal.inputs
    # 200 handoffs over two months; 100 never contacted; contacted 10 / 40 / 50 of 100.
    assert cal.months == pytest.approx(2)
    assert x.mqls_per_month == pytest.approx(100)
    assert x.never_contacted_share == 0.5
    assert x.bucket_shares == pytest.approx({"0-5m": 0.1, "5-30m": 0.4, "30-60m": 0, "1-4h": 0.5,
                                             "4-24h": 0, "1-3d": 0, "3d+": 0})
    assert x.cost_per_lead == leak.default_inputs().cost_per_lead
    assert leak.calibrate(sample, months=4).inputs.mqls_per_month == pytest.approx(50)


def test_calibration_warnings(sample):
    cal = leak.calibrate(sample, min_leads=30)
    t = cal.table
    assert "only 10 leads (fewer than 30)" in t.loc["0-5m", "warning"]
    assert "only 2 won deal(s)" in t.loc["0-5m", "warning"]
    assert "no leads" in t.loc["30-60m", "warning"]
    assert "fewer than 30" not in t.loc["1-4h", "warning"]
    assert any(w.startswith("0-5m:") for w in cal.warnings)


def test_calibrated_inputs_compute_and_round_trip(sample):
    x = leak.calibrate(sample).inputs
    assert leak.inputs_from_json(leak.inputs_to_json(x)) == x
    result = compute(x)
    assert result["monthly"]["marketing_waste"] == pytest.approx(100 * 0.5 * 350)


def test_calibration_by_meetings_excludes_pending():
    rows = (
        leads("0-5m", 40, 0, [], meetings=[True] * 10 + [False] * 20 + [None] * 10)
        + leads("1-4h", 40, 0, [], meetings=[True] * 5 + [False] * 30 + [None] * 5)
        + leads("never", 20, 0, [])
    )
    cal = leak.calibrate(facts(rows), metric="meeting", min_leads=30)
    t = cal.table
    assert t.loc["0-5m", ["n", "converted"]].tolist() == [30, 10]
    assert t.loc["1-4h", "rate"] == pytest.approx(5 / 35)
    assert t.loc["1-4h", "conversion_multiplier"] == pytest.approx((5 / 35) / (10 / 30))
    assert cal.inputs.bucket_shares["0-5m"] == 0.5


def test_calibration_counts_wins_among_converted_only():
    rows = leads("0-5m", 40, 10, [500, 700]) + leads("never", 10, 0, [])
    rows[20]["is_won"], rows[20]["won_amount"] = True, 900  # won without becoming an SQL
    cal = leak.calibrate(facts(rows))
    assert cal.table.loc["0-5m", "won"] == 2
    assert any("1 won lead(s) did not convert" in w for w in cal.warnings)


def test_calibration_is_seeded(sample):
    a = leak.calibrate(sample, seed=3).table
    b = leak.calibrate(sample, seed=3).table
    pd.testing.assert_frame_equal(a, b)


def test_calibration_rejects_bad_facts(sample):
    with pytest.raises(ValueError, match="lack column"):
        leak.calibrate(sample.drop(columns="is_won"))
    with pytest.raises(ValueError, match="unknown speed bucket"):
        leak.calibrate(sample.assign(speed_bucket="2h"))
    with pytest.raises(ValueError, match="no contacted handoffs"):
        leak.calibrate(sample[sample.speed_bucket == "never"])
    with pytest.raises(ValueError, match="metric must be one of"):
        leak.calibrate(sample, metric="revenue")


def test_wilson_interval_edges():
    assert all(math.isnan(v) for v in wilson_interval(0, 0))
    low, high = wilson_interval(0, 10)
    assert low == 0 and high == pytest.approx(wilson_by_quadratic(0, 10)[1])
    low, high = wilson_interval(10, 10)
    assert high == pytest.approx(1) and low == pytest.approx(wilson_by_quadratic(10, 10)[0])


def test_bootstrap_interval():
    values = np.array([1000.0, 3000.0, 2000.0, 5000.0])
    low, high = bootstrap_mean_interval(values, seed=1)
    assert 1000 <= low < values.mean() < high <= 5000
    assert bootstrap_mean_interval(values, seed=1) == (low, high)
    assert all(math.isnan(v) for v in bootstrap_mean_interval(np.array([])))


def test_leak_scenario_on_calibrated_inputs(sample):
    x = replace(leak.calibrate(sample).inputs, scenario=leak.Scenario(never_contacted_share=0.1))
    assert compute(x)["recovery"]["marketing_waste"] == pytest.approx(100 * 0.4 * 350)
