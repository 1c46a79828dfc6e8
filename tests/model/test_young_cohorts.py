"""Young cohorts (DESIGN "Young cohorts"): only a mature group has a handoff-to-meeting rate
and a band; a younger one has booked so far (a floor), the date it matures and a projection
from the booking curve h(d) of the latest mature MQL weeks of the same selection.

Rep r1 works in New York (EDT = UTC-4), 09:00-17:00, without public holidays (no country on
the rep, none in the policy). A business day is 8 h. As of Wed 2026-06-24 18:00Z = 14:00 EDT.

Week A (Mon 06-01), every lead handed off Tue 06-02 10:00 EDT (14:00Z); its windows ended Tue
06-16 10:00 EDT, so the week is mature. Booking after mql_at, in business days:

lead  booked                          business days   meeting_in_window
a1    Tue 06-02 14:00 EDT (18:00Z)    0.5             true
a2    Wed 06-03 10:00 EDT (14:00Z)    1.0             true
a3    Fri 06-05 14:00 EDT (18:00Z)    3.5             true
a4    -                               -               false
a5    -                               -               false

h(d) = among week A's handoffs not booked within d business days (booking > d, or none), the
share that booked within the window:
  h(0) = {a1, a2, a3, a4, a5}: 3 booked / 5 = 3/5
  h(1) = {a3, a4, a5} (a2 booked at exactly 1.0: within 1 day): 1/3
  h(2) = h(3) = {a3, a4, a5}: 1/3
  h(4) = {a4, a5}: 0/2 = 0

Week C (Mon 06-15): c1 handed off Mon 06-15 10:00 EDT, booked the same day (decided); c2 handed
off Fri 06-19 10:00 EDT, not booked, window open (ends Fri 07-03 10:00 EDT). Elapsed for c2:
Fri 7 h + Mon 8 h + Tue 8 h + Wed 5 h = 28 h = 3.5 days -> d = 3 -> h(3) = 1/3.
  booked so far 1/2; projected (1 + 1/3) / 2 = 2/3; matures 07-03 14:00Z.

Week B (Mon 06-22):
lead  MQL (EDT)         elapsed at as_of            d   outcome         expectation
y1    Mon 06-22 10:00   7 + 8 + 5 = 20 h = 2.5 bd   2   open            h(2) = 1/3
y2    Wed 06-24 10:00   4 h = 0.5 bd                0   open            h(0) = 3/5
y3    Tue 06-23 10:00   -                           -   booked 11:00    1
y4    Tue 06-23 09:00   8 + 5 = 13 h = 1.625 bd     1   open            h(1) = 1/3
  booked so far 1/4; projected (1 + 1/3 + 3/5 + 1/3) / 4 = (34/15) / 4 = 17/30;
  matures at y2's window_end: 10 business days after Wed 06-24 10:00 EDT = Wed 07-08 10:00 EDT.

Weeks B and C are not mature, so they are not in the reference: only week A is.
"""

from __future__ import annotations

import pandas as pd
import pytest
from handmade import build_model, lead, meet

import handoff.model as model_package
from handoff.model import Filters, views

AS_OF = "2026-06-24T18:00:00Z"
REP = {"rep_id": "r1", "name": "Ann", "team": "East", "timezone": "America/New_York"}
A = "2026-06-02T14:00:00Z"


def week_a() -> tuple[list[dict], list[dict]]:
    leads = [lead(f"a{i}", A) for i in range(1, 6)]
    meetings = [
        meet("ma1", "a1", "2026-06-02T18:00:00Z"),
        meet("ma2", "a2", "2026-06-03T14:00:00Z"),
        meet("ma3", "a3", "2026-06-05T18:00:00Z"),
    ]
    return leads, meetings


def young_weeks() -> tuple[list[dict], list[dict]]:
    leads = [
        lead("c1", "2026-06-15T14:00:00Z"),
        lead("c2", "2026-06-19T14:00:00Z"),
        lead("y1", "2026-06-22T14:00:00Z"),
        lead("y2", "2026-06-24T14:00:00Z"),
        lead("y3", "2026-06-23T14:00:00Z"),
        lead("y4", "2026-06-23T13:00:00Z"),
    ]
    meetings = [meet("mc1", "c1", "2026-06-15T16:00:00Z"), meet("my3", "y3", "2026-06-23T15:00:00Z")]
    return leads, meetings


@pytest.fixture(scope="module")
def model():
    a_leads, a_meetings = week_a()
    y_leads, y_meetings = young_weeks()
    return build_model(reps=[REP], leads=a_leads + y_leads, meetings=a_meetings + y_meetings, as_of=AS_OF)


