"""Every aggregate's numerator and denominator, on one fixture where the wrong denominator
gives a different number.

Reps r1 (team East) and r2 (team West) work in New York (EDT = UTC-4), 09:00-17:00. As of
Fri 2026-06-26 21:00Z = 17:00 EDT. "old" leads were handed off Tue 06-02 10:00 EDT (their
meeting window ended Tue 06-16); "young" ones on Fri 06-26 (window open). Webinar leads are
low tier (480 business minutes); k is a Demo request (high, 5).

lead owner  MQL    first touch        SLA       meeting  disposition (after MQL)   touches  SQL
a    r1     old    +10 min            met       yes      Qualified (24 h)          6        yes
b    r1     old    +20 min            met       no       Qualified (72 h)          1
c    r2     old    +30 min            met       yes      Bad Fit (24 h)            1
d    r1     old    Wed 12:00 (600 bm) breached  no       -                         1
e    -      old    never              breached  no       Unresponsive (no time)    0
f    ghost  old    never              breached  no       -                         0
g    r1     old    never              breached  no       -                         0
h    r1     young  never (60 bm)      pending   pending  -                         0
i    r2     young  +5 min             met       pending  -                         1        yes
j    r1     young  never (60 bm)      pending   pending  Wrong Timing (30 min)     0
k    r1     old    +3 min (high)      met       no       -                         1

handoffs 11; assigned (owner a known rep) 9: all but e (none) and f ("ghost");
contacted 6 (a, b, c, d, i, k); never contacted 5.
"""

from __future__ import annotations

import pandas as pd
import pytest

from handmade import act, build_model, lead, meet, minutes_after

AS_OF = "2026-06-26T21:00:00Z"
OLD = "2026-06-02T14:00:00Z"
YOUNG = "2026-06-26T20:00:00Z"


@pytest.fixture(scope="module")
def model():
    reps = [{"rep_id": "r1", "name": "Ann", "team": "East", "timezone": "America/New_York", "country": "US"},
            {"rep_id": "r2", "name": "Bo", "team": "West", "timezone": "America/New_York", "country": "US"}]
    leads = [
        lead("a", OLD, disposition="Qualified", disposition_at="2026-06-03T14:00:00Z", sql_at="2026-06-05T14:00:00Z"),
        lead("b", OLD, disposition="Qualified", disposition_at="2026-06-05T14:00:00Z"),
        lead("c", OLD, owner_id="r2", disposition="Bad Fit", disposition_at="2026-06-03T14:00:00Z"),
        lead("d", OLD),
        lead("e", OLD, owner_id=None, disposition="Unresponsive"),  # no disposition_at
        lead("f", OLD, owner_id="ghost"),
        lead("g", OLD),
        lead("h", YOUNG),
        lead("i", "2026-06-26T19:00:00Z", owner_id="r2", sql_at="2026-06-26T20:00:00Z"),
        lead("j", YOUNG, disposition="Wrong Timing", disposition_at="2026-06-26T20:30:00Z"),
        lead("k", OLD, source="Demo request"),
    ]
    days = ["2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05", "2026-06-08", "2026-06-09"]
    acts = [act("a1", "a", minutes_after(OLD, 10))] + [act(f"a{n}", "a", f"{d}T19:00:00Z") for n, d in enumerate(days[1:], 2)]
    acts += [act("b1", "b", minutes_after(OLD, 20)), act("c1", "c", minutes_after(OLD, 30)),
             act("d1", "d", "2026-06-03T16:00:00Z"), act("i1", "i", "2026-06-26T19:05:00Z"),
             act("k1", "k", minutes_after(OLD, 3))]
    meetings = [meet("ma", "a", "2026-06-03T15:00:00Z"), meet("mc", "c", "2026-06-04T15:00:00Z")]
    return build_model(reps=reps, leads=leads, activities=acts, meetings=meetings, as_of=AS_OF)


@pytest.fixture(scope="module")
def overall(model):
    return model.metrics("all").iloc[0]


def test_the_fixture_is_as_worked_out(model):
    out = model.lead_handoff().set_index("lead_id")
    assert out["sla_status"].to_dict() == {
        "a": "met", "b": "met", "c": "met", "d": "breached", "e": "breached", "f": "breached",
        "g": "breached", "h": "pending", "i": "met", "j": "pending", "k": "met"}
    assert out["touches_in_window"].to_dict() == {
        "a": 6, "b": 1, "c": 1, "d": 1, "e": 0, "f": 0, "g": 0, "h": 0, "i": 1, "j": 0, "k": 1}
    assert out.loc["d", "response_business_minutes"] == 600  # 7 h Tue + 3 h Wed


def test_counts(overall):
    assert (overall["handoffs"], overall["assigned"], overall["contacted"], overall["never_contacted"]) == (11, 9, 6, 5)
    assert (overall["met"], overall["breached"], overall["pending"]) == (5, 4, 2)


def test_sla_compliance_excludes_pending(overall):
    assert overall["sla_compliance"] == pytest.approx(5 / 9), "met 5 / (met 5 + breached 4); not / 11 handoffs"


