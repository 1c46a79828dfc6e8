"""The revenue-leak model per bucket, worked by hand: who leaks what, and where the waste sits.

Marketing waste is the spend on never-contacted leads: M x u x CPL, all of it in the
`never` bucket. The example uses u = 0.2, so the never-contacted share (0.2) and the
contacted share (0.8) give different answers.

Inputs: M = 200 MQLs a month, CPL = 100, u = 0.2; contacted leads 25% in 0-5m, 75% in 1-4h;
c* = 0.2, w* = 0.5, A* = 1,000; 1-4h multipliers: conversion 0.5, win 0.6, value 0.8.

bucket  share of all       leads  c      w      A      revenue = leads x c x w x A
0-5m    0.8 x 0.25 = 0.2   40     0.2    0.5    1000   40 x 0.2 x 0.5 x 1000 = 4,000
1-4h    0.8 x 0.75 = 0.6   120    0.1    0.3    800    120 x 0.1 x 0.3 x 800 = 2,880
never   u = 0.2            40     0      (0.5)  (1000) 0

conversion decline       = leads x (c* - c) x w* x A*:  1-4h 120 x 0.1 x 0.5 x 1000 = 6,000;
                                                         never 40 x 0.2 x 0.5 x 1000 = 4,000
competitive displacement = leads x c x (w* - w) x A*:    1-4h 120 x 0.1 x 0.2 x 1000 = 2,400
deal value compression   = leads x c x w x (A* - A):     1-4h 120 x 0.1 x 0.3 x 200 = 720
revenue gap per bucket: 0-5m 0, 1-4h 9,120, never 4,000; total 13,120
  = ideal 200 x 0.2 x 0.5 x 1000 = 20,000 - current 4,000 + 2,880 = 6,880.
marketing waste: never 200 x 0.2 x 100 = 4,000 (not 200 x 0.8 x 100 = 16,000); 0 elsewhere.
"""

from __future__ import annotations

import pytest

from handoff import leak
from handoff.leak import LeakInputs, compute


def inputs(**changes) -> LeakInputs:
    base = dict(
        mqls_per_month=200, cost_per_lead=100, never_contacted_share=0.2,
        bucket_shares={"0-5m": 0.25, "1-4h": 0.75}, best_conversion=0.2, win_rate=0.5,
        contract_value=1000, conversion_multipliers={"1-4h": 0.5}, win_multipliers={"1-4h": 0.6},
        value_multipliers={"1-4h": 0.8},
    )
    return LeakInputs(**{**base, **changes})


def test_marketing_waste_per_bucket_is_the_never_contacted_spend():
    parts = leak.breakdown(inputs())
    assert parts.loc["never", "marketing_waste"] == pytest.approx(4_000), (
        "M x u x CPL = 200 x 0.2 x 100 (u is the never-contacted share, not the contacted one)")
    assert (parts.loc[list(leak.BUCKETS), "marketing_waste"] == 0).all(), "no waste on contacted leads"
    assert parts["marketing_waste"].sum() == pytest.approx(compute(inputs())["monthly"]["marketing_waste"])


def test_breakdown_per_bucket_by_hand():
    parts = leak.breakdown(inputs())
    assert parts.loc["0-5m", "leads"] == pytest.approx(40)
    assert parts.loc["1-4h", "leads"] == pytest.approx(120)
    assert parts.loc["never", "leads"] == pytest.approx(40)
    assert parts.loc["5-30m", "leads"] == 0
    assert parts.loc["0-5m", "revenue"] == pytest.approx(4_000)
    assert parts.loc["1-4h", "revenue"] == pytest.approx(2_880)
    assert parts.loc["never", "revenue"] == 0
    assert parts.loc["1-4h", "conversion_decline"] == pytest.approx(6_000)
    assert parts.loc["never", "conversion_decline"] == pytest.approx(4_000)
    assert parts.loc["1-4h", "competitive_displacement"] == pytest.approx(2_400)
    assert parts.loc["never", "competitive_displacement"] == 0
    assert parts.loc["1-4h", "deal_value_compression"] == pytest.approx(720)
    assert parts.loc["0-5m", "revenue_gap"] == pytest.approx(0)
    assert parts.loc["1-4h", "revenue_gap"] == pytest.approx(9_120)
    assert parts.loc["never", "revenue_gap"] == pytest.approx(4_000)


def test_breakdown_adds_up_to_the_monthly_leak():
    x = inputs()
    parts, monthly = leak.breakdown(x), compute(x)["monthly"]
    assert monthly == pytest.approx({
        "conversion_decline": 10_000, "competitive_displacement": 2_400, "deal_value_compression": 720,
        "revenue_gap": 13_120, "marketing_waste": 4_000,
    })
    for key in monthly:
        assert parts[key].sum() == pytest.approx(monthly[key]), key
    assert leak.ideal_revenue(x) - leak.revenue(x) == pytest.approx(13_120)


@pytest.mark.parametrize("u,waste", [(0.0, 0.0), (0.1, 2_000.0), (0.75, 15_000.0), (1.0, 20_000.0)])
def test_marketing_waste_in_the_never_bucket_follows_u(u, waste):
    # 200 MQLs x u x $100
    parts = leak.breakdown(inputs(never_contacted_share=u))
    assert parts.loc["never", "marketing_waste"] == pytest.approx(waste)
    assert parts["marketing_waste"].sum() == pytest.approx(waste)


def test_the_scenario_breakdown_holds_the_scenario_waste():
    # Scenario: 5% never contacted -> 200 x 0.05 x 100 = 1,000; recovery 4,000 - 1,000 = 3,000.
    x = inputs(scenario={"never_contacted_share": 0.05})
    target = leak.breakdown(leak.scenario_inputs(x))
    assert target.loc["never", "marketing_waste"] == pytest.approx(1_000)
    assert compute(x)["recovery"]["marketing_waste"] == pytest.approx(3_000)
