"""Who is on duty in each hour of the week, and how many MQLs arrive in each, by hand."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import numpy as np
import pandas as pd
import pytest

from handoff.model import Filters
from handoff.model import staffing as model_staffing
from handoff.policy import Policy
from handoff.staffing import Shift, hour_label, hour_middles, on_duty, week_start

from handmade import build_model, lead

NINE_TO_FIVE = (time(9), time(17))
WEEKDAYS = (0, 1, 2, 3, 4)


def hours_on(duty: np.ndarray) -> list[int]:
    return [int(h) for h in np.flatnonzero(duty)]


def weekday_hours(first: int, last: int) -> list[int]:
    """Hours first..last of each weekday, Monday to Friday."""
    return [d * 24 + h for d in range(5) for h in range(first, last + 1)]


def test_a_half_hour_timezone_covers_eight_hours_of_a_utc_week():
    """Asia/Kolkata is UTC+05:30: 09:00-17:00 IST = 03:30-11:30 UTC. The middles of UTC
    hours fall on :00 IST: 03:30 UTC = 09:00 IST (in, the start is included) ... 10:30 UTC =
    16:00 IST (in); 11:30 UTC = 17:00 IST (out, the end is not). So hours 3..10."""
    kolkata = Shift(2, "Asia/Kolkata", *NINE_TO_FIVE, WEEKDAYS)
    duty = on_duty([kolkata], date(2026, 6, 1), "UTC")
    assert hours_on(duty) == weekday_hours(3, 10)
    assert set(duty[duty > 0]) == {2} and duty.sum() == 2 * 40


def test_a_utc_rep_in_a_half_hour_company_timezone():
    """Company Asia/Kolkata; a London rep in winter (UTC+0) 09:00-17:00 = 14:30-22:30 IST.
    Middles are hh:30 IST = hh:00 UTC: 14:30 IST = 09:00 UTC (in) ... 21:30 IST = 16:00
    UTC (in), 22:30 IST = 17:00 UTC (out). So hours 14..21 of each weekday (IST)."""
    london = Shift(1, "Europe/London", *NINE_TO_FIVE, WEEKDAYS)
    assert hours_on(on_duty([london], date(2026, 1, 12), "Asia/Kolkata")) == weekday_hours(14, 21)


@pytest.mark.parametrize("monday,first,last", [
    (date(2026, 3, 2), 14, 21),   # NY on EST (UTC-5), London on GMT: 09-17 NY = 14-22 London
    (date(2026, 3, 9), 13, 20),   # NY switched on Sun 8 March (EDT, UTC-4), London not yet: 13-21
    (date(2026, 3, 30), 14, 21),  # London switched on Sun 29 March (BST): 5 hours apart again
])
def test_daylight_saving_time_of_the_week_itself(monday, first, last):
    """A New York rep in a London-based company's weeks of March 2026."""
    ny = Shift(1, "America/New_York", *NINE_TO_FIVE, WEEKDAYS)
    assert hours_on(on_duty([ny], monday, "Europe/London")) == weekday_hours(first, last)


def test_the_week_that_holds_the_switch_in_the_company_timezone():
    """Company America/New_York, week of Mon 2 March 2026 (clocks go forward Sun 8 March
    02:00). Weekdays are EST: a UTC rep's 09:00-17:00 is 04:00-12:00 New York, hours 4..11.
    Sunday 02:30 does not exist; it is read with the offset before the change (EST), so the
    middle of hour 146 is 07:30 UTC, and Sunday 03:30 is EDT (07:30 UTC as well)."""
    utc_rep = Shift(1, "UTC", *NINE_TO_FIVE, WEEKDAYS)
    assert hours_on(on_duty([utc_rep], date(2026, 3, 2), "America/New_York")) == weekday_hours(4, 11)
    middles = hour_middles(date(2026, 3, 2), "America/New_York")
    as_utc = [m.astimezone(timezone.utc) for m in middles]
    assert as_utc[0] == datetime(2026, 3, 2, 5, 30, tzinfo=timezone.utc)
    assert as_utc[6 * 24 + 1] == datetime(2026, 3, 8, 6, 30, tzinfo=timezone.utc)
    assert as_utc[6 * 24 + 2] == datetime(2026, 3, 8, 7, 30, tzinfo=timezone.utc)
    assert as_utc[6 * 24 + 3] == datetime(2026, 3, 8, 7, 30, tzinfo=timezone.utc)
    assert as_utc[6 * 24 + 4] == datetime(2026, 3, 8, 8, 30, tzinfo=timezone.utc)