@pytest.fixture(scope="module")
def weeks(model) -> pd.DataFrame:
    frame = model.metrics("week")
    frame.index = [pd.Timestamp(w).date().isoformat() for w in frame["group"]]
    return frame


def test_per_lead_inputs_of_the_curve(model):
    facts = model.lead_handoff().set_index("lead_id")
    assert facts.loc[["a1", "a2", "a3"], "booking_business_days"].tolist() == [0.5, 1.0, 3.5]
    assert facts.loc[["a4", "a5", "y1"], "booking_business_days"].isna().all()
    assert facts.loc[["y1", "y2", "y4", "c2"], "elapsed_business_days"].tolist() == [2, 0, 1, 3]


def test_maturity_per_week(weeks):
    assert weeks["mature"].to_dict() == {"2026-06-01": True, "2026-06-15": False, "2026-06-22": False}


def test_only_the_mature_week_has_a_rate_and_a_band(weeks):
    a = weeks.loc["2026-06-01"]
    assert a["handoff_to_meeting_rate"] == pytest.approx(3 / 5)
    assert a["meeting_band"] == "excellent"  # 60% >= 40%
    assert pd.isna(a["projected"]) and pd.isna(a["matures_at"])
    for week in ("2026-06-15", "2026-06-22"):
        assert pd.isna(weeks.loc[week, "handoff_to_meeting_rate"]), week
        assert pd.isna(weeks.loc[week, "meeting_band"]), week


def test_booked_so_far_is_a_floor_over_all_handoffs(weeks):
    assert weeks.loc["2026-06-22", "booked_so_far"] == pytest.approx(1 / 4)  # y3 of y1..y4
    assert weeks.loc["2026-06-15", "booked_so_far"] == pytest.approx(1 / 2)  # c1 of c1, c2
    assert weeks.loc["2026-06-01", "booked_so_far"] == pytest.approx(3 / 5)  # = its rate


def test_matures_at_is_the_latest_window_end(weeks):
    assert weeks.loc["2026-06-22", "matures_at"] == pd.Timestamp("2026-07-08T14:00:00Z")  # y2's
    assert weeks.loc["2026-06-15", "matures_at"] == pd.Timestamp("2026-07-03T14:00:00Z")  # c2's


def test_the_projection_adds_h_of_d_for_each_open_handoff(weeks):
    # week B: (1 meeting + h(2) + h(0) + h(1)) / 4 = (1 + 1/3 + 3/5 + 1/3) / 4 = 17/30
    assert weeks.loc["2026-06-22", "projected"] == pytest.approx(17 / 30)
    # week C: (1 meeting + h(3)) / 2 = (1 + 1/3) / 2 = 2/3
    assert weeks.loc["2026-06-15", "projected"] == pytest.approx(2 / 3)


def test_the_expectation_of_each_handoff(model):
    rows = model.lead_handoff(columns=["lead_id", "meeting_expectation", "week_mature"]).set_index("lead_id")
    expected = {
        "a1": 1,
        "a2": 1,
        "a3": 1,
        "a4": 0,
        "a5": 0,
        "c1": 1,
        "c2": 1 / 3,
        "y1": 1 / 3,
        "y2": 3 / 5,
        "y3": 1,
        "y4": 1 / 3,
    }
    assert rows["meeting_expectation"].to_dict() == pytest.approx(expected)
    assert rows.loc["a1", "week_mature"] and not rows.loc["y1", "week_mature"]


def test_every_grouping_of_a_young_selection(model):
    overall = model.metrics("all").iloc[0]
    # 11 handoffs, 5 meetings (a1-a3, c1, y3); open: c2, y1, y2, y4
    assert not overall["mature"]
    assert pd.isna(overall["handoff_to_meeting_rate"]) and pd.isna(overall["meeting_band"])
    assert overall["booked_so_far"] == pytest.approx(5 / 11)
    assert overall["projected"] == pytest.approx((5 + 1 / 3 + 1 / 3 + 3 / 5 + 1 / 3) / 11)


def test_the_curve_comes_from_the_same_selection(model):
    """Selecting only weeks B and C leaves no mature week: booked so far, but no projection."""
    young = Filters(date_from=pd.Timestamp("2026-06-15").date())
    frame = model.metrics("week", young)
    assert not frame["mature"].any()
    assert frame["projected"].isna().all()
    assert frame["booked_so_far"].notna().all()


