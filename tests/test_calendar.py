"""The business-hours clock against hand-computed cases and a minute-by-minute reference."""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handoff.calendar import business_days
from handoff.policy import Policy
from handmade import build_model, facts

UTC = timezone.utc


def lead_pair(lead_id: str, t1: datetime, t2: datetime) -> tuple[dict, dict]:
    lead = {"lead_id": lead_id, "created_at": t1, "mql_at": t1, "owner_id": "r1", "tier": "low"}
    touch = {"activity_id": f"a-{lead_id}", "lead_id": lead_id, "type": "call", "occurred_at": t2}
    return lead, touch


def clock(rep: dict, pairs: list[tuple[datetime, datetime]], policy: Policy | None = None) -> dict[str, dict]:
    leads, acts = zip(*(lead_pair(f"L{i}", a, b) for i, (a, b) in enumerate(pairs)))
    latest = max(max(a, b) for a, b in pairs) + timedelta(days=60)
    return facts(build_model(policy, as_of=latest.isoformat(), reps=[rep], leads=list(leads), activities=list(acts)))


def test_weekend_and_night_are_not_business_time(ny_rep):
    # Fri 2026-03-06 16:58 EST -> Mon 2026-03-09 09:03 EDT (DST began Sun 03-08):
    # 2 minutes on Friday + 3 on Monday = 5 business minutes; wall clock 3,785 minutes.
    out = clock(ny_rep, [(datetime(2026, 3, 6, 21, 58, tzinfo=UTC), datetime(2026, 3, 9, 13, 3, tzinfo=UTC))])
    assert out["L0"]["response_business_minutes"] == 5.0
    assert out["L0"]["response_minutes"] == 3785.0


def test_public_holiday_is_skipped(ny_rep):
    # Thanksgiving, Thu 2026-11-26, is a US holiday: Wed 16:00 -> Fri 10:00 ET (EST, UTC-5)
    # = 60 minutes on Wednesday + 60 on Friday = 120.
    out = clock(ny_rep, [(datetime(2026, 11, 25, 21, 0, tzinfo=UTC), datetime(2026, 11, 27, 15, 0, tzinfo=UTC))])
    assert out["L0"]["response_business_minutes"] == 120.0


def test_fractional_minutes_inside_a_day(ny_rep):
    # Tue 2026-06-02 10:00:00 EDT -> 10:07:30 EDT = 7.5 business minutes.
    out = clock(ny_rep, [(datetime(2026, 6, 2, 14, 0, tzinfo=UTC), datetime(2026, 6, 2, 14, 7, 30, tzinfo=UTC))])
    assert out["L0"]["response_business_minutes"] == 7.5


def test_window_end_is_close_of_tenth_business_day(ny_rep):
    # MQL Mon 2026-06-01 08:00 EDT (before opening): 10 business days end Fri 06-12 17:00 EDT.
    out = clock(ny_rep, [(datetime(2026, 6, 1, 12, 0, tzinfo=UTC), datetime(2026, 6, 1, 13, 0, tzinfo=UTC))])
    assert out["L0"]["window_end"] == pd.Timestamp("2026-06-12T21:00:00Z")


def test_window_end_skips_holidays(ny_rep):
    # MQL Mon 2026-06-29 09:00 EDT; Fri 07-03 is the observed Independence Day. Business
    # days: 06-29..07-02 (4), 07-06..07-10 (9), 07-13 (10): the window ends Mon 07-13 17:00 EDT.
    out = clock(ny_rep, [(datetime(2026, 6, 29, 13, 0, tzinfo=UTC), datetime(2026, 6, 29, 14, 0, tzinfo=UTC))])
    assert out["L0"]["window_end"] == pd.Timestamp("2026-07-13T21:00:00Z")


def test_dst_day_has_its_real_length():
    # With business hours 00:00-23:30, the day clocks spring forward (Sun 2026-03-08 in New
    # York, every day a business day) has 22.5 real hours of business time, not 23.5.
    policy = Policy(business_hours={"start": "00:00", "end": "23:30", "days": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]})
    days = business_days(policy, "America/New_York", None, datetime(2026, 3, 7).date(), datetime(2026, 3, 9).date())
    lengths = (days["length_us"] / 60_000_000 / 60).tolist()
    assert lengths == [23.5, 22.5, 23.5]


# -- the property: the SQL clock equals a minute-by-minute count --------------------------

CALENDARS = [
    ("America/New_York", "US"),
    ("America/Los_Angeles", "US"),
    ("Europe/London", "GB"),
    ("Asia/Kolkata", "IN"),
    ("Australia/Sydney", "AU"),
]
HOURS = [("09:00", "17:00"), ("00:00", "23:30"), ("00:00", "17:00"), ("09:00", "23:30")]
DAY_SETS = [["Mon", "Tue", "Wed", "Thu", "Fri"], ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]]


def reference_minutes(t1: datetime, t2: datetime, tz: str, country: str, policy: Policy) -> int:
    """Whole minutes [t, t+1) of [t1, t2) that start inside business hours, one at a time."""
    zone = ZoneInfo(tz)
    closed = holidays.country_holidays(country, years=range(t1.year - 1, t2.year + 2))
    hours = policy.business_hours
    n, t = 0, t1
    while t < t2:
        local = t.astimezone(zone)
        if (
            local.weekday() in hours.weekdays
            and local.date() not in closed
            and hours.start <= local.time().replace(tzinfo=None) < hours.end
        ):
            n += 1
        t += timedelta(minutes=1)
    return n


instants = st.datetimes(
    min_value=datetime(2025, 12, 20), max_value=datetime(2026, 12, 20)
).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cal=st.sampled_from(CALENDARS),
    hours=st.sampled_from(HOURS),
    days=st.sampled_from(DAY_SETS),
    pairs=st.lists(
        st.tuples(instants, st.integers(min_value=-3000, max_value=12000)), min_size=1, max_size=6
    ),
)
def test_clock_matches_minute_by_minute_reference(cal, hours, days, pairs):
    tz, country = cal
    policy = Policy(business_hours={"start": hours[0], "end": hours[1], "days": days}, meeting_window_days=2)
    rep = {"rep_id": "r1", "timezone": tz, "country": country}
    spans = [(t1, t1 + timedelta(minutes=m)) for t1, m in pairs]
    leads = [lead_pair(f"L{i}", t1, t2)[0] | {"assigned_at": t2} for i, (t1, t2) in enumerate(spans)]
    model = build_model(policy, as_of=(max(max(s) for s in spans) + timedelta(days=30)).isoformat(), reps=[rep], leads=leads)
    out = facts(model)
    for i, (t1, t2) in enumerate(spans):
        row = out[f"L{i}"]
        # routing delay is business minutes mql_at -> assigned_at, 0 when reversed
        expected = reference_minutes(t1, t2, tz, country, policy) if t2 > t1 else 0
        assert row["routing_business_minutes"] == expected, (t1, t2)
        # window_end: the reference count reaches the window exactly there, and not a minute before
        window = policy.window_business_minutes
        end = row["window_end"].to_pydatetime()
        assert reference_minutes(t1, end, tz, country, policy) == window
        assert reference_minutes(t1, end - timedelta(minutes=1), tz, country, policy) == window - 1
