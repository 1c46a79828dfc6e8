"""as_of stays plausible: one far-future row cannot move it, an explicit one is bounded, and
the business calendar never grows with implausible dates."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

from handoff.cli import main
from handoff.model import Model, checked_as_of, default_as_of
from handoff.policy import Policy
from handmade import build_model, build_store, facts

UTC = timezone.utc


def lead(lead_id: str, mql_at: str, **extra) -> dict:
    return {"lead_id": lead_id, "created_at": mql_at, "mql_at": mql_at, "owner_id": "r1", "tier": "low", **extra}


def calendar_days(model: Model) -> tuple:
    return model.con.execute("SELECT min(day), max(day), count(*) FROM business_days").fetchall()[0]


def test_a_lead_dated_2999_does_not_move_as_of(ny_rep):
    before = datetime.now(UTC)
    model = build_model(reps=[ny_rep], leads=[lead("L1", "2026-06-01T14:00:00Z"), lead("FAR", "2999-01-01T00:00:00Z")])
    assert before < model.as_of <= datetime.now(UTC) + timedelta(days=1)
    # the far lead has not happened yet; the calendar ends within a year or so of now
    assert set(facts(model)) == {"L1"}
    assert calendar_days(model)[1] < (datetime.now(UTC) + timedelta(days=400)).date()


def test_default_as_of_is_capped_a_day_after_now(ny_rep):
    store = build_store(reps=[ny_rep], leads=[lead("L1", "2026-06-01T14:00:00Z")],
                        activities=[{"activity_id": "a", "lead_id": "L1", "type": "call",
                                     "occurred_at": "2031-01-01T00:00:00Z"}])
    now = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    assert default_as_of(store.con, now=now) == now + timedelta(days=1)
    assert default_as_of(store.con, now=datetime(2032, 1, 1, tzinfo=UTC)) == datetime(2031, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("as_of", ["2525-01-01T00:00:00Z", "1999-12-31T23:59:00Z"])
def test_explicit_as_of_out_of_range_is_refused(ny_rep, as_of):
    with pytest.raises(ValueError, match=r"--as-of .* out of range: use a moment from 2000-01-01 \(the policy's valid_from\)"):
        build_model(reps=[ny_rep], leads=[lead("L1", "2026-06-01T14:00:00Z")], as_of=as_of)


def test_as_of_range_follows_valid_from():
    policy = Policy(valid_from="2020-01-01")
    now = datetime(2026, 7, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="from 2020-01-01"):
        checked_as_of(datetime(2019, 12, 31, tzinfo=UTC), policy, now=now)
    assert checked_as_of(datetime(2020, 1, 1, tzinfo=UTC), policy, now=now) == datetime(2020, 1, 1, tzinfo=UTC)
    assert checked_as_of(now + timedelta(days=1), policy, now=now) == now + timedelta(days=1)
    with pytest.raises(ValueError, match="--as-of"):
        checked_as_of(now + timedelta(days=1, seconds=1), policy, now=now)


def test_cli_refuses_a_far_future_as_of_in_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "leads.csv").write_text("lead_id,created_at,mql_at\nL1,2026-06-01T14:00:00Z,2026-06-01T14:00:00Z\n")
    assert main(["leads", "--data", str(folder), "--as-of", "2525-01-01"]) == 2
    err = capsys.readouterr().err.strip()
    assert "--as-of" in err and "out of range" in err and len(err.splitlines()) == 1


def test_an_mql_before_valid_from_is_refused_not_calendared(ny_rep):
    # a CRM typo (year 1019) must not build a thousand years of calendar
    with pytest.raises(ValueError, match=r"1 handoffs have an mql_at before valid_from \(2000-01-01\)"):
        build_model(reps=[ny_rep], leads=[lead("L1", "2026-06-01T14:00:00Z"), lead("OLD", "1019-06-01T14:00:00Z")],
                    as_of="2026-06-30T00:00:00Z")


def test_an_early_assignment_does_not_stretch_the_calendar(ny_rep):
    # assigned long before the MQL: the routing delay is 0, and the calendar starts near the MQL
    model = build_model(reps=[ny_rep], leads=[lead("L1", "2026-06-01T14:00:00Z", assigned_at="1500-01-01T00:00:00Z")],
                        as_of="2026-06-30T00:00:00Z")
    row = facts(model)["L1"]
    assert row["routing_business_minutes"] == 0
    first, last, count = calendar_days(model)
    assert first >= pd.Timestamp("2026-05-01").date() and count < 200


@pytest.mark.parametrize("text", ["now", "today", "NaT", "-1", "1700000000", "2026-06-01\n12:00", "2026-06-01T12:00 PST",
                                  "June 1 2026", "2026-06-01T12:00:00+25:00", "tomorrow"])
def test_as_of_is_read_as_the_import_reads_timestamps(tmp_path, capsys, text):
    """Words pandas would take (now, today, NaT), numbers and zone names are refused in one line."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "leads.csv").write_text("lead_id,created_at,mql_at\nL1,2026-06-01T14:00:00Z,2026-06-01T14:00:00Z\n")
    assert main(["leads", "--data", str(folder), "--as-of", text]) == 2
    err = capsys.readouterr().err.strip()
    assert "--as-of: not an ISO 8601 timestamp" in err and len(err.splitlines()) == 1


@pytest.mark.parametrize("text, expected", [
    ("2026-06-01", datetime(2026, 6, 1, 4, tzinfo=UTC)),  # midnight in New York (EDT, -4)
    ("2026-06-01T12:00:00Z", datetime(2026, 6, 1, 12, tzinfo=UTC)),
    ("2026-06-01 12:00+02:00", datetime(2026, 6, 1, 10, tzinfo=UTC)),
    ("2026-11-01T01:30", datetime(2026, 11, 1, 5, 30, tzinfo=UTC)),  # ambiguous: the earlier (EDT) instant
])
def test_as_of_forms_are_read_exactly(text, expected):
    from handoff.model import parse_as_of

    assert parse_as_of(text, "America/New_York") == expected


def test_an_as_of_in_the_daylight_saving_gap_is_refused():
    from handoff.model import parse_as_of

    with pytest.raises(ValueError, match="does not exist in America/New_York"):
        parse_as_of("2026-03-08T02:30", "America/New_York")
