"""The staffing model per hour, its calibration, and what-if rosters with their payback."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, time

import numpy as np
import pandas as pd
import pytest

from handoff import leak
from handoff.model import staffing as model_staffing
from handoff.schema import SPEED_BUCKETS
from handoff.staffing import (
    HOURS,
    Settings,
    Shift,
    answered_shares,
    answered_within,
    apply_changes,
    calibrate_availability,
    hour_plan,
    hours_short,
    moved,
    parse_change,
    payback,
    predicted_compliance,
    servers,
    servers_needed,
    uncovered_share,
)

from test_staffing_erlang import simulate

DEFAULT = Settings(minutes_per_first_touch=10, target_minutes=5, service_level=0.8, availability=0.5)


def week(**values: float) -> np.ndarray:
    """168 hours, zero except the given ones: week(h9=3.0, h10=1.0)."""
    out = np.zeros(HOURS)
    for key, value in values.items():
        out[int(key[1:])] = value
    return out


def test_one_hour_by_hand():
    """30 MQLs a week in hour 9: lambda = 0.5 a minute, A = 0.5 x 10 = 5 Erlangs. The least c
    with P(W <= 5) >= 0.8 is `need`; needed_on_duty = ceil(need / 0.5) = 2 need; with 7 on
    duty, floor(7 x 0.5) = 3 servers < A: predicted 0; gap = 2 need - 7."""
    plan = hour_plan(week(h9=30.0), week(h9=7), DEFAULT).set_index("hour")
    need = servers_needed(5.0, 5, 10, 0.8)
    assert answered_within(need, 5.0, 5, 10) >= 0.8 > answered_within(need - 1, 5.0, 5, 10)
    row = plan.loc[9]
    assert row["load"] == pytest.approx(5.0)
    assert row["needed"] == need and row["needed_on_duty"] == 2 * need and row["gap"] == 2 * need - 7
    assert row["predicted"] == 0.0
    # An hour without MQLs needs nobody and answers everyone: predicted 1.
    assert plan.loc[10, ["needed", "needed_on_duty", "gap", "predicted"]].tolist() == [0, 0, 0, 1.0]


def test_needed_on_duty_and_servers_round_whole_numbers_exactly():
    """3 / 0.6 is 5.000000000000001 in floats: 5 reps, not 6; 100 x 0.29 is
    28.999999999999996: 29 servers, not 28."""
    settings = replace(DEFAULT, availability=0.6)
    arrivals = week(h0=1.0)
    need = servers_needed(1.0 / 60 * 10, 5, 10, 0.8)
    assert hour_plan(arrivals, week(), settings).loc[0, "needed_on_duty"] == math.ceil(round(need / 0.6, 9))
    assert servers(np.array([100, 7, 0]), 0.29).tolist() == [29, 2, 0]
    plan = hour_plan(week(h0=60.0 * 3), week(h0=5), settings)  # A = 30: 5 x 0.6 = 3 servers
    assert plan.loc[0, "predicted"] == answered_within(3, 30.0, 5, 10)


def test_weighted_compliance_uncovered_share_and_hours_short():
    """Hour 1: 1 MQL a week, 4 on duty (2 servers); hour 2: 3 a week, nobody on duty.
    Predicted = (1 x p1 + 3 x 0) / 4; uncovered = 3 / 4; hours short = the positive gaps."""
    plan = hour_plan(week(h1=1.0, h2=3.0), week(h1=4, h5=3), DEFAULT)
    p1 = answered_within(2, 1.0 / 60 * 10, 5, 10)
    assert predicted_compliance(plan) == pytest.approx(p1 / 4)
    assert uncovered_share(plan) == pytest.approx(0.75)
    gaps = plan.set_index("hour")["gap"]
    assert gaps[1] < 0 and gaps[2] > 0 and gaps[5] == -3
    assert hours_short(plan) == gaps[gaps > 0].sum() == gaps[2]
    empty = hour_plan(week(), week(h1=1), DEFAULT)
    assert predicted_compliance(empty) is None and uncovered_share(empty) is None


def test_inputs_are_checked():
    with pytest.raises(ValueError, match="one value per hour"):
        hour_plan(np.zeros(24), np.zeros(24), DEFAULT)
    with pytest.raises(ValueError, match="availability"):
        replace(DEFAULT, availability=0)


# -- calibration -----------------------------------------------------------------------------------------
def simulated_week(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A week drawn at random: MQLs a week per hour and reps on duty (2, 4 or 6 at business
    hours of the weekdays, else none), so availability steps come at multiples of 1/6 and 1/4."""
    rng = np.random.default_rng(seed)
    arrivals = rng.gamma(2.0, 3.0, HOURS)
    duty = np.zeros(HOURS, dtype=int)
    for day in range(5):
        for hour in range(8, 20):
            duty[day * 24 + hour] = rng.choice([2, 4, 6])
    return arrivals, duty


