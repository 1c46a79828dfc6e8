"""The HubSpot connector against a local fake portal over real HTTP (see fake_hubspot.py):
the real hubspot-api-client makes every request."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from crash_harness import TABLES  # noqa: E402
from fake_hubspot import FakeHubSpot, epoch_ms  # noqa: E402

from handoff.sources import hubspot as hs  # noqa: E402
from handoff.sources.connector import ApiLimitReached, SyncError  # noqa: E402
from handoff.sources.hubspot_client import HubSpotUnavailable  # noqa: E402
from handoff.sources.runner import run  # noqa: E402
from handoff.store import Store  # noqa: E402

UTC = UTC
NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
CONFIG = {"backoff_seconds": 0.0, "page_size": 2}


def at(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 3, day, hh, mm, tzinfo=UTC)


@pytest.fixture
def fake(hubspot_portal):
    return hubspot_portal


def creds(fake: FakeHubSpot, token: str | None = None) -> hs.HubSpotCredentials:
    return hs.HubSpotCredentials(access_token=token or fake.token, base_url=fake.base_url)


def run_sync(fake, store, config=None, **kw):
    return run(
        hs.CONNECTOR,
        store,
        {**CONFIG, **(config or {})},
        kw.pop("credentials", None) or creds(fake),
        now=kw.pop("now", NOW),
        **kw,
    )


def populate(fake: FakeHubSpot) -> dict[str, str]:
    """A small portal (Monday 2 March 2026; the company calendar is UTC, 09:00-17:00):

    - owners Ann (SDR East) and Bo (SDR West), and Old, archived, who still owns c4;
    - c1: MQL 14:00 (hs_v2_date_entered_marketingqualifiedlead), Ann's call at 14:03,
      lead status OPEN_DEAL on Tuesday 10:00, a won deal;
    - c2: MQL only in the lifecycle-stage history (15:00), Bo's contact, an inbound call at
      15:05, then Ann's outbound call at 15:20 (another owner's call is still a touch);
    - c3: never an MQL;
    - c4: Old's contact, MQL 16:00 (hs_lifecyclestage_marketingqualifiedlead_date), a sequence
      email at 16:01 (automated), Ann's manual email Tuesday 09:30;
    - c5: MQL 14:30, a meeting booked 15:00 for Thursday;
    - an email associated with no contact.
    """
    ids = {}
    fake.clock = at(2, 8)
    ids["ann"] = fake.add_owner("Ann", "Rep", "ann@x.test", "SDR East")
    ids["bo"] = fake.add_owner("Bo", "Rep", "bo@x.test", "SDR West")
    ids["old"] = fake.add_owner("Old", "Rep", "old@x.test", "SDR East", archived=True)
    fake.clock = at(2, 13)
    ids["c1"] = fake.add(
        "contacts",
        hubspot_owner_id=ids["ann"],
        hs_analytics_source="PAID_SEARCH",
        company="Acme",
        jobtitle="CTO",
        country="US",
        lifecyclestage="lead",
        hs_lead_status="NEW",
        hs_v2_date_entered_marketingqualifiedlead=at(2, 14),
        recent_conversion_event_name="Demo request",
    )
    fake.update("contacts", ids["c1"], at=at(2, 14), lifecyclestage="marketingqualifiedlead")
    fake.update("contacts", ids["c1"], at=at(3, 10), hs_lead_status="OPEN_DEAL")
    fake.clock = at(2, 13, 30)
    ids["c2"] = fake.add(
        "contacts",
        hubspot_owner_id=ids["bo"],
        hs_analytics_source="ORGANIC_SEARCH",
        company="Beta",
        lifecyclestage="lead",
        recent_conversion_event_name="Ebook",
    )
    fake.update("contacts", ids["c2"], at=at(2, 15), lifecyclestage="marketingqualifiedlead")
    ids["c3"] = fake.add("contacts", hs_analytics_source="DIRECT_TRAFFIC", company="Gamma", lifecyclestage="lead")
    ids["c4"] = fake.add(
        "contacts",
        hubspot_owner_id=ids["old"],
        hs_analytics_source="EMAIL_MARKETING",
        company="Delta",
        lifecyclestage="marketingqualifiedlead",
        hs_lifecyclestage_marketingqualifiedlead_date=at(2, 16),
    )
    ids["c5"] = fake.add(
        "contacts",
        hubspot_owner_id=ids["bo"],
        hs_analytics_source="REFERRALS",
        company="Epsilon",
        hs_v2_date_entered_marketingqualifiedlead=at(2, 14, 30),
    )
    fake.clock = at(2, 14, 3)
    ids["call1"] = fake.add(
        "calls",
        contacts=[ids["c1"]],
        hubspot_owner_id=ids["ann"],
        hs_timestamp=at(2, 14, 3),
        hs_call_direction="OUTBOUND",
        hs_call_disposition="Connected",
        hs_call_title="Intro",
    )
    fake.clock = at(2, 15, 5)
    ids["call_in"] = fake.add(
        "calls",
        contacts=[ids["c2"]],
        hubspot_owner_id=ids["bo"],
        hs_timestamp=at(2, 15, 5),
        hs_call_direction="INBOUND",
    )
    fake.clock = at(2, 15, 20)
    ids["call2"] = fake.add("calls", contacts=[ids["c2"]], hubspot_owner_id=ids["ann"], hs_timestamp=at(2, 15, 20))
    fake.clock = at(2, 15)
    ids["meeting"] = fake.add(
        "meetings",
        contacts=[ids["c5"]],
        hubspot_owner_id=ids["bo"],
        hs_meeting_start_time=at(5, 15),
        hs_meeting_outcome="SCHEDULED",
    )
    fake.clock = at(2, 16, 1)
    ids["seq"] = fake.add(
        "emails",
        contacts=[ids["c4"]],
        hubspot_owner_id=ids["ann"],
        hs_timestamp=at(2, 16, 1),
        hs_email_direction="EMAIL",
        hs_sequence_id="77",
        hs_email_subject="Welcome",
    )
    fake.clock = at(3, 9, 30)
    ids["email"] = fake.add(
        "emails",
        contacts=[ids["c4"]],
        hubspot_owner_id=ids["ann"],
        hs_timestamp=at(3, 9, 30),
        hs_email_direction="EMAIL",
        hs_email_status="SENT",
        hs_email_subject="Hello",
    )
    ids["stray"] = fake.add(
        "emails", contacts=[], hubspot_owner_id=ids["ann"], hs_timestamp=at(3, 9, 40), hs_email_direction="EMAIL"
    )
    fake.clock = at(4, 10)
    ids["deal"] = fake.add(
        "deals",
        contacts=[ids["c1"]],
        amount="25000",
        dealstage="closedwon",
        closedate=at(10, 12),
        hs_is_closed="true",
        hs_is_closed_won="true",
    )
    fake.clock = at(6, 9)
    return ids


def table(store: Store, name: str) -> pd.DataFrame:
    return store.con.execute(f"SELECT * FROM {name} ORDER BY {TABLES[name]}").df()


def snapshot(store: Store) -> dict[str, pd.DataFrame]:
    return {t: table(store, t) for t in TABLES}


def assert_same(a: dict, b: dict) -> None:
    for name in b:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False, obj=name)


def searches(fake: FakeHubSpot, object_type: str, owner_history: bool = False) -> list[dict]:
    """The object's search pages (not the counts); for contacts, those of the contacts read, or
    with `owner_history` those of the owner history read (it asks for lastmodifieddate only)."""
    return [
        b
        for m, r, b in fake.log
        if r == f"/crm/v3/objects/{object_type}/search"
        and b.get("limit", 0) > 1
        and (b.get("properties") == ["lastmodifieddate"]) == owner_history
    ]


# -- scenarios ----------------------------------------------------------------------------------------------
def test_first_sync_maps_every_object(fake):
    ids = populate(fake)
    store = Store()
    calls = []
    summary = run_sync(fake, store, progress=lambda d, t, msg: calls.append((d, t, msg)))

    counts = {"reps": 3, "leads": 5, "activities": 5, "meetings": 1, "opportunities": 1, "owner_changes": 4}
    assert store.counts() == counts  # owner changes: c1, c2, c4 and c5 got an owner when created
    assert summary.added == counts
    assert calls[-1][2] == "Done" and calls[-1][0] == calls[-1][1]  # the bar ends full

    reps = table(store, "reps").set_index("rep_id")
    assert {"name": "Ann Rep", "email": "ann@x.test", "team": "SDR East"}.items() <= reps.loc[
        ids["ann"]
    ].to_dict().items()
    assert reps.loc[ids["old"]].active == False  # noqa: E712  (archived owners are kept, inactive)

    leads = table(store, "leads").set_index("lead_id")
    c1, c2, c3, c4, c5 = (leads.loc[ids[k]] for k in ("c1", "c2", "c3", "c4", "c5"))
    assert (c1.created_at, c1.mql_at, c1.owner_id, c1.source) == (at(2, 13), at(2, 14), ids["ann"], "PAID_SEARCH")
    assert (c1.company, c1.title, c1.country) == ("Acme", "CTO", "US")
    assert c1.disposition == "Qualified" and c1.disposition_at == at(3, 10)  # OPEN_DEAL, set Tuesday 10:00
    assert c2.mql_at == at(2, 15)  # from the lifecycle-stage history
    assert pd.isna(c3.mql_at)  # never an MQL: not handed off
    assert c4.mql_at == at(2, 16) and c4.owner_id == ids["old"]
    assert c5.mql_at == at(2, 14, 30)
    assert pd.isna(c1.tier)  # no tier_property: the policy's tier map decides (channel -> low)
    assert str(leads["mql_at"].dtype) == "datetime64[us, UTC]"

    acts = table(store, "activities").set_index("activity_id")
    assert ids["stray"] not in acts.index  # about no contact: not a lead's activity
    call1 = acts.loc[ids["call1"]]
    assert (call1.lead_id, call1.rep_id, call1.type, call1.direction, call1.outcome, bool(call1.is_automated)) == (
        ids["c1"],
        ids["ann"],
        "call",
        "outbound",
        "Connected",
        False,
    )
    assert acts.loc[ids["call_in"]].direction == "inbound"
    assert acts.loc[ids["call2"]].rep_id == ids["ann"] and acts.loc[ids["call2"]].lead_id == ids["c2"]
    assert bool(acts.loc[ids["seq"]].is_automated) and not bool(acts.loc[ids["email"]].is_automated)

    meeting = table(store, "meetings").iloc[0]
    assert (meeting.lead_id, meeting.booked_at, meeting.scheduled_for, meeting.status) == (
        ids["c5"],
        at(2, 15),
        at(5, 15),
        "scheduled",
    )
    deal = table(store, "opportunities").iloc[0]
    assert (deal.lead_id, deal.amount, bool(deal.is_won), deal.closed_at) == (ids["c1"], 25000.0, True, at(10, 12))

    for obj in ("contacts", "calls", "emails", "meetings", "deals"):
        cur = store.get_cursor("hubspot", obj)
        assert cur is not None and cur.tzinfo is not None and cur <= NOW
    assert store.get_cursor("hubspot", "owners") is None  # read in full every time
    assert store.con.execute("SELECT status FROM loads").fetchall() == [("ok",)]
    # history came from batch reads (50 ids at most), the engagements' contacts from v4 associations
    assert fake.count("/crm/v3/objects/contacts/batch/read") >= 1
    assert fake.count("/crm/v4/associations/calls/contacts/batch/read") >= 1
    reads = [b for m, r, b in fake.log if r.endswith("/batch/read") and "propertiesWithHistory" in b]
    assert reads and all(len(b["inputs"]) <= 50 for b in reads)


def test_incremental_sync_reads_changes_and_deletes_archived_records(fake):
    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    cursor = store.get_cursor("hubspot", "contacts")
    assert cursor == at(3, 10)  # the newest lastmodifieddate: c1's lead status on Tuesday
    fake.log.clear()
    fake.clock = at(10, 9)
    fake.update("contacts", ids["c3"], lifecyclestage="marketingqualifiedlead")  # c3 becomes an MQL
    fake.archive("calls", ids["call1"])
    fake.archive("contacts", ids["c5"])
    new = fake.add(
        "contacts",
        hubspot_owner_id=ids["bo"],
        hs_analytics_source="DIRECT_TRAFFIC",
        company="Zeta",
        hs_v2_date_entered_marketingqualifiedlead=at(10, 9),
    )
    summary = run_sync(fake, store, now=at(10, 12))

    first = searches(fake, "contacts")[0]["filterGroups"][0]["filters"]
    lo = next(f for f in first if f["operator"] == "GTE")
    assert lo == {
        "propertyName": "lastmodifieddate",
        "operator": "GTE",
        "value": str(epoch_ms(cursor - timedelta(seconds=300))),
    }  # the cursor less the lookback
    hi = next(f for f in first if f["operator"] == "LTE")
    assert hi["value"] == str(epoch_ms(at(10, 12)))  # windows end at the sync's start
    leads = table(store, "leads").set_index("lead_id")
    assert leads.loc[ids["c3"]].mql_at == at(10, 9) and new in leads.index and ids["c5"] not in leads.index
    assert ids["call1"] not in set(table(store, "activities").activity_id)
    assert summary.deleted == {"leads": 1, "activities": 1, "owner_changes": 1}  # c5's owner change went with it
    assert summary.added == {"leads": 1, "owner_changes": 1} and summary.changed == {"leads": 1}
    assert store.get_cursor("hubspot", "contacts") == at(10, 9)


def test_more_than_10000_search_results_are_read_by_rewindowing(fake):
    """10,250 contacts, each modified a second after the previous: HubSpot's search stops at
    10,000 results, so the read continues in a new window after the last instant read."""
    fake.clock = at(2, 9)
    for _ in range(10_250):
        fake.add("contacts", modified=fake.tick(), hs_analytics_source="DIRECT_TRAFFIC")
    store = Store()
    run_sync(fake, store, {"page_size": 200})
    assert store.counts()["leads"] == 10_250
    for owner_history in (False, True):  # the contacts, then their owner history
        offsets = [int(b.get("after", 0)) for b in searches(fake, "contacts", owner_history)]
        assert max(offsets) == 9_800  # the real cap: never asked past 10,000
        assert len(searches(fake, "contacts", owner_history)) <= 10_250 // 200 + 4
    assert store.get_cursor("hubspot", "contacts") == fake.clock


def test_more_than_10000_results_sharing_one_instant_end_and_are_all_read(fake):
    """10,150 contacts modified at the very same millisecond (a bulk import), between others:
    the search cannot page past 10,000 of them, and orders them its own way (not by id). The
    ties are read by id in windows of 10,000 (hs_object_id greater than the last one read),
    so the loop ends and every record arrives once."""
    fake.clock = at(2, 9)
    before = [fake.add("contacts", modified=fake.tick(), company="before") for _ in range(30)]
    same = fake.tick()
    tied = [fake.add("contacts", modified=same, company="tied") for _ in range(10_150)]
    after = [fake.add("contacts", modified=fake.tick(), company="after") for _ in range(40)]
    store = Store()
    summary = run_sync(fake, store, {"page_size": 200})

    stored = set(table(store, "leads").lead_id)
    assert stored == set(before) | set(tied) | set(after)
    assert summary.added["leads"] == 10_220
    tie_queries = [b for b in searches(fake, "contacts") if b["sorts"][0]["propertyName"] == "hs_object_id"]
    assert tie_queries, "the ties were read by id"
    assert {f["operator"] for b in tie_queries for f in b["filterGroups"][0]["filters"]} >= {"GTE", "LTE"}
    assert any(
        f["propertyName"] == "hs_object_id" and f["operator"] == "GT"
        for b in tie_queries
        for f in b["filterGroups"][0]["filters"]
    )
    assert len(searches(fake, "contacts")) < 2 * (10_220 // 200 + 5)  # no endless loop
    assert len(searches(fake, "contacts", owner_history=True)) < 2 * (10_220 // 200 + 5)
    assert store.get_cursor("hubspot", "contacts") == fake.clock


def retry_waits(monkeypatch) -> list[float]:
    """The waits urllib3's retries ask for, recorded instead of slept. Only its own clock is
    replaced: patching `time.sleep` itself would also catch (and spin) every other thread's waits."""
    import time

    import urllib3.util.retry as retry_module

    slept: list[float] = []

    class RecordingClock:
        def __getattr__(self, name):
            return getattr(time, name)

        @staticmethod
        def sleep(seconds: float) -> None:
            slept.append(seconds)

    monkeypatch.setattr(retry_module, "time", RecordingClock())
    return slept