def test_a_mature_week_older_than_the_reference_is_not_learnt_from(monkeypatch):
    """Week Z (Mon 05-25) is mature and booked everything within half a day. With the 8 latest
    mature weeks it is part of the curve; with only the latest one (week A) it is not."""
    a_leads, a_meetings = week_a()
    y_leads, y_meetings = young_weeks()
    z_leads = [lead("z1", "2026-05-26T14:00:00Z"), lead("z2", "2026-05-26T14:00:00Z")]
    z_meetings = [meet("mz1", "z1", "2026-05-26T15:00:00Z"), meet("mz2", "z2", "2026-05-26T15:00:00Z")]
    tables = dict(
        reps=[REP], leads=a_leads + y_leads + z_leads, meetings=a_meetings + y_meetings + z_meetings, as_of=AS_OF
    )

    def week_b(model) -> pd.Series:
        frame = model.metrics("week")
        return frame[frame["group"] == pd.Timestamp("2026-06-22")].iloc[0]

    # both weeks: h(0) = 3 of 7 (z1, z2 booked at 1/8 day > 0: still at risk at d = 0) -> 5/7;
    # h(1) = h(2) = 1/3 (z1, z2 booked within a day); (1 + 1/3 + 5/7 + 1/3) / 4
    assert week_b(build_model(**tables))["projected"] == pytest.approx((1 + 1 / 3 + 5 / 7 + 1 / 3) / 4)
    monkeypatch.setattr(model_package, "PROJECTION_WEEKS", 1)
    assert week_b(build_model(**tables))["projected"] == pytest.approx(17 / 30)


def test_dispositions_and_pipeline_are_so_far_until_final(weeks):
    a, b = weeks.loc["2026-06-01"], weeks.loc["2026-06-22"]
    assert a["dispositions_final"] and a["pipeline_final"]
    # week B's latest mql_at is Wed 06-24 14:00Z: its dispositions are final 48 h later
    assert not b["dispositions_final"]
    assert b["dispositions_final_at"] == pd.Timestamp("2026-06-26T14:00:00Z")
    assert not b["pipeline_final"] and b["pipeline_final_at"] == pd.Timestamp("2026-07-08T14:00:00Z")


def test_this_week_shows_no_result_for_a_young_week(model):
    summary = views.this_week(model, Filters(), pd.Timestamp("2026-06-22").date()).set_index("metric")
    rate = summary.loc["handoff_to_meeting_rate"]
    assert pd.isna(rate["current"]) and pd.isna(rate["change"]) and pd.isna(rate["vs_target"])
    assert not rate["final"]
    assert summary["band"].iloc[0] is None
    assert summary.loc["booked_so_far", "current"] == pytest.approx(1 / 4)
    assert summary.loc["projected", "current"] == pytest.approx(17 / 30)
    pipeline = summary.loc["pipeline_amount"]
    assert not pipeline["final"] and pd.isna(pipeline["change"]), "no change of a value still so far"


def test_no_immature_group_carries_a_band_on_the_sample():
    from handoff.data import sample
    from handoff.model import Model
    from handoff.model.dimensions import GROUPS
    from handoff.policy import Policy

    policy = Policy()
    model = Model(sample(policy).store.con, policy)
    for group in GROUPS:
        frame = model.metrics(group)
        young = frame[~frame["mature"].astype(bool)]
        assert young["meeting_band"].isna().all(), group
        assert young["handoff_to_meeting_rate"].isna().all(), group
        old = frame[frame["mature"].astype(bool)]
        assert old["projected"].isna().all(), group
        assert old["handoff_to_meeting_rate"].notna().all(), group
    weeks = model.metrics("week")
    assert weeks["mature"].any() and not weeks["mature"].all()


def test_the_leak_calibration_learns_from_mature_handoffs_only():
    """Week A's five handoffs (mature) are touched; so are the six of weeks B and C (young).
    The calibration counts week A's only and says how many it left out."""
    from handmade import act, minutes_after

    a_leads, a_meetings = week_a()
    y_leads, y_meetings = young_weeks()
    acts = [act(f"x{row['lead_id']}", row["lead_id"], minutes_after(row["mql_at"], 10)) for row in a_leads + y_leads]
    model = build_model(
        reps=[REP], leads=a_leads + y_leads, meetings=a_meetings + y_meetings, activities=acts, as_of=AS_OF
    )
    calibration = views.leak_calibration(model, Filters(), metric="meeting")
    assert int(calibration.table["n"].sum()) == 5  # a1..a5, all in the 5-30m bucket
    assert calibration.table.loc["5-30m", "converted"] == 3  # a1, a2, a3 booked
    assert calibration.inputs.best_conversion == pytest.approx(3 / 5)
    assert any("6 handoff(s) of MQL weeks that are not mature" in w for w in calibration.warnings)
