"""The business-hours clock against hand-computed cases and a minute-by-minute reference."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import holidays
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
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
    latest = max(max(a, b) for a, b in pairs) + timedelta(days=1)
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
    ("Europe/Moscow", "RU"),  # ten days of New Year holidays
]
HOURS = [("09:00", "17:00"), ("00:00", "23:30"), ("00:00", "17:00"), ("09:00", "23:30")]
DAY_SETS = [
    ["Mon", "Tue", "Wed", "Thu", "Fri"],
    ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"],
    ["Mon"],
    ["Sat", "Sun"],
]


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
    min_value=datetime(2025, 12, 20), max_value=datetime(2026, 6, 20)
).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=UTC))


def assert_matches_reference(tz: str, country: str, policy: Policy, spans: list[tuple[datetime, datetime]]) -> None:
    """Routing minutes (mql_at -> assigned_at) and window_end of each span equal the
    minute-by-minute reference."""
    rep = {"rep_id": "r1", "timezone": tz, "country": country}
    leads = [lead_pair(f"L{i}", t1, t2)[0] | {"assigned_at": t2} for i, (t1, t2) in enumerate(spans)]
    as_of = max(max(s) for s in spans) + timedelta(days=1)
    out = facts(build_model(policy, as_of=as_of.isoformat(), reps=[rep], leads=leads))
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


def test_property_tests_are_never_retried_into_green(pytestconfig):
    """A property test that fails once has found a bug (pin it as an @example below): no
    plugin may rerun it until it passes."""
    for plugin in ("rerunfailures", "flaky"):
        assert not pytestconfig.pluginmanager.hasplugin(plugin)
    assert "reruns" not in str(pytestconfig.getini("addopts"))


# Every case a run of the property ever found is pinned here, so it is tried on every run.
@example(  # a Saturday right after Christmas and Boxing Day: no business day near the MQL
    cal=("Europe/London", "GB"), hours=("09:00", "17:00"), days=DAY_SETS[0],
    pairs=[(datetime(2025, 12, 27, 12, 0, tzinfo=UTC), 60)],
)
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
    assert_matches_reference(tz, country, policy, [(t1, t1 + timedelta(minutes=m)) for t1, m in pairs])


# -- calendars with few business days or long holidays ------------------------------------


def test_saturday_after_christmas_in_gb():
    # Thu 12-25 and Fri 12-26 are holidays, so the MQL (Sat 12-27) is three days before the
    # next business day (Mon 12-29); the first handoffs ever seen are that close to a gap.
    policy = Policy()
    t1 = datetime(2025, 12, 27, 12, 0, tzinfo=UTC)
    assert_matches_reference("Europe/London", "GB", policy, [(t1, t1 + timedelta(days=3))])


def test_monday_only_business_week():
    # MQL Thu 2026-03-05: the nearest business day is Mon 03-09; the window is 10 Mondays.
    policy = Policy(business_hours={"days": ["Mon"]})
    t1 = datetime(2026, 3, 5, 15, 0, tzinfo=UTC)
    assert_matches_reference("America/New_York", "US", policy, [(t1, t1 + timedelta(days=5))])


def test_weekend_only_business_week():
    policy = Policy(business_hours={"days": ["Sat", "Sun"]})
    t1 = datetime(2026, 3, 4, 15, 0, tzinfo=UTC)  # a Wednesday: the weekend before is 3 days back
    assert_matches_reference("Europe/London", "GB", policy, [(t1, t1 + timedelta(days=5))])


def test_long_holiday_covers_the_first_mql():
    # Russia's New Year holidays run from Wed 2025-12-31 to Fri 2026-01-09; the first business
    # day after an MQL on Sun 2026-01-04 is Mon 2026-01-12.
    policy = Policy()
    t1 = datetime(2026, 1, 4, 10, 0, tzinfo=UTC)
    assert_matches_reference("Europe/Moscow", "RU", policy, [(t1, t1 + timedelta(days=9))])


def test_long_window_of_few_business_days_ends_on_its_last_business_day():
    # 60 business Mondays in Colombia, where many holidays move to a Monday: from Mon
    # 2025-05-19 the window closes at 17:00 on the 60th working Monday, 2026-11-23, more than
    # 60 weeks later.
    policy = Policy(business_hours={"days": ["Mon"]}, meeting_window_days=60)
    zone = ZoneInfo("America/Bogota")
    closed = holidays.country_holidays("CO", years=range(2025, 2028))
    mondays = [d for d in (date(2025, 5, 19) + timedelta(weeks=w) for w in range(100)) if d not in closed]
    assert mondays[59] == date(2026, 11, 23)
    rep = {"rep_id": "r1", "timezone": "America/Bogota", "country": "CO"}
    t1 = datetime.combine(mondays[0], time(9), zone)
    out = clock(rep, [(t1, t1 + timedelta(hours=1))], policy)
    assert out["L0"]["window_end"] == pd.Timestamp(datetime.combine(mondays[59], time(17), zone))


def test_a_calendar_without_any_business_day_is_refused(monkeypatch):
    # A policy cannot ask for this (business_hours.days is never empty), but a holiday list
    # that closed every day must stop with a message naming the settings, not loop forever.
    import handoff.calendar as cal

    every_day = lambda country, subdivision, years: {  # noqa: E731
        date(y, 1, 1) + timedelta(days=n) for y in years for n in range(366)
    }
    monkeypatch.setattr(cal, "holiday_dates", every_day)
    with pytest.raises(ValueError, match="business_hours.days"):
        cal.business_days(Policy(), "UTC", "GB", date(2026, 1, 1), date(2026, 1, 31), ahead_minutes=60)