@pytest.mark.parametrize("known", [0.25, 0.5, 2 / 3, 1.0])
def test_calibration_finds_the_availability_the_data_came_from(known):
    """Observed compliance computed by the model itself at a known availability: the
    calibration gives it back (the least availability of its step, which `known` is)."""
    arrivals, duty = simulated_week(seed=7)
    observed = predicted_compliance(hour_plan(arrivals, duty, replace(DEFAULT, availability=known)))
    fit = calibrate_availability(arrivals, duty, DEFAULT, observed)
    assert fit.status == "fit"
    assert fit.availability == pytest.approx(known, abs=1e-9)
    assert fit.predicted == pytest.approx(observed)


def test_calibration_on_leads_simulated_through_queues():
    """Each hour's MQLs simulated through an M/M/c queue with floor(on_duty x 0.5) servers
    (1,000 weeks of arrivals per hour); the share answered within the target is 'observed'.
    The calibrated availability lies within one step (1/6) of 0.5, and its prediction within
    0.02 of what the simulation observed."""
    arrivals, duty = simulated_week(seed=11)
    known = 0.5
    free = servers(duty, known)
    answered = total = 0.0
    for h in range(HOURS):
        n = int(arrivals[h] * 1000)
        if n == 0:
            continue
        load = arrivals[h] / 60 * DEFAULT.minutes_per_first_touch
        if free[h] <= load:
            within = 0.0  # unstable queue: the model answers nobody in time
        else:
            _, within = simulate(int(free[h]), load, DEFAULT.minutes_per_first_touch, DEFAULT.target_minutes, max(n, 2000), seed=h)
        answered += within * arrivals[h]
        total += arrivals[h]
    observed = answered / total
    fit = calibrate_availability(arrivals, duty, DEFAULT, observed)
    assert fit.status == "fit"
    assert abs(fit.availability - known) <= 1 / 6 + 1e-9
    assert fit.predicted == pytest.approx(observed, abs=0.02)


def test_calibration_says_when_nothing_fits():
    arrivals, duty = simulated_week(seed=3)
    assert calibrate_availability(arrivals, duty, DEFAULT, None).status == "none"
    assert calibrate_availability(arrivals, duty, DEFAULT, 1.0).status == "above"  # nights are uncovered
    low = calibrate_availability(arrivals, duty, DEFAULT, 0.0)
    assert low.status == "below" and low.availability == 0.01


# -- what-if ------------------------------------------------------------------------------------------------
def test_changes_read_and_write_their_url_form():
    change = parse_change("+2@Asia/Kolkata@09:00-17:00")
    assert (change.reps, change.timezone, change.start, change.end) == (2, "Asia/Kolkata", time(9), time(17))
    assert parse_change(change.text) == change
    assert parse_change("-1@America/New_York@12:30-24:00").end == time(23, 59)
    for bad in ("2 Asia/Kolkata", "+0@UTC@09:00-17:00", "+1@Mars/Base@09:00-17:00", "+1@UTC@17:00-09:00",
                "+1@UTC@25:00-26:00", "+1@UTC@09:00-17:00;DROP"):
        with pytest.raises(ValueError):
            parse_change(bad)


def test_removals_take_only_reps_that_are_there():
    base = [Shift(2, "America/New_York", time(9), time(17))]
    apply_changes(base, [parse_change("-2@America/New_York@09:00-17:00")], (0, 1, 2, 3, 4))
    with pytest.raises(ValueError, match="there are 2"):
        apply_changes(base, [parse_change("-3@America/New_York@09:00-17:00")], (0, 1, 2, 3, 4))
    with pytest.raises(ValueError, match="there are 0"):
        apply_changes(base, [parse_change("-1@America/New_York@10:00-18:00")], (0, 1, 2, 3, 4))
    shifted = moved(1, "America/New_York", time(9), time(17), time(12), time(20))
    after = apply_changes(base, shifted, (0, 1, 2, 3, 4))
    assert sum(s.reps for s in after) == 2


BOUNDS = [(name, None if bound is None else float(bound)) for name, bound in SPEED_BUCKETS]


