"""`handoff sync hubspot` end to end against the fake portal, then `handoff leads` on what it
stored: the per-lead facts are what the portal's records imply, worked out by hand below."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from test_hubspot import at, populate  # noqa: E402

from handoff.cli import main  # noqa: E402
from handoff.store import Store  # noqa: E402

AS_OF = "2026-03-20T12:00:00Z"


@pytest.fixture
def fake(hubspot_portal):
    return hubspot_portal


@pytest.fixture
def files(hubspot_files):
    return hubspot_files


def sync(files, *extra: str) -> int:
    return main(
        ["sync", "hubspot", "--db", files["db"], "--config", files["config"], "--secrets", files["secrets"], *extra]
    )


def test_sync_then_leads_gives_the_facts_the_portal_implies(fake, files, tmp_path, capsys):
    ids = populate(fake)
    assert sync(files) == 0
    out = capsys.readouterr()
    assert "HubSpot sync: 19 added, 0 changed, 0 deleted, 0 rejected" in out.out  # 4 of them owner changes
    assert "leads          added        5" in out.out
    assert "Done" in out.err  # the progress bar (plain lines when stderr is not a terminal)
    assert fake.token not in out.out + out.err

    csv = tmp_path / "leads.csv"
    assert main(["leads", "--db", files["db"], "--as-of", AS_OF, "--out", str(csv)]) == 0
    leads = pd.read_csv(csv, dtype=str, keep_default_na=False).set_index("lead_id")
    # Every contact's source is a channel (PAID_SEARCH, ...): tier low, 480 business minutes.
    # Company calendar (UTC, Mon-Fri 09:00-17:00): owners carry no timezone.
    assert set(leads.index) == {ids["c1"], ids["c2"], ids["c4"], ids["c5"]}  # c3: never an MQL
    assert set(leads["tier"]) == {"low"} and set(leads["sla_target_business_minutes"]) == {"480.0"}

    c1 = leads.loc[ids["c1"]]
    # MQL Mon 14:00, Ann's call 14:03: 3 minutes, 3 business minutes, met, 0-5m. Window: Mon
    # 14:00-17:00 is 180, nine full days (Tue 3 .. Fri 13) 4,320, so the 4,800th business minute
    # is Mon 16 at 09:00 + 300 = 14:00; no meeting by then (as_of is Fri 20): false.
    # OPEN_DEAL (Qualified) set Tue 10:00, 20 hours after the MQL: on time.
    assert (c1.owner_id, c1.mql_at, c1.first_touch_at) == (ids["ann"], "2026-03-02T14:00:00Z", "2026-03-02T14:03:00Z")
    assert (float(c1.response_minutes), float(c1.response_business_minutes)) == (3.0, 3.0)
    assert (c1.sla_status, c1.speed_bucket, c1.window_end) == ("met", "0-5m", "2026-03-16T14:00:00Z")
    assert (c1.meeting_in_window, c1.touches_in_window) == ("False", "1")
    assert (c1.disposition, c1.disposition_on_time) == ("Qualified", "True")

    c2 = leads.loc[ids["c2"]]
    # Bo's contact; MQL 15:00 from the lifecycle-stage history. The inbound call at 15:05 is
    # not a touch; Ann's outbound call at 15:20 is (any rep's touch counts): 20 minutes, 5-30m.
    assert (c2.owner_id, c2.mql_at, c2.first_touch_at) == (ids["bo"], "2026-03-02T15:00:00Z", "2026-03-02T15:20:00Z")
    assert (float(c2.response_minutes), c2.sla_status, c2.speed_bucket) == (20.0, "met", "5-30m")
    assert (c2.touches_in_window, c2.disposition, c2.disposition_on_time) == ("1", "", "")

    c4 = leads.loc[ids["c4"]]
    # Owned by Old, an archived owner (still a known rep). MQL Mon 16:00; the sequence email at
    # 16:01 is automated, so the first touch is Ann's email Tue 09:30: 17 h 30 = 1,050 minutes,
    # but only 60 (Mon 16-17) + 30 (Tue 09:00-09:30) = 90 business minutes: met, bucket 4-24h.
    assert (c4.owner_id, c4.first_touch_at) == (ids["old"], "2026-03-03T09:30:00Z")
    assert (float(c4.response_minutes), float(c4.response_business_minutes)) == (1050.0, 90.0)
    assert (c4.sla_status, c4.speed_bucket, c4.touches_in_window) == ("met", "4-24h", "1")

    c5 = leads.loc[ids["c5"]]
    # MQL 14:30; a meeting booked at 15:00 is the first contact (a booking counts): 30 minutes,
    # the 5-30m bucket (upper bounds inclusive); it is in the window; no activity touches.
    assert (c5.first_touch_at, float(c5.response_minutes), c5.speed_bucket) == ("2026-03-02T15:00:00Z", 30.0, "5-30m")
    assert (c5.meeting_in_window, c5.touches_in_window) == ("True", "0")


def test_the_daily_limit_exits_3_with_one_line_and_the_state_kept(fake, files, capsys):
    populate(fake)
    assert sync(files, "--quiet") == 0
    capsys.readouterr()
    fake.clock = at(10, 9)
    fake.add("contacts", company="New", hs_v2_date_entered_marketingqualifiedlead=at(10, 9))
    fake.daily_limit = fake.daily_used + 12
    assert sync(files, "--quiet") == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "daily" in err and fake.token not in err
    with Store(files["db"]) as store:
        assert store.counts()["leads"] == 6
        assert store.con.execute("SELECT status FROM loads ORDER BY load_id").fetchall() == [("ok",), ("stopped",)]


def test_bad_settings_and_missing_credentials_exit_2(fake, files, tmp_path, capsys):
    config = tmp_path / "bad.toml"
    for body, said in (
        ('page_size = "abc-7f3kq"', "page_size: must be a whole number"),
        ('tier_map = {"Demo request" = "high"}', "tier_map is set but tier_property is not"),
        ('tier_property = "form"\ntier_map = {"Demo request" = "abc-7f3kq"}', "tier_map: tiers are high"),
        ("page_sise = 100", "page_sise: unknown setting"),
    ):
        config.write_text(f"[hubspot]\n{body}\n")
        assert (
            main(["sync", "hubspot", "--db", files["db"], "--config", str(config), "--secrets", files["secrets"]]) == 2
        )
        err = capsys.readouterr().err
        assert said in err and "abc-7f3kq" not in err, err
    assert main(["sync", "hubspot", "--db", files["db"], "--secrets", str(tmp_path / "none.toml")]) == 2
    assert "No HubSpot credentials" in capsys.readouterr().err
    assert main(["sync", "pipedrive", "--db", files["db"]]) == 2
    assert "no connector named 'pipedrive'" in capsys.readouterr().err