@pytest.mark.parametrize("retry_after", ["1", None], ids=["with-retry-after", "without-retry-after"])
def test_429_is_retried_with_and_without_retry_after(fake, retry_after, monkeypatch):
    populate(fake)
    slept = retry_waits(monkeypatch)
    fake.fail(429, route="/crm/v3/objects/contacts/search", times=2, retry_after=retry_after)
    store = Store()
    run_sync(fake, store, {"backoff_seconds": 0.5})
    assert store.counts()["leads"] == 5
    assert fake.faults[0]["times"] == 0  # both 429s were answered, and retried
    if retry_after:
        assert slept[:2] == [1.0, 1.0]  # Retry-After honoured
    else:
        assert len(slept) >= 1 and all(0 < s <= 30 for s in slept[:2])  # exponential backoff


def test_retry_after_is_capped(fake, monkeypatch):
    populate(fake)
    slept = retry_waits(monkeypatch)
    fake.fail(429, route="/crm/v3/owners", times=1, retry_after="86400")
    run_sync(fake, Store(), {"retry_after_max_seconds": 7})
    assert slept == [7]


def test_a_persistent_429_fails_after_bounded_retries(fake):
    populate(fake)
    fake.fail(429, route="/crm/v3/objects/contacts/search", times=100, retry_after="0")
    store = Store()
    with pytest.raises(HubSpotUnavailable, match="429"):
        run_sync(fake, store, {"retries": 3})
    assert fake.count("/crm/v3/objects/contacts/search") == 4  # the request and 3 retries
    assert store.con.execute("SELECT status FROM loads").fetchall() == [("failed",)]


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_then_success(fake, status):
    populate(fake)
    fake.fail(status, route="/batch/read", times=2)
    fake.fail("drop", route="/crm/v4/associations", times=1)
    store = Store()
    run_sync(fake, store)
    assert store.counts()["leads"] == 5 and store.counts()["activities"] == 5
    assert fake.faults[0]["times"] == 0 and fake.faults[1]["times"] == 0


