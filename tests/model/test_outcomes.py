"""Opportunities per lead (pipeline created, won, won amount) as of a moment, by hand.

A deal that closes after as_of has not closed yet: its lead is not won and its amount is
not a won amount, though the opportunity itself (created before as_of) is pipeline. An
opportunity created after as_of does not exist yet.
"""

from __future__ import annotations

import pandas as pd
import pytest

from handmade import build_model, build_store, facts, lead, opp

AS_OF = "2026-06-20T00:00:00Z"


def won(opportunity_id: str, lead_id: str, amount: float, closed_at: str | None, **extra) -> dict:
    return opp(opportunity_id, lead_id, "2026-06-05T15:00:00Z", amount=amount, stage="Closed Won",
               is_closed=True, is_won=True, closed_at=closed_at) | extra


def tables(ny_rep) -> dict:
    leads = [lead(k) for k in ("before", "after", "at", "created_after", "mixed", "lost")]
    opportunities = [
        won("o_before", "before", 10_000, "2026-06-15T16:00:00Z"),  # won 06-15: won
        won("o_after", "after", 20_000, "2026-06-25T16:00:00Z"),  # closes 06-25, after as_of: not yet
        won("o_at", "at", 5_000, AS_OF),  # closed exactly at as_of: won (closed interval)
        won("o_future", "created_after", 7_000, "2026-06-23T16:00:00Z",
            created_at="2026-06-22T15:00:00Z"),  # created after as_of: does not exist yet
        won("o_mixed_late", "mixed", 30_000, "2026-06-30T16:00:00Z"),  # closes after as_of
        won("o_mixed_early", "mixed", 1_000, "2026-06-10T16:00:00Z"),  # closed before as_of
        opp("o_lost", "lost", "2026-06-05T15:00:00Z", amount=3_000, is_closed=True, is_won=False,
            closed_at="2026-06-10T16:00:00Z"),
    ]
    return {"reps": [ny_rep], "leads": leads, "opportunities": opportunities}


@pytest.fixture
def model(ny_rep):
    return build_model(as_of=AS_OF, **tables(ny_rep))


def test_a_deal_won_after_as_of_is_not_won_yet(model):
    out = facts(model)
    assert out["before"]["is_won"] is True and out["before"]["won_amount"] == 10_000
    assert out["after"]["is_won"] is False, "closed_at 06-25 is after as_of 06-20: not won yet"
    assert pd.isna(out["after"]["won_amount"]), "no won amount before the deal closes"
    # ... but it was created on 06-05, so it is pipeline already.
    assert (out["after"]["opportunities"], out["after"]["pipeline_amount"]) == (1, 20_000)


def test_a_deal_closed_exactly_at_as_of_is_won(model):
    out = facts(model)["at"]
    assert out["is_won"] is True and out["won_amount"] == 5_000


def test_only_the_deals_closed_by_as_of_make_the_won_amount(model):
    # mixed: 1,000 won on 06-10 counts; 30,000 closing 06-30 does not. Pipeline is both: 31,000.
    out = facts(model)["mixed"]
    assert out["is_won"] is True
    assert out["won_amount"] == 1_000
    assert (out["opportunities"], out["pipeline_amount"]) == (2, 31_000)


def test_an_opportunity_created_after_as_of_does_not_exist_yet(model):
    out = facts(model)["created_after"]
    assert (out["opportunities"], out["pipeline_amount"], out["is_won"]) == (0, 0, False)
    assert pd.isna(out["won_amount"])


def test_a_lost_deal_is_pipeline_but_not_won(model):
    out = facts(model)["lost"]
    assert (out["opportunities"], out["pipeline_amount"], out["is_won"]) == (1, 3_000, False)


def test_won_and_pipeline_aggregates_follow_as_of(model):
    # All six leads are untouched: one bucket, `never`.
    # Won: before (10,000), at (5,000), mixed (1,000) = 3 leads; mean won amount 16,000 / 3.
    speed = model.speed_conversion().set_index("speed_bucket")
    assert speed.loc["never", "handoffs"] == 6
    assert speed.loc["never", "won"] == 3
    assert speed.loc["never", "avg_won_amount"] == pytest.approx(16_000 / 3)
    # Pipeline created by as_of: 10,000 + 20,000 + 5,000 + 31,000 + 3,000 = 69,000 (not the 7,000).
    assert model.metrics("all").iloc[0]["pipeline_amount"] == 69_000


def test_calibration_facts_see_only_deals_won_by_as_of(ny_rep):
    from handoff.model import calibration_facts

    cal = calibration_facts(build_store(**tables(ny_rep)), as_of=pd.Timestamp(AS_OF).to_pydatetime())
    assert int(cal["is_won"].sum()) == 3
    assert cal["won_amount"].sum() == 16_000