def test_answered_shares_follow_the_waiting_time_distribution():
    """Hour 9: 6 MQLs a week, 4 on duty (2 servers): the 0-5m share is P(W <= 5), the 5-30m
    share P(W <= 30) - P(W <= 5), and so on; hour 10: 2 a week, nobody on duty: 3d+.
    Weighted 6 : 2."""
    shares = answered_shares(week(h9=6.0, h10=2.0), week(h9=4), DEFAULT, BOUNDS)
    load = 6 / 60 * 10
    cumulative = [answered_within(2, load, b, 10) for _, b in BOUNDS[:-1]]
    assert shares["0-5m"] == pytest.approx(0.75 * cumulative[0])
    assert shares["5-30m"] == pytest.approx(0.75 * (cumulative[1] - cumulative[0]))
    assert shares["3d+"] == pytest.approx(0.75 * (1 - cumulative[-1]) + 0.25)
    assert sum(shares.values()) == pytest.approx(1.0)


def test_payback_is_the_leak_models_recovery_beside_the_cost():
    inputs = leak.default_inputs()
    now = {"0-5m": 0.2, "5-30m": 0.1, "30-60m": 0.1, "1-4h": 0.1, "4-24h": 0.1, "1-3d": 0.1, "3d+": 0.3}
    then = {"0-5m": 0.6, "5-30m": 0.1, "30-60m": 0.1, "1-4h": 0.1, "4-24h": 0.05, "1-3d": 0.05, "3d+": 0.0}
    result = payback(inputs, 400.0, now, then, added_reps=2, cost_per_rep_month=6000)
    expected = leak.compute(replace(inputs, mqls_per_month=400.0, bucket_shares=now,
                                    scenario=leak.Scenario(bucket_shares=then)))["recovery"]["revenue_gap"]
    assert result.monthly_recovery == pytest.approx(expected)
    assert result.monthly_cost == 12000 and result.ratio == pytest.approx(expected / 12000)
    assert "2 more SDRs cost 12,000 USD a month" in result.sentence("USD")
    same = payback(inputs, 400.0, now, now, added_reps=0, cost_per_rep_month=6000)
    assert same.monthly_recovery == pytest.approx(0.0) and same.ratio is None


def test_payback_of_sdrs_that_cost_nothing_is_a_sentence():
    """staffing.cost_per_rep_month may be 0: added SDRs then have no cost ratio to print."""
    inputs = leak.default_inputs()
    now = {"0-5m": 0.2, "5-30m": 0.1, "30-60m": 0.1, "1-4h": 0.1, "4-24h": 0.1, "1-3d": 0.1, "3d+": 0.3}
    then = {"0-5m": 0.6, "5-30m": 0.1, "30-60m": 0.1, "1-4h": 0.1, "4-24h": 0.05, "1-3d": 0.05, "3d+": 0.0}
    free = payback(inputs, 400.0, now, then, added_reps=2, cost_per_rep_month=0)
    assert free.monthly_cost == 0 and free.ratio is None and free.monthly_recovery > 0
    sentence = free.sentence("USD")
    assert sentence.startswith("2 more SDRs cost 0 USD a month and recover an estimated ")
    assert sentence.endswith("so the change pays for itself.") and "times the cost" not in sentence


# -- what-if through the model --------------------------------------------------------------------------
def sample_plan():
    from handoff.data import sample
    from handoff.model import Model
    from handoff.policy import Policy

    dataset = sample(Policy())
    model = Model(dataset.store.con, Policy())
    return model, model_staffing.plan(model)


@pytest.fixture(scope="module")
def on_sample():
    return sample_plan()


def test_a_what_if_without_changes_changes_nothing(on_sample):
    model, p = on_sample
    inputs, _ = model_staffing.leak_inputs(model, p.tier)
    w = model_staffing.what_if(p, [], inputs=inputs)
    assert w.availability == p.starting_availability
    assert w.predicted_then == w.predicted_now and w.sdrs_then == w.sdrs_now
    assert w.payback.monthly_recovery == pytest.approx(0.0, abs=1e-6) and w.payback.monthly_cost == 0
    # At the policy's availability, "now" is the plan itself.
    same = model_staffing.what_if(p, [], availability=p.settings.availability)
    pd.testing.assert_frame_equal(same.now, p.hours)


def test_adding_sdrs_in_empty_hours_helps_and_costs(on_sample):
    model, p = on_sample
    inputs, _ = model_staffing.leak_inputs(model, p.tier)
    uncovered = p.hours[(p.hours["on_duty"] == 0) & (p.hours["arrivals_per_week"] > 0)]
    assert not uncovered.empty, "the sample has MQLs in hours nobody works"
    change = parse_change("+3@Pacific/Auckland@09:00-17:00")
    w = model_staffing.what_if(p, [change], availability=0.5, inputs=inputs)
    assert w.sdrs_then == w.sdrs_now + 3
    assert w.predicted_then > w.predicted_now and w.uncovered_then <= w.uncovered_now
    assert w.payback.monthly_cost == 3 * p.cost_per_rep_month
    assert w.payback.monthly_recovery > 0
    assert (w.then["on_duty"] >= w.now["on_duty"]).all()