def test_a_persistent_5xx_fails_cleanly(fake):
    populate(fake)
    fake.fail(503, route="/crm/v4/associations/calls", times=100)
    store = Store()
    with pytest.raises(HubSpotUnavailable, match="503"):
        run_sync(fake, store, {"retries": 2})
    assert fake.count("/crm/v4/associations/calls") == 3  # the request and 2 retries
    # owners and contacts were written before the failure, and stay with their cursor
    assert store.counts()["reps"] == 3 and store.counts()["leads"] == 5
    assert store.get_cursor("hubspot", "contacts") is not None and store.get_cursor("hubspot", "calls") is None
    assert store.con.execute("SELECT status FROM loads").fetchall() == [("failed",)]


def test_the_daily_limit_stops_cleanly_keeps_the_cursor_and_a_rerun_completes(fake):
    populate(fake)
    clean = Store()
    run_sync(fake, clean)
    needed = fake.daily_used
    fake.daily_used, fake.daily_limit = 0, needed - 8  # runs out while reading the engagements
    fake.log.clear()
    store = Store()
    with pytest.raises(ApiLimitReached, match="daily"):
        run_sync(fake, store)
    assert store.con.execute("SELECT status FROM loads").fetchall() == [("stopped",)]
    assert store.get_cursor("hubspot", "contacts") is not None  # kept: what was read stays read
    assert len(fake.log) == fake.daily_limit + 1  # the daily-limit answer is not retried
    fake.daily_limit = 10**9
    run_sync(fake, store)
    assert_same(snapshot(store), snapshot(clean))