def test_a_roster_across_timezones_adds_up():
    """Company UTC, week of Mon 1 June 2026 (summer time): New York EDT 13-21 UTC, London BST
    08-16 UTC, Kolkata 03:30-11:30 UTC (hours 3..10), Sydney AEST (UTC+10) 23-07 UTC of the
    day before. Monday 09:00 UTC: London 1 + Kolkata 2 = 3; Monday 14:00: London 1 + NY 3 = 4;
    Monday 23:00 is Sydney's Tuesday 09:00: 1; Sunday 23:00 is Sydney's Monday 09:00: 1;
    Friday 23:00 is Sydney's Saturday: 0."""
    shifts = [
        Shift(3, "America/New_York", *NINE_TO_FIVE, WEEKDAYS),
        Shift(1, "Europe/London", *NINE_TO_FIVE, WEEKDAYS),
        Shift(2, "Asia/Kolkata", *NINE_TO_FIVE, WEEKDAYS),
        Shift(1, "Australia/Sydney", *NINE_TO_FIVE, WEEKDAYS),
    ]
    duty = on_duty(shifts, date(2026, 6, 1), "UTC")
    assert duty[9] == 3 and duty[14] == 4 and duty[23] == 1 and duty[167] == 1 and duty[4 * 24 + 23] == 0
    assert duty[5 * 24 + 12] == 0  # Saturday noon: nobody
    assert duty.sum() == (3 + 1 + 2 + 1) * 40


def test_week_start_is_the_company_local_monday():
    # Mon 1 June 2026 02:00 UTC is still Sunday 31 May in New York.
    assert week_start(datetime(2026, 6, 1, 2, tzinfo=timezone.utc), "America/New_York") == date(2026, 5, 25)
    assert week_start(datetime(2026, 6, 1, 2, tzinfo=timezone.utc), "UTC") == date(2026, 6, 1)
    assert hour_label(38) == "Tue 14:00-15:00" and hour_label(167) == "Sun 23:00-00:00"


def test_a_shift_refuses_nonsense():
    with pytest.raises(ValueError):
        Shift(1, "Mars/Olympus", *NINE_TO_FIVE)
    with pytest.raises(ValueError):
        Shift(1, "UTC", time(17), time(9))


# -- the roster the model reads ------------------------------------------------------------------------
REPS = [
    {"rep_id": "s1", "role": "SDR", "timezone": "Asia/Kolkata"},
    {"rep_id": "s2", "role": " sdr ", "timezone": "Asia/Kolkata"},
    {"rep_id": "s3", "role": "SDR", "timezone": "America/New_York", "active": False},
    {"rep_id": "s4", "role": "SDR", "timezone": ""},  # the company's timezone
    {"rep_id": "a1", "role": "AE", "timezone": "Europe/London"},
    {"rep_id": "m1", "role": "Manager", "timezone": "Europe/London"},
]
T = "2026-06-03T12:00:00Z"


