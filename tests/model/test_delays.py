"""Routing delay (system) vs rep delay, and the default as_of, by hand.

Rep r1 works in New York (EDT = UTC-4), 09:00-17:00. T0 = Tue 2026-06-02 10:00 EDT (14:00Z).
"""

from __future__ import annotations

import pandas as pd
import pytest

from handmade import T0, act, build_model, facts, lead, meet, minutes_after, opp


def test_routing_and_rep_delay_split_the_response(ny_rep):
    # early: assigned 1 h before the handoff: routing 0 (not negative); the rep's part runs
    #        from mql_at: touched at 10:15 -> rep 15, response 15.
    # night: MQL 10:00, assigned 16:30 (routing 390), touched Wed 09:20 (rep 30 + 20 = 50).
    # none:  no assigned_at: routing and rep delay unknown, response still 30.
    leads = [lead("early", assigned_at=minutes_after(T0, -60)),
             lead("night", assigned_at="2026-06-02T20:30:00Z"),
             lead("none")]
    acts = [act("a1", "early", minutes_after(T0, 15)), act("a2", "night", "2026-06-03T13:20:00Z"),
            act("a3", "none", minutes_after(T0, 30))]
    model = build_model(reps=[ny_rep], leads=leads, activities=acts, as_of="2026-06-10T00:00:00Z")
    out = facts(model)
    assert (out["early"]["routing_business_minutes"], out["early"]["rep_business_minutes"]) == (0, 15)
    assert (out["night"]["routing_business_minutes"], out["night"]["rep_business_minutes"]) == (390, 50)
    assert out["night"]["response_business_minutes"] == 440  # 390 + 50
    assert pd.isna(out["none"]["routing_business_minutes"]) and pd.isna(out["none"]["rep_business_minutes"])
    m = model.metrics("all").iloc[0]
    # medians over the leads with assigned_at known (2 of 3): routing (0 + 390) / 2, rep (15 + 50) / 2
    assert m["routing_known"] == 2
    assert m["median_routing_business_minutes"] == pytest.approx(195)
    assert m["median_rep_business_minutes"] == pytest.approx(32.5)


def test_default_as_of_is_the_latest_handoff_touch_or_booking_only(ny_rep):
    # Dispositions, SQLs, assignments and opportunities later than every handoff, activity and
    # booking do not move as_of: it is the activity at Thu 06-04 15:00Z.
    leads = [lead("L", disposition="Qualified", disposition_at="2026-06-20T00:00:00Z",
                  sql_at="2026-06-21T00:00:00Z", assigned_at="2026-06-22T00:00:00Z")]
    model = build_model(reps=[ny_rep], leads=leads,
                        activities=[act("a", "L", "2026-06-04T15:00:00Z")],
                        meetings=[meet("m", "L", "2026-06-03T15:00:00Z")],
                        opportunities=[opp("o", "L", "2026-06-25T00:00:00Z")])
    assert pd.Timestamp(model.as_of) == pd.Timestamp("2026-06-04T15:00:00Z")
    out = facts(model)["L"]
    assert pd.isna(out["disposition"]) and out["is_sql"] is False and out["opportunities"] == 0


def test_default_as_of_can_be_the_latest_handoff(ny_rep):
    leads = [lead("L"), lead("M", "2026-06-05T14:00:00Z")]
    model = build_model(reps=[ny_rep], leads=leads, activities=[act("a", "L", "2026-06-04T15:00:00Z")])
    assert pd.Timestamp(model.as_of) == pd.Timestamp("2026-06-05T14:00:00Z")
