"""The numbers behind the people-first pages, on a hand-made week: the rep scorecard's
people, weekly SLA and standing; never-contacted leads with their spend; routing delay as
p90 and the share assigned late; the recent undispositioned backlog.

Rep r1 (New York) gets five high-tier leads, a queue and nobody one each. T0 = Tue
2026-06-02 10:00 EDT; as_of two days later, so every untouched lead has breached its 5
business minutes and no meeting window has ended.
"""

from __future__ import annotations

import pytest
from handmade import T0, act, build_model, lead, minutes_after

from handoff.model import Filters, views
from handoff.model.dimensions import UNASSIGNED
from handoff.policy import Policy

AS_OF = "2026-06-04T14:00:00Z"
WEEK_BEFORE = "2026-05-26T14:00:00Z"
QUEUE = "00G-QUEUE"


def leads() -> list[dict]:
    return [
        lead("a", tier="high", assigned_at=minutes_after(T0, 2)),  # touched after 3 min: met
        lead("b", tier="high", assigned_at=minutes_after(T0, 10)),  # touched after 20 min: breached
        lead("c", tier="high"),  # never touched: breached, never contacted
        lead("d", tier="high", owner_id=QUEUE),  # a queue, never touched
        lead("e", tier="high", owner_id=None, source="Demo request"),  # nobody, never touched
        lead("f", WEEK_BEFORE, tier="high"),  # the week before, touched after 2 min: met
        lead("g", "2026-04-01T14:00:00Z", tier="high"),  # two months ago, never answered
    ]


def activities() -> list[dict]:
    return [
        act("x1", "a", minutes_after(T0, 3)),
        act("x2", "b", minutes_after(T0, 20)),
        act("x3", "f", minutes_after(WEEK_BEFORE, 2)),
        act("x4", "g", minutes_after("2026-04-01T14:00:00Z", 1)),
    ]


@pytest.fixture
def model(ny_rep):
    return build_model(reps=[ny_rep], leads=leads(), activities=activities(), as_of=AS_OF)


def test_never_contacted_by_rep_with_its_spend(model):
    frame = views.never_contacted(model, Filters(), by="rep").set_index("owner_id")
    # r1: a, b, c, f, g handed off, c never contacted; the queue's d; nobody's e. 350 a lead.
    assert frame.loc["r1", ["handoffs", "never_contacted", "still_open"]].tolist() == [5, 1, 1]
    assert frame.loc["r1", "never_contacted_spend"] == 350.0
    assert frame.loc["r1", "never_contacted_rate"] == pytest.approx(1 / 5)
    assert frame.loc[QUEUE, "never_contacted_spend"] == 350.0 and not frame.loc[QUEUE, "assigned"]
    assert frame.loc[UNASSIGNED, "never_contacted"] == 1 and not frame.loc[UNASSIGNED, "assigned"]
    assert bool(frame.loc["r1", "assigned"])


def test_never_contacted_by_source_follows_the_policys_cost_per_lead(ny_rep):
    policy = Policy(cost_per_lead=120.0)
    model = build_model(policy, reps=[ny_rep], leads=leads(), activities=activities(), as_of=AS_OF)
    frame = views.never_contacted(model, Filters(), by="source")
    # Webinar: c and d never contacted (2 x 120); Demo request: e (120). Most spend first.
    assert frame["source"].tolist() == ["Webinar", "Demo request"]
    assert frame["never_contacted_spend"].tolist() == [240.0, 120.0]
    assert frame["handoffs"].tolist() == [6, 1]


def test_rep_weekly_has_every_week_and_the_sla_of_each(model):
    frame = views.rep_weekly(model, Filters(), weeks=2)
    r1 = frame[frame["owner_id"] == "r1"].set_index("week")
    weeks = [str(w)[:10] for w in r1.index]
    assert weeks == ["2026-05-25", "2026-06-01"]
    # 2026-06-01: a met, b and c breached; 2026-05-25: f met
    assert r1["sla_compliance"].tolist() == pytest.approx([1.0, 1 / 3])
    assert r1["median_response_business_minutes"].tolist() == pytest.approx([2.0, 11.5])
    queue = frame[frame["owner_id"] == QUEUE].set_index("week")
    assert queue["handoffs"].tolist() == [0, 1]  # a week without handoffs is a row, empty
    assert queue["sla_compliance"].isna().tolist() == [True, False]


def test_the_scorecard_tells_people_from_routing(model):
    card = views.rep_scorecard(model, Filters(), weeks=2).set_index("owner_id")
    assert card["person"].to_dict() == {"r1": True, QUEUE: False, UNASSIGNED: False}
    # r1 over the selection: a, f, g met; b, c breached -> 3 / 5 = 60%, more than 10 points below 90%
    assert card.loc["r1", "sla_compliance"] == pytest.approx(3 / 5)
    assert card.loc["r1", "sla_standing"] == "below"
    assert card.loc["r1", "sla_weekly"] == pytest.approx([1.0, 1 / 3])
    assert card.loc[UNASSIGNED, "sla_weekly"] == pytest.approx([0.0])  # its empty week is skipped


@pytest.mark.parametrize(("value", "standing"), [(0.9, "met"), (0.95, "met"), (0.85, "near"), (0.8, "near"),
                                                  (0.79, "below"), (None, None)])
def test_standing_against_the_target(value, standing):
    assert views.sla_standing(value, 0.9) == standing


def test_routing_delay_p90_and_the_share_assigned_late(model):
    row = views.routing_delay(model, Filters(), by="all").iloc[0]
    # known assignment: a after 2, b after 10 business minutes; b waited more than 5
    assert row["routing_known"] == 2 and row["assigned_late"] == 1
    assert row["assigned_late_share"] == pytest.approx(0.5)
    assert row["median_routing_business_minutes"] == pytest.approx(6.0)
    assert row["p90_routing_business_minutes"] == pytest.approx(2 + 0.9 * 8)
    # the rep's part: a touched 1 and b 10 business minutes after the assignment
    assert row["p90_rep_business_minutes"] == pytest.approx(1 + 0.9 * 9)


def test_the_recent_backlog_leaves_out_the_old_leads(model):
    # without a disposition 48 h after mql_at: f (a week before) and g (two months before);
    # the recent backlog starts 48 h + 4 weeks before as_of: 2026-05-05
    assert str(views.backlog_start(model)) == "2026-05-05"
    assert views.recent_undispositioned(model, Filters())["lead_id"].tolist() == ["f"]
    assert views.recent_undispositioned(model, Filters(), weeks=None)["lead_id"].tolist() == ["g", "f"]
