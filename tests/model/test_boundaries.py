"""The closed bounds of the metric definitions, each tested on both sides, by hand.

Rep r1 works in New York (America/New_York, EDT = UTC-4 in June, US holidays), 09:00-17:00.
June 2026: Mon 06-01 ... Fri 06-05, Mon 06-08 ... Fri 06-12, Mon 06-15 ... Thu 06-18;
Fri 06-19 is Juneteenth (a US public holiday). Local times are EDT; 10:00 EDT = 14:00Z.
"""

from __future__ import annotations

import pandas as pd
import pytest

from handoff.policy import Policy
from handmade import T0, act, build_model, facts, lead, meet, minutes_after


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


def second_after(at: str) -> str:
    return minutes_after(at, 1 / 60)


def is_pending(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


# -- SLA: exactly at the target is met; untouched exactly at the target is still pending ------------
def test_response_exactly_at_the_target_in_business_minutes_is_met(ny_rep):
    # low (Webinar, 480): MQL Tue 10:00, touch Wed 10:00 = 7 h Tue + 1 h Wed = 480: met;
    # one second later: breached. Wall clock 24 h = 1,440 minutes: bucket 4-24h (<= 1440).
    # medium (Free trial, 60): MQL Tue 16:30, touch Wed 09:30 = 30 + 30 = 60: met, though
    # 17 h (1,020 wall-clock minutes) passed.
    leads = [lead("low_at"), lead("low_over"),
             lead("med_at", "2026-06-02T20:30:00Z", source="Free trial"),
             lead("med_over", "2026-06-02T20:30:00Z", source="Free trial")]
    acts = [act("a1", "low_at", "2026-06-03T14:00:00Z"), act("a2", "low_over", "2026-06-03T14:00:01Z"),
            act("a3", "med_at", "2026-06-03T13:30:00Z"), act("a4", "med_over", "2026-06-03T13:30:01Z")]
    out = facts(build_model(reps=[ny_rep], leads=leads, activities=acts))
    assert out["low_at"]["response_business_minutes"] == 480
    assert out["low_at"]["sla_status"] == "met"
    assert out["low_at"]["speed_bucket"] == "4-24h"
    assert out["low_over"]["sla_status"] == "breached"
    assert (out["med_at"]["response_business_minutes"], out["med_at"]["response_minutes"]) == (60, 1020)
    assert out["med_at"]["sla_status"] == "met"
    assert out["med_over"]["sla_status"] == "breached"


@pytest.mark.parametrize("as_of,status", [
    ("2026-06-03T03:00:00Z", "pending"),   # Tue 23:00: 420 business minutes (the night is free)
    ("2026-06-03T14:00:00Z", "pending"),   # Wed 10:00: exactly 480, at most the target
    ("2026-06-03T14:00:01Z", "breached"),  # one second more
])
def test_untouched_lead_is_pending_up_to_and_at_the_target(ny_rep, as_of, status):
    out = facts(build_model(reps=[ny_rep], leads=[lead("L")], as_of=as_of))["L"]
    assert out["sla_status"] == status


# -- first touch: closed at mql_at ------------------------------------------------------------------
def test_a_booking_exactly_at_mql_at_is_the_first_touch(ny_rep):
    leads = [lead("at"), lead("before")]
    meetings = [meet("m1", "at", T0), meet("m2", "before", minutes_after(T0, -1 / 60))]
    acts = [act("a2", "before", minutes_after(T0, 30))]
    out = facts(build_model(reps=[ny_rep], leads=leads, meetings=meetings, activities=acts,
                            as_of="2026-06-30T00:00:00Z"))
    assert out["at"]["first_touch_at"] == ts(T0) and out["at"]["response_minutes"] == 0
    assert out["at"]["speed_bucket"] == "0-5m" and out["at"]["meeting_in_window"] is True
    # booked one second before the handoff: neither contact nor a meeting of this handoff
    assert out["before"]["first_touch_at"] == ts(minutes_after(T0, 30))
    assert out["before"]["meeting_in_window"] is False


# -- speed buckets: one second over each upper bound is the next bucket ------------------------------
@pytest.mark.parametrize("minutes,bucket", [
    (0, "0-5m"), (5, "0-5m"), (5 + 1 / 60, "5-30m"), (30, "5-30m"), (30 + 1 / 60, "30-60m"),
    (60, "30-60m"), (60 + 1 / 60, "1-4h"), (240, "1-4h"), (240 + 1 / 60, "4-24h"), (1440, "4-24h"),
    (1440 + 1 / 60, "1-3d"), (4320, "1-3d"), (4320 + 1 / 60, "3d+"),
])
def test_speed_bucket_upper_bounds_are_inclusive_and_tight(ny_rep, minutes, bucket):
    out = facts(build_model(reps=[ny_rep], leads=[lead("L")], activities=[act("a", "L", minutes_after(T0, minutes))]))
    assert out["L"]["speed_bucket"] == bucket


# -- window_end: 17:00 on the tenth business day ------------------------------------------------------
@pytest.mark.parametrize("mql_at,window_end", [
    # Mon 06-01 08:00, before opening: business time starts at 09:00; ten whole days are
    # Mon 06-01 .. Fri 06-12: 17:00 Fri 06-12 (not 09:00 Mon 06-15).
    ("2026-06-01T12:00:00Z", "2026-06-12T21:00:00Z"),
    # Tue 06-02 09:00 exactly: Tue 06-02 .. Mon 06-15: 17:00 Mon 06-15.
    ("2026-06-02T13:00:00Z", "2026-06-15T21:00:00Z"),
    # Tue 06-02 17:00, at closing: Wed 06-03 .. Tue 06-16: 17:00 Tue 06-16.
    ("2026-06-02T21:00:00Z", "2026-06-16T21:00:00Z"),
    # Sat 06-06 12:00: Mon 06-08 .. Thu 06-18 is nine days, Fri 06-19 is Juneteenth, so the
    # tenth is Mon 06-22: 17:00 Mon 06-22.
    ("2026-06-06T16:00:00Z", "2026-06-22T21:00:00Z"),
    # Tue 06-02 10:00 (mid-day): 7 h Tue + 9 days x 8 h + 1 h = 80 h: 10:00 Tue 06-16.
    ("2026-06-02T14:00:00Z", "2026-06-16T14:00:00Z"),
])
def test_window_end_is_when_ten_business_days_have_elapsed(ny_rep, mql_at, window_end):
    out = facts(build_model(reps=[ny_rep], leads=[lead("L", mql_at)], as_of="2026-07-01T00:00:00Z"))["L"]
    assert out["window_end"] == ts(window_end)


def test_a_meeting_booked_exactly_at_a_17_00_window_end_counts(ny_rep):
    # MQL Mon 06-01 08:00: window_end Fri 06-12 17:00 EDT = 21:00Z.
    mql, end = "2026-06-01T12:00:00Z", "2026-06-12T21:00:00Z"
    leads = [lead("at", mql), lead("after", mql)]
    meetings = [meet("m1", "at", end), meet("m2", "after", second_after(end))]
    out = facts(build_model(reps=[ny_rep], leads=leads, meetings=meetings, as_of="2026-07-01T00:00:00Z"))
    assert out["at"]["meeting_in_window"] is True
    assert out["after"]["meeting_in_window"] is False


@pytest.mark.parametrize("as_of,decided", [
    ("2026-06-12T20:59:59Z", None),    # one second before window_end: still pending
    ("2026-06-12T21:00:00Z", False),   # as_of >= window_end: decided, no meeting
])
def test_meeting_in_window_is_decided_from_window_end_on(ny_rep, as_of, decided):
    out = facts(build_model(reps=[ny_rep], leads=[lead("L", "2026-06-01T12:00:00Z")], as_of=as_of))["L"]
    if decided is None:
        assert is_pending(out["meeting_in_window"])
    else:
        assert out["meeting_in_window"] is decided


def test_a_touch_exactly_at_window_end_is_in_the_window(ny_rep):
    # window_end Fri 06-12 17:00 EDT: a call then counts; one at 17:00:01 does not.
    end = "2026-06-12T21:00:00Z"
    acts = [act("first", "L", "2026-06-01T13:00:00Z"), act("at_end", "L", end), act("late", "L", second_after(end))]
    out = facts(build_model(reps=[ny_rep], leads=[lead("L", "2026-06-01T12:00:00Z")], activities=acts,
                            as_of="2026-07-01T00:00:00Z"))["L"]
    assert out["touches_in_window"] == 2


# -- cadence: at least the target (default 6) --------------------------------------------------------
def test_cadence_is_met_at_exactly_six_touches(ny_rep):
    # six: six calls a day apart. five: five calls plus a booking, an inbound call, an
    # automated email and an `other` activity, none of which is a touch.
    days = ["2026-06-02", "2026-06-03", "2026-06-04", "2026-06-05", "2026-06-08", "2026-06-09"]
    acts = [act(f"s{i}", "six", f"{d}T15:00:00Z") for i, d in enumerate(days)]
    acts += [act(f"f{i}", "five", f"{d}T15:00:00Z") for i, d in enumerate(days[:5])]
    acts += [act("in", "five", "2026-06-09T15:00:00Z", direction="inbound"),
             act("auto", "five", "2026-06-09T15:01:00Z", type="email", is_automated=True),
             act("oth", "five", "2026-06-09T15:02:00Z", type="other")]
    meetings = [meet("m", "five", "2026-06-09T15:03:00Z")]
    out = facts(build_model(reps=[ny_rep], leads=[lead("six"), lead("five")], activities=acts,
                            meetings=meetings, as_of="2026-06-30T00:00:00Z"))
    assert (out["six"]["touches_in_window"], out["six"]["cadence_met"]) == (6, True)
    assert (out["five"]["touches_in_window"], out["five"]["cadence_met"]) == (5, False)
    seven = facts(build_model(Policy(cadence_target=7), reps=[ny_rep], leads=[lead("six")], activities=acts[:6],
                              as_of="2026-06-30T00:00:00Z"))
    assert seven["six"]["cadence_met"] is False


# -- disposition: within 48 wall-clock hours, closed --------------------------------------------------
@pytest.mark.parametrize("hours,on_time", [(0, True), (47.99, True), (48, True), (48 + 1 / 3600, False), (72, False)])
def test_disposition_on_time_bound(ny_rep, hours, on_time):
    # 48 hours is wall clock: across the night and whatever business hours say.
    at = minutes_after(T0, hours * 60)
    out = facts(build_model(reps=[ny_rep], leads=[lead("L", disposition="Bad Fit", disposition_at=at)],
                            as_of="2026-06-30T00:00:00Z"))["L"]
    assert out["disposition_on_time"] is on_time


# -- breach queue: the warning starts exactly W business minutes before the target ------------------
@pytest.mark.parametrize("elapsed,queued", [(449, False), (450, True), (480, True), (481, True)])
def test_breach_queue_warning_starts_at_target_minus_warning(ny_rep, elapsed, queued):
    # low tier 480, warning 30: from 450 elapsed business minutes (MQL Tue 10:00; as_of the
    # same day for up to 420, then the next morning).
    as_of = minutes_after(T0, elapsed) if elapsed <= 420 else minutes_after("2026-06-03T13:00:00Z", elapsed - 420)
    model = build_model(reps=[ny_rep], leads=[lead("L")], as_of=as_of)
    assert facts(model)["L"]["age_business_minutes"] == elapsed
    assert (list(model.breach_queue(warn_minutes=30)["lead_id"]) == ["L"]) is queued
