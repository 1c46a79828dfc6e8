"""Every metric definition of the design on small hand-made data, numbers worked by hand.

Unless a test says otherwise: rep r1 works in New York (US holidays), 09:00-17:00, and
Tue 2026-06-02 is a plain business day on EDT (UTC-4), so 14:00Z is 10:00 local.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from handoff.model import Filters
from handoff.policy import Policy
from handmade import build_model, facts

T0 = "2026-06-02T14:00:00Z"  # Tue 10:00 EDT


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def lead(lead_id: str, mql_at: str | None = T0, **extra) -> dict:
    return {"lead_id": lead_id, "created_at": mql_at or T0, "mql_at": mql_at, "owner_id": "r1", "source": "Webinar"} | extra


def act(aid: str, lead_id: str, at: str, **extra) -> dict:
    return {"activity_id": aid, "lead_id": lead_id, "occurred_at": at, "type": "call"} | extra


def meet(mid: str, lead_id: str, at: str, **extra) -> dict:
    return {"meeting_id": mid, "lead_id": lead_id, "booked_at": at} | extra


def test_tier_from_lead_then_source_map_then_low(ny_rep):
    leads = [
        lead("own", tier="medium", source="Demo request"),
        lead("map", source="  demo REQUEST "),
        lead("trial", source="Free trial"),
        lead("other", source="Podcast"),
        lead("none", source=None),
    ]
    out = facts(build_model(reps=[ny_rep], leads=leads))
    assert {k: v["tier"] for k, v in out.items()} == {
        "own": "medium", "map": "high", "trial": "medium", "other": "low", "none": "low",
    }
    assert out["map"]["sla_target_business_minutes"] == 5
    assert out["trial"]["sla_target_business_minutes"] == 60
    assert out["other"]["sla_target_business_minutes"] == 480


def test_only_qualifying_touches_count(ny_rep):
    # Before mql_at, inbound, automated and `other` activities are not touches; the first
    # qualifying one is the email at 10:20 (20 minutes), though a call comes at 10:30.
    acts = [
        act("before", "L", "2026-06-02T13:59:00Z"),
        act("inbound", "L", "2026-06-02T14:01:00Z", direction="inbound"),
        act("auto", "L", "2026-06-02T14:02:00Z", type="email", is_automated=True),
        act("other", "L", "2026-06-02T14:03:00Z", type="other"),
        act("email", "L", "2026-06-02T14:20:00Z", type="email", rep_id="r9"),
        act("call", "L", "2026-06-02T14:30:00Z"),
    ]
    out = facts(build_model(reps=[ny_rep], leads=[lead("L")], activities=acts))["L"]
    assert out["first_touch_at"] == ts("2026-06-02T14:20:00Z")
    assert out["response_minutes"] == 20
    assert out["response_business_minutes"] == 20
    assert out["speed_bucket"] == "5-30m"
    assert out["touches_in_window"] == 2


def test_touch_at_mql_counts_and_response_at_target_is_met(ny_rep):
    leads = [lead("zero", source="Demo request"), lead("at", source="Demo request"), lead("over", source="Demo request")]
    acts = [
        act("a", "zero", T0),  # 0 minutes
        act("b", "at", "2026-06-02T14:05:00Z"),  # exactly the 5-minute target: met, 0-5m
        act("c", "over", "2026-06-02T14:05:01Z"),  # one second over: breached, 5-30m
    ]
    out = facts(build_model(reps=[ny_rep], leads=leads, activities=acts))
    assert (out["zero"]["sla_status"], out["zero"]["speed_bucket"]) == ("met", "0-5m")
    assert (out["at"]["sla_status"], out["at"]["speed_bucket"]) == ("met", "0-5m")
    assert (out["over"]["sla_status"], out["over"]["speed_bucket"]) == ("breached", "5-30m")


def test_a_booking_is_contact_whatever_its_status(ny_rep):
    # A canceled meeting booked at 10:10 is the first touch; the call comes at 11:00.
    out = facts(build_model(
        reps=[ny_rep], leads=[lead("L")],
        activities=[act("a", "L", "2026-06-02T15:00:00Z")],
        meetings=[meet("m", "L", "2026-06-02T14:10:00Z", status="canceled")],
    ))["L"]
    assert out["first_touch_at"] == ts("2026-06-02T14:10:00Z")
    assert out["meeting_in_window"] is pd.NA or out["meeting_in_window"] is None or out["meeting_in_window"] is False


def test_untouched_is_pending_until_target_then_breached(ny_rep):
    # Free trial (medium, 60 minutes). As of 11:00 EDT the lead has waited exactly 60
    # business minutes: pending. The other lead, MQL one minute earlier, has waited 61.
    leads = [lead("p", source="Free trial"), lead("b", mql_at="2026-06-02T13:59:00Z", source="Free trial")]
    out = facts(build_model(reps=[ny_rep], leads=leads, as_of="2026-06-02T15:00:00Z"))
    assert out["p"]["sla_status"] == "pending"
    assert out["b"]["sla_status"] == "breached"
    assert out["p"]["speed_bucket"] == "never"
    assert out["p"]["age_business_minutes"] == 60


def test_speed_bucket_bounds_are_inclusive(ny_rep):
    minutes = {"b5": 5, "b30": 30, "b60": 60, "b240": 240, "b1440": 1440, "b4320": 4320, "b4321": 4321}
    leads = [lead(k) for k in minutes]
    acts = [act(f"a{k}", k, (ts(T0) + pd.Timedelta(minutes=m)).isoformat()) for k, m in minutes.items()]
    out = facts(build_model(reps=[ny_rep], leads=leads + [lead("none")], activities=acts))
    assert {k: out[k]["speed_bucket"] for k in minutes} == {
        "b5": "0-5m", "b30": "5-30m", "b60": "30-60m", "b240": "1-4h",
        "b1440": "4-24h", "b4320": "1-3d", "b4321": "3d+",
    }
    assert out["none"]["speed_bucket"] == "never"


def test_meeting_in_window_true_false_pending(ny_rep):
    # Window: Tue 06-02 10:00 EDT + 4,800 business minutes = Tue 06-16 10:00 EDT (14:00Z).
    leads = [lead("yes"), lead("late"), lead("canceled"), lead("none"), lead("young", mql_at="2026-06-10T14:00:00Z")]
    meetings = [
        meet("m1", "yes", "2026-06-16T14:00:00Z"),  # exactly at window_end: in
        meet("m2", "late", "2026-06-16T14:00:01Z"),  # one second later: out
        meet("m3", "canceled", "2026-06-03T14:00:00Z", status="canceled"),
    ]
    out = facts(build_model(reps=[ny_rep], leads=leads, meetings=meetings, as_of="2026-06-20T00:00:00Z"))
    assert out["yes"]["window_end"] == ts("2026-06-16T14:00:00Z")
    assert out["yes"]["meeting_in_window"] is True
    assert out["late"]["meeting_in_window"] is False
    assert out["canceled"]["meeting_in_window"] is False
    assert out["none"]["meeting_in_window"] is False
    assert out["young"]["meeting_in_window"] is pd.NA or out["young"]["meeting_in_window"] is None


def test_touches_in_window_stop_at_window_end_and_as_of(ny_rep):
    acts = [act(f"a{i}", "L", f"2026-06-{d:02d}T15:00:00Z") for i, d in enumerate([2, 3, 4, 15, 17])]
    out = facts(build_model(reps=[ny_rep], leads=[lead("L")], activities=acts, as_of="2026-06-30T00:00:00Z"))
    # window ends 06-16 14:00Z: touches on 06-02, 03, 04 and 15 count; 06-17 does not.
    assert out["L"]["touches_in_window"] == 4
    assert out["L"]["cadence_met"] is False  # target 6
    relaxed = facts(build_model(Policy(cadence_target=4), reps=[ny_rep], leads=[lead("L")], activities=acts,
                                as_of="2026-06-30T00:00:00Z"))
    assert relaxed["L"]["cadence_met"] is True
    out = facts(build_model(reps=[ny_rep], leads=[lead("L")], activities=acts, as_of="2026-06-03T16:00:00Z"))
    assert out["L"]["touches_in_window"] == 2


def test_disposition_on_time_is_48_wall_clock_hours(ny_rep):
    leads = [
        lead("on", disposition="Qualified", disposition_at="2026-06-04T14:00:00Z"),  # exactly 48 h
        lead("late", disposition="Bad Fit", disposition_at="2026-06-04T14:01:00Z"),
        lead("none"),
    ]
    out = facts(build_model(reps=[ny_rep], leads=leads, as_of="2026-06-10T00:00:00Z"))
    assert out["on"]["disposition_on_time"] is True
    assert out["late"]["disposition_on_time"] is False
    assert out["none"]["disposition_on_time"] is pd.NA or out["none"]["disposition_on_time"] is None


def test_unassigned_and_unknown_owner_use_company_calendar():
    # Company calendar: UTC, business 09:00-17:00 UTC. MQL 14:00Z, touch 18:00Z: 3 business
    # minutes hours = 180 minutes in the company calendar (it would be 240 in New York).
    rep = {"rep_id": "r1", "timezone": "America/New_York", "country": "US", "active": False}
    leads = [lead("none", owner_id=None), lead("ghost", owner_id="00G-queue"), lead("inactive")]
    acts = [act(f"a{k}", k, "2026-06-02T18:00:00Z") for k in ("none", "ghost", "inactive")]
    out = facts(build_model(reps=[rep], leads=leads, activities=acts))
    assert out["none"]["response_business_minutes"] == 180
    assert out["ghost"]["response_business_minutes"] == 180
    assert out["ghost"]["owner_id"] == "00G-queue" and out["ghost"]["assigned"] is False
    assert out["inactive"]["response_business_minutes"] == 240  # an inactive rep keeps their calendar
    assert out["inactive"]["assigned"] is True


def test_routing_delay_and_rep_delay(ny_rep):
    # MQL 10:00, assigned 10:30, touched 10:45: routing 30, rep 15, total 45.
    leads = [lead("L", assigned_at="2026-06-02T14:30:00Z")]
    out = facts(build_model(reps=[ny_rep], leads=leads, activities=[act("a", "L", "2026-06-02T14:45:00Z")]))["L"]
    assert (out["routing_business_minutes"], out["rep_business_minutes"]) == (30, 15)
    assert out["response_business_minutes"] == 45


def test_events_after_as_of_have_not_happened(ny_rep):
    leads = [lead("L", disposition="Qualified", disposition_at="2026-06-05T00:00:00Z", sql_at="2026-06-05T00:00:00Z"),
             lead("future", mql_at="2026-06-04T00:00:00Z")]
    model = build_model(reps=[ny_rep], leads=leads, activities=[act("a", "L", "2026-06-03T14:00:00Z")],
                        as_of="2026-06-02T20:00:00Z")
    out = facts(model)
    assert set(out) == {"L"}
    assert out["L"]["first_touch_at"] is pd.NaT or pd.isna(out["L"]["first_touch_at"])
    assert out["L"]["disposition"] is None and out["L"]["is_sql"] is False


def test_default_as_of_is_latest_event(ny_rep):
    model = build_model(reps=[ny_rep], leads=[lead("L")], activities=[act("a", "L", "2026-06-03T14:00:00Z")],
                        meetings=[meet("m", "L", "2026-06-05T14:00:00Z")])
    assert pd.Timestamp(model.as_of) == ts("2026-06-05T14:00:00Z")


def aggregate_fixture(ny_rep):
    """Six handoffs (Webinar: low tier, 480 business minutes), as of Fri 06-26 (window over):

    lead  touch after  SLA       meeting  disposition
    a     10 min       met       yes      Qualified
    b     20 min       met       no       Qualified
    c     30 min       met       yes      Bad Fit
    d     600 min*     breached  no       -
    e     never        breached  no       Unresponsive
    f     never, MQL 06-26 16:00 EDT: pending (60 of 480 business minutes), window open
    * d: touched Wed 06-03 12:00 EDT = 7 h Tue + 3 h Wed = 600 business minutes.
    """
    rep2 = {"rep_id": "r2", "name": "Bo", "team": "West", "timezone": "America/New_York", "country": "US"}
    leads = [
        lead("a", disposition="Qualified"), lead("b", disposition="Qualified"),
        lead("c", disposition="Bad Fit", owner_id="r2"), lead("d"),
        lead("e", disposition="Unresponsive", owner_id=None),
        lead("f", mql_at="2026-06-26T20:00:00Z"),
    ]
    acts = [act("a1", "a", "2026-06-02T14:10:00Z"), act("b1", "b", "2026-06-02T14:20:00Z"),
            act("c1", "c", "2026-06-02T14:30:00Z"), act("d1", "d", "2026-06-03T16:00:00Z")]
    meetings = [meet("ma", "a", "2026-06-03T14:00:00Z"), meet("mc", "c", "2026-06-04T14:00:00Z")]
    return build_model(reps=[ny_rep, rep2], leads=leads, activities=acts, meetings=meetings,
                       as_of="2026-06-26T21:00:00Z")


def test_aggregates_by_hand(ny_rep):
    m = aggregate_fixture(ny_rep).metrics("all").iloc[0]
    assert m["handoffs"] == 6
    assert m["sla_compliance"] == pytest.approx(3 / 5)  # 3 met / (3 met + 2 breached); f pending
    assert m["pending"] == 1
    assert m["never_contacted_rate"] == pytest.approx(2 / 6)
    # assigned share 5/6 (e has no owner), contacted share 4/6: gap 1/6
    assert m["assigned_contacted_gap"] == pytest.approx(1 / 6)
    # response business minutes of contacted leads: 10, 20, 30, 600
    assert m["median_response_business_minutes"] == pytest.approx(25)
    # p90, linear interpolation: position 0.9 * 3 = 2.7 -> 30 + 0.7 * (600 - 30) = 429
    assert m["p90_response_business_minutes"] == pytest.approx(429)
    # meetings: a and c in window; decided a..e (5), f pending: the selection is not mature, so
    # it has no rate (young results are never shown); the mature week of a..e has 2/5 = 40%:
    # excellent
    assert not m["mature"] and pd.isna(m["handoff_to_meeting_rate"]) and pd.isna(m["meeting_band"])
    assert m["booked_so_far"] == pytest.approx(2 / 6)
    week = aggregate_fixture(ny_rep).metrics("week").iloc[0]
    assert week["mature"] and week["handoff_to_meeting_rate"] == pytest.approx(0.4)
    assert week["meeting_band"] == "excellent"
    # acceptance: Qualified 2 of 4 dispositioned
    assert m["acceptance_rate"] == pytest.approx(0.5)


def test_aggregates_by_group_and_filters(ny_rep):
    model = aggregate_fixture(ny_rep)
    by_rep = model.metrics("rep").set_index("group")
    assert by_rep.loc["r1", "handoffs"] == 4 and by_rep.loc["r2", "handoffs"] == 1
    assert by_rep.loc["(unassigned)", "handoffs"] == 1
    east = model.metrics("all", Filters(teams=("East",))).iloc[0]
    assert east["handoffs"] == 4
    assert east["sla_compliance"] == pytest.approx(2 / 3)  # a, b met; d breached; f pending
    speed = model.speed_conversion(mature_weeks_only=True).set_index("speed_bucket")
    # over the mature week (a..e; f is young): a, b, c answered in 10, 20 and 30 minutes (bounds
    # inclusive): 5-30m, meetings a and c; never: e, no meeting
    assert speed.loc["5-30m", "handoffs"] == 3 and speed.loc["5-30m", "meeting_rate"] == pytest.approx(2 / 3)
    assert speed.loc["never", "meeting_rate"] == 0 and speed.loc["never", "handoffs"] == 1
    # over every week, the never bucket holds the young f: not mature, no rate
    assert pd.isna(model.speed_conversion().set_index("speed_bucket").loc["never", "meeting_rate"])
    # e breached long ago, but its window closed 06-16: off the call list; f has 420 business
    # minutes left, so it is on the list once the warning reaches back 420 minutes
    assert list(model.breach_queue(warn_minutes=480)["lead_id"]) == ["f"]
    assert list(model.breach_queue(warn_minutes=420)["stage"]) == ["warning"]
    assert model.breach_queue(warn_minutes=419.9).empty
    assert model.breach_queue().empty


@pytest.mark.parametrize(
    "rate,band",
    [(0.40, "excellent"), (0.3999, "acceptable"), (0.25, "acceptable"), (0.15, "below average"),
     (0.1499, "critical"), (None, None)],
)
def test_bands(rate, band):
    assert Policy().bands.band(rate) == band