def test_never_contacted_rate_is_over_all_handoffs(overall):
    # assigned or not, pending or not: 5 never contacted / 11 handoffs
    assert overall["never_contacted_rate"] == pytest.approx(5 / 11)


def test_assigned_vs_contacted_gap(overall):
    # assigned share 9/11 - contacted share 6/11 = 3/11
    assert overall["assigned_contacted_gap"] == pytest.approx(3 / 11)


def test_acceptance_rate_is_over_dispositioned_handoffs(overall):
    # Qualified: a, b. Dispositioned: a, b, c, e (no time, still a disposition), j = 5. 2/5 (not 2/11).
    assert (overall["dispositioned"], overall["accepted"]) == (5, 2)
    assert overall["acceptance_rate"] == pytest.approx(2 / 5)


def test_disposition_on_time_rate_is_over_dispositioned_handoffs(overall):
    # within 48 h: a (24 h), c (24 h), j (30 min) = 3 of 5 dispositioned; b (72 h) is late and
    # e, without a disposition time, is not on time (but is dispositioned).
    assert overall["disposition_on_time_rate"] == pytest.approx(3 / 5)


def test_handoff_to_meeting_rate_is_over_a_mature_group_only(model, overall):
    # decided: the 8 old leads (window over); h, i, j pending. Meetings in window: a, c.
    # The selection holds young handoffs, so it is not mature: no rate and no band (2/8 over the
    # decided ones would count the young leads that already booked and leave out the rest).
    assert (overall["meeting_decided"], overall["meetings_in_window"]) == (8, 2)
    assert not overall["mature"]
    assert pd.isna(overall["handoff_to_meeting_rate"]) and pd.isna(overall["meeting_band"])
    assert overall["booked_so_far"] == pytest.approx(2 / 11)
    # the projection learns from the mature week of 06-01 (the 8 old leads, 2 meetings): the
    # young h, i, j are 0 whole business days old, h(0) = 2/8 -> (2 + 3 x 2/8) / 11
    assert overall["projected"] == pytest.approx((2 + 3 * 2 / 8) / 11)
    # the week of the old leads is mature: 2 meetings / 8 handoffs, 25%: >= 25% acceptable
    old = model.metrics("week").iloc[0]
    assert old["mature"] and old["handoff_to_meeting_rate"] == pytest.approx(2 / 8)
    assert old["meeting_band"] == "acceptable"


def test_cadence_rate_and_average_touches_are_over_all_handoffs(overall):
    assert overall["cadence_rate"] == pytest.approx(1 / 11)  # only a has 6 touches
    assert overall["avg_touches_in_window"] == pytest.approx(11 / 11)  # 6 + 1 + 1 + 1 + 1 + 1 = 11


def test_sql_rate_is_over_all_handoffs(overall):
    assert overall["sql_rate"] == pytest.approx(2 / 11)  # a and i


def test_response_quantiles_are_over_contacted_handoffs(overall):
    # contacted response business minutes: 3, 5, 10, 20, 30, 600 -> median (10 + 20) / 2 = 15;
    # p90 at position 0.9 x 5 = 4.5: 30 + 0.5 x (600 - 30) = 315.
    assert overall["median_response_business_minutes"] == pytest.approx(15)
    assert overall["p90_response_business_minutes"] == pytest.approx(315)


def test_per_rep_denominators(model):
    reps = model.metrics("rep").set_index("group")
    # r1: a, b, d, g, h, j, k = 7; never contacted g, h, j = 3; met a, b, k; breached d, g;
    # pending h, j -> compliance 3/5; dispositioned a, b, j: Qualified 2 -> 2/3.
    r1 = reps.loc["r1"]
    assert (r1["handoffs"], r1["never_contacted"]) == (7, 3)
    assert r1["never_contacted_rate"] == pytest.approx(3 / 7)
    assert r1["sla_compliance"] == pytest.approx(3 / 5)
    assert r1["acceptance_rate"] == pytest.approx(2 / 3)
    # the owner as the lead has it: "ghost" (no such rep) is its own row; no owner is "(unassigned)".
    assert reps.loc["ghost", "handoffs"] == 1 and reps.loc["(unassigned)", "handoffs"] == 1
    assert reps.loc["ghost", "assigned"] == 0


def test_per_team_denominators(model):
    teams = model.metrics("team").set_index("group")
    # West (r2): c met, i met -> 2/2; meeting decided c only (i young): not mature, so no
    # rate (1/1 over the decided would be a young result); booked so far 1 of 2.
    west = teams.loc["West"]
    assert (west["handoffs"], west["sla_compliance"]) == (2, 1.0)
    assert west["meeting_decided"] == 1 and not west["mature"]
    assert pd.isna(west["handoff_to_meeting_rate"]) and west["booked_so_far"] == pytest.approx(1 / 2)
    # e (no owner) and f (unknown owner) have no team.
    assert teams.loc["(unassigned)", "handoffs"] == 2