def test_the_roster_is_the_active_sdrs():
    model = build_model(Policy(timezone="Europe/Berlin"), as_of=T, reps=REPS, leads=[lead("L1", T, owner_id="s1")])
    roster = model_staffing.roster(model)
    assert list(roster["rep_id"]) == ["s1", "s2", "s4"]
    assert dict(zip(roster["rep_id"], roster["timezone"]))["s4"] == "Europe/Berlin"
    shifts = {s.timezone: s.reps for s in model_staffing.plan(model).shifts}
    assert shifts == {"Asia/Kolkata": 2, "Europe/Berlin": 1}


def test_without_any_role_every_active_rep_answers():
    reps = [{"rep_id": "r1"}, {"rep_id": "r2", "active": False}, {"rep_id": "r3", "timezone": "Asia/Tokyo"}]
    model = build_model(Policy(), as_of=T, reps=reps, leads=[lead("L1", T, owner_id="r1")])
    assert sorted(model_staffing.roster(model)["rep_id"]) == ["r1", "r3"]


# -- arrivals per hour of the week -----------------------------------------------------------------------
# Company America/New_York (EDT, UTC-4 all along), as_of Wed 10 June 2026: its week starts
# Mon 8 June; with weeks = 2 the window is Mon 25 May .. Sun 7 June (company dates).
ARRIVALS = [
    lead("in_1", "2026-05-25T13:30:00Z", source="Demo request"),   # Mon 09:30 EDT -> hour 9
    lead("in_2", "2026-06-01T13:10:00Z", tier="high"),             # Mon 09:10 EDT -> hour 9
    lead("in_3", "2026-05-26T03:59:00Z", source="Pricing page"),   # Mon 25 May 23:59 EDT -> hour 23
    lead("in_4", "2026-06-08T03:00:00Z", source="Contact sales"),  # Sun 7 June 23:00 EDT -> hour 167
    lead("in_5", "2026-06-04T18:00:00Z", source="Demo request"),   # Thu 14:00 EDT -> hour 3*24+14 = 86
    lead("out_week", "2026-06-08T04:30:00Z", source="Demo request"),   # Mon 8 June 00:30: week of as_of
    lead("out_early", "2026-05-25T03:30:00Z", source="Demo request"),  # Sun 24 May 23:30 EDT: before
    lead("out_tier", "2026-06-01T13:20:00Z", source="Free trial"),     # medium tier
    lead("out_tier2", "2026-06-01T13:25:00Z", source="Demo request", tier="low"),  # its own tier wins
]


def test_arrivals_per_hour_of_the_week_by_hand():
    """Over 2 weeks: hour 9 has 2 handoffs -> 1.0 a week; hours 23, 86 and 167 have 1 -> 0.5."""
    policy = Policy.model_validate({"timezone": "America/New_York", "staffing": {"weeks": 2}})
    model = build_model(policy, as_of="2026-06-10T16:00:00Z", reps=[{"rep_id": "r1", "timezone": "America/New_York"}],
                        leads=ARRIVALS)
    p = model_staffing.plan(model)
    assert (p.date_from, p.date_to, p.week_start) == (date(2026, 5, 25), date(2026, 6, 7), date(2026, 6, 8))
    arrivals = p.hours.set_index("hour")["arrivals_per_week"]
    assert arrivals[arrivals > 0].to_dict() == {9: 1.0, 23: 0.5, 86: 0.5, 167: 0.5}
    assert p.handoffs == 5
    # The observed compliance is the model's own SLA compliance of the same handoffs.
    same = model.metrics("all", Filters(date_from=date(2026, 5, 25), date_to=date(2026, 6, 7), tiers=("high",)))
    expected = same["sla_compliance"].iloc[0]
    assert (p.observed_compliance is None and pd.isna(expected)) or p.observed_compliance == expected
    # The rep works 09-17 New York, the company's timezone: hours 9..16 of each weekday.
    assert list(np.flatnonzero(p.hours["on_duty"])) == weekday_hours(9, 16)
    # Arrivals at hours 23 and 167 (1.0 of 2.5 a week) find nobody on duty: 40%.
    assert p.uncovered_share == pytest.approx(1.0 / 2.5)