def test_a_full_sync_reconciles_records_hubspot_no_longer_has(fake):
    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    del fake.records["contacts"][ids["c3"]]  # purged (GDPR delete): neither searchable nor archived
    fake._cache.clear()
    run_sync(fake, store)
    assert ids["c3"] in set(table(store, "leads").lead_id)
    summary = run_sync(fake, store, full=True)
    assert ids["c3"] not in set(table(store, "leads").lead_id)
    assert summary.deleted == {"leads": 1}
    assert store.counts()["reps"] == 3  # owners are never reconciled away


def test_a_rerun_changes_nothing(fake):
    populate(fake)
    store = Store()
    run_sync(fake, store)
    before = snapshot(store)
    summary = run_sync(fake, store)
    assert summary.total("added") == summary.total("changed") == summary.total("deleted") == 0
    assert_same(snapshot(store), before)


def test_contacts_without_an_mql_date_are_not_handoffs(fake):
    from handoff.model import Model

    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    facts = Model(store.con, as_of=NOW).lead_handoff()
    assert ids["c3"] not in set(facts.lead_id)
    assert set(facts.lead_id) == {ids[k] for k in ("c1", "c2", "c4", "c5")}


def test_tier_property_gives_real_tiers_and_the_one_tier_note(fake):
    ids = populate(fake)
    store = Store()
    default = run(hs.CONNECTOR, store, CONFIG, creds(fake), now=NOW, tier_map={"demo request": "high"})
    assert any(
        n.startswith("Every one of the 4 HubSpot handoffs is tier low") and "tier_property" in n for n in default.notes
    )
    config = {**CONFIG, "tier_property": "recent_conversion_event_name", "tier_map": {"Demo request": "high"}}
    tiered = run(hs.CONNECTOR, Store(), config, creds(fake), now=NOW, tier_map={})
    assert not any(n.startswith("Every one of") for n in tiered.notes)
    store = Store()
    run(hs.CONNECTOR, store, config, creds(fake), now=NOW)
    tiers = table(store, "leads").set_index("lead_id").tier
    assert tiers[ids["c1"]] == "high" and pd.isna(tiers[ids["c2"]])  # unmapped values: the policy decides


