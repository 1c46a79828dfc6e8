"""SLA compliance per MQL week: met / (met + breached), pending leads excluded and shown.

Rep r1 works in New York (EDT, UTC-4), 09:00-17:00. Every lead is a Webinar lead: low
tier, target 480 business minutes. As of Fri 2026-06-12 20:00Z = 16:00 EDT.

week of Mon 06-01 (all decided)
  w1_met1   MQL Tue 06-02 10:00 EDT, touched 10:10                       met
  w1_met2   MQL Tue 06-02 10:00 EDT, touched 10:20                       met
  w1_late   MQL Tue 06-02 10:00 EDT, touched Thu 06-04 10:00 EDT:
            7 h Tue + 8 h Wed + 1 h Thu = 960 > 480                      breached
  -> 3 handoffs, 2 met, 1 breached, 0 pending: compliance 2 / 3

week of Mon 06-08
  w2_met    MQL Mon 06-08 10:00 EDT, touched 10:05                       met
  w2_cold   MQL Mon 06-08 10:00 EDT, untouched; by Fri 16:00:
            7 h Mon + 3 x 8 h + 7 h Fri = 38 h = 2,280 > 480             breached
  w2_new1   MQL Fri 06-12 15:00 EDT, untouched: 60 of 480                pending
  w2_new2   MQL Fri 06-12 14:00 EDT, untouched: 120 of 480               pending
  -> 4 handoffs, 1 met, 1 breached, 2 pending: compliance 1 / (1 + 1) = 1/2
     (over all handoffs it would be 1/4: the pending leads must not count)
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from handoff.model import Filters
from handoff.model import views
from handmade import act, build_model, lead

AS_OF = "2026-06-12T20:00:00Z"
WEEK1, WEEK2 = date(2026, 6, 1), date(2026, 6, 8)


@pytest.fixture
def model(ny_rep):
    leads = [
        lead("w1_met1"), lead("w1_met2"), lead("w1_late"),
        lead("w2_met", mql_at="2026-06-08T14:00:00Z"), lead("w2_cold", mql_at="2026-06-08T14:00:00Z"),
        lead("w2_new1", mql_at="2026-06-12T19:00:00Z"), lead("w2_new2", mql_at="2026-06-12T18:00:00Z"),
    ]
    acts = [
        act("a1", "w1_met1", "2026-06-02T14:10:00Z"), act("a2", "w1_met2", "2026-06-02T14:20:00Z"),
        act("a3", "w1_late", "2026-06-04T14:00:00Z"), act("a4", "w2_met", "2026-06-08T14:05:00Z"),
    ]
    return build_model(reps=[ny_rep], leads=leads, activities=acts, as_of=AS_OF)


def by_week(frame: pd.DataFrame) -> dict:
    return {pd.Timestamp(r["week"]).date(): r for r in frame.to_dict(orient="records")}


def test_per_lead_statuses_are_as_worked_out(model):
    out = model.lead_handoff().set_index("lead_id")["sla_status"].to_dict()
    assert out == {"w1_met1": "met", "w1_met2": "met", "w1_late": "breached", "w2_met": "met",
                   "w2_cold": "breached", "w2_new1": "pending", "w2_new2": "pending"}


def test_weekly_compliance_excludes_pending_leads(model):
    trend = by_week(views.sla_trend(model, Filters(), by="all"))
    w1, w2 = trend[WEEK1], trend[WEEK2]
    assert (w1["handoffs"], w1["met"], w1["breached"], w1["pending"]) == (3, 2, 1, 0)
    assert w1["sla_compliance"] == pytest.approx(2 / 3)
    assert (w2["handoffs"], w2["met"], w2["breached"], w2["pending"]) == (4, 1, 1, 2)
    assert w2["sla_compliance"] == pytest.approx(1 / 2), "met / (met + breached): the 2 pending leads are excluded"


def test_weekly_compliance_by_tier_excludes_pending_leads(model):
    trend = views.sla_trend(model, Filters(), by="tier")
    row = trend[(trend["group"] == "low") & (pd.to_datetime(trend["week"]).dt.date == WEEK2)].iloc[0]
    assert row["sla_compliance"] == pytest.approx(1 / 2)


def test_a_week_with_only_pending_leads_has_no_compliance(ny_rep):
    # Both leads arrived Fri 06-12 at 14:00 and 15:00 EDT: 120 and 60 of 480 minutes: pending.
    model = build_model(reps=[ny_rep], as_of=AS_OF, leads=[
        lead("new1", mql_at="2026-06-12T19:00:00Z"), lead("new2", mql_at="2026-06-12T18:00:00Z")])
    row = views.sla_trend(model, Filters(), by="all").iloc[0]
    assert (row["handoffs"], row["pending"]) == (2, 2)
    assert pd.isna(row["sla_compliance"]), "no decided lead: no compliance (not 0%)"


def test_the_weekly_metrics_and_this_week_agree(model):
    weeks = model.metrics("week").set_index("group")
    weeks.index = [pd.Timestamp(w).date() for w in weeks.index]
    assert weeks.loc[WEEK1, "sla_compliance"] == pytest.approx(2 / 3)
    assert weeks.loc[WEEK2, "sla_compliance"] == pytest.approx(1 / 2)
    headline = views.this_week(model, Filters(), WEEK2).set_index("metric")
    assert headline.loc["sla_compliance", "current"] == pytest.approx(1 / 2)
    assert headline.loc["sla_compliance", "previous"] == pytest.approx(2 / 3)