def test_timestamps_do_not_depend_on_the_machine_timezone(fake, monkeypatch):
    import time

    populate(fake)
    results = []
    for tz in ("America/Los_Angeles", "Asia/Kolkata"):
        monkeypatch.setenv("TZ", tz)
        time.tzset()
        store = Store()
        run_sync(fake, store)
        results.append((snapshot(store), store.get_cursor("hubspot", "contacts")))
    monkeypatch.delenv("TZ")
    time.tzset()
    assert_same(results[0][0], results[1][0])
    assert results[0][1] == results[1][1] == at(3, 10)


def test_a_deal_with_several_contacts_belongs_to_the_lowest_id(fake):
    fake.association_page = 2  # three contacts: two association pages
    fake.clock = at(2, 9)
    contacts = [fake.add("contacts", company=f"C{i}") for i in range(3)]
    deal = fake.add("deals", contacts=list(reversed(contacts)), amount="10", dealstage="appointmentscheduled")
    store = Store()
    run_sync(fake, store)
    assert table(store, "opportunities").set_index("opportunity_id").lead_id[deal] == contacts[0]


def test_sync_logs_never_contain_the_token(fake, caplog):
    """A debug-level sync with every logger on (urllib3 logs each request and retry, the client
    each answer): the token is in no log line, no error, no repr, and not in the database."""
    populate(fake)
    fake.fail(429, route="/search", times=1, retry_after="0")
    fake.fail(503, route="/batch/read", times=1)
    caplog.set_level(logging.DEBUG)
    for name in ("", "urllib3", "hubspot", "handoff"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    store = Store()
    run_sync(fake, store)
    bad = creds(fake, token=fake.token + "x")
    with pytest.raises(SyncError) as err:
        run_sync(fake, store, credentials=bad)
    assert any(r.name.startswith("urllib3") for r in caplog.records)  # urllib3 did log at debug level
    secret = fake.token.split("-", 2)[2]
    assert secret not in caplog.text and secret not in str(err.value) and secret not in repr(err.value)
    assert secret not in repr(bad) and secret not in str(bad) and secret not in str(bad.model_dump())
    dump = store.con.execute("SELECT CAST(summary AS VARCHAR) FROM loads").fetchall()
    dump += store.con.execute("SELECT * FROM rejects").fetchall()
    assert all(secret not in str(r) for r in dump)
