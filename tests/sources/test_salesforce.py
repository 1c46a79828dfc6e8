"""The Salesforce connector against a local fake org over real HTTPS (see fake_salesforce.py)."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_salesforce import FakeSalesforce, sf_id  # noqa: E402

from handoff.commands import sync as sync_command  # noqa: E402
from handoff.sources import salesforce as sfc  # noqa: E402
from handoff.sources.convert import to_ts  # noqa: E402
from handoff.store import Store  # noqa: E402

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
CONFIG = {"mql_statuses": ["MQL"], "backoff_seconds": 0, "bulk_poll_seconds": 0}
QUEUE = sf_id("00G", 1)
CONTACT = sf_id("003", 1)


@pytest.fixture
def fake(salesforce_org):
    return salesforce_org


def creds(fake):
    return sfc.SalesforceCredentials(instance_url=fake.instance_url, access_token=fake.token)


def at(day: int, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    return datetime(2026, 3, day, hh, mm, ss, tzinfo=UTC)


def populate(fake: FakeSalesforce) -> dict[str, str]:
    """A small org: two reps, a queue, five leads with history, tasks, events, one conversion."""
    ids = {}
    fake.clock = at(2, 8)
    ids["rep_a"] = fake.add("User", Name="Ann Rep", Email="ann@x.test", Department="SDR East",
                            Title="SDR", TimeZoneSidKey="America/New_York", CountryCode="US", IsActive=True)
    ids["rep_b"] = fake.add("User", Name="Bo Rep", Email="bo@x.test", Department="SDR West",
                            Title="AE", TimeZoneSidKey="America/Los_Angeles", Country="Germany",
                            IsActive=False)
    fake.clock = at(2, 14, 0)  # Monday 14:00 UTC = 09:00 New York
    ids["l1"] = fake.add("Lead", OwnerId=ids["rep_a"], LeadSource="Demo request", Company="Acme",
                         Title="CTO", Country="US", Status="Open", NumberOfEmployees=150)
    ids["l2"] = fake.add("Lead", OwnerId=QUEUE, LeadSource="Webinar", Company="Queue Co",
                         Status="Open", NumberOfEmployees=5000)
    ids["l3"] = fake.add("Lead", OwnerId=ids["rep_b"], LeadSource="Free trial", Company="Beta",
                         Status="Open", NumberOfEmployees=400)
    ids["l4"] = fake.add("Lead", OwnerId=ids["rep_a"], LeadSource="Pricing page", Company="Gamma",
                         Status="Open")
    ids["l5"] = fake.add("Lead", OwnerId=ids["rep_a"], LeadSource="Content download", Company="Delta",
                         Status="Open")
    fake.set_status(ids["l1"], "MQL", at(2, 14, 10))
    fake.set_status(ids["l2"], "MQL", at(2, 14, 20))
    fake.set_status(ids["l3"], "MQL", at(2, 15, 0))
    fake.set_status(ids["l3"], "Wrong_Persona", at(3, 10, 0))
    fake.set_status(ids["l4"], "MQL", at(2, 16, 0))
    fake.set_status(ids["l4"], "Qualified", at(2, 18, 0))
    fake.clock = at(2, 14, 12)
    # l1: first real touch 2 minutes after MQL; an automated email before it doesn't count.
    ids["t_auto"] = fake.add("Task", WhoId=ids["l1"], OwnerId=ids["rep_a"], TaskSubtype="ListEmail",
                             CompletedDateTime=at(2, 14, 11), Subject="Welcome")
    ids["t_call"] = fake.add("Task", WhoId=ids["l1"], OwnerId=ids["rep_a"], TaskSubtype="Call",
                             CallType="Outbound", CallDisposition="Left voicemail",
                             CompletedDateTime=at(2, 14, 12), Subject="Call")
    ids["t_in"] = fake.add("Task", WhoId=ids["l3"], OwnerId=ids["rep_b"], TaskSubtype="Call",
                           CallType="Inbound", CompletedDateTime=at(2, 15, 30), Subject="They called")
    ids["t_other"] = fake.add("Task", WhoId=ids["l3"], OwnerId=ids["rep_b"], TaskSubtype="Task",
                              Type="Email", CompletedDateTime=at(2, 17, 0), Subject="Logged email")
    ids["t_contact"] = fake.add("Task", WhoId=sf_id("003", 99), OwnerId=ids["rep_a"], TaskSubtype="Call",
                                CompletedDateTime=at(2, 17, 0), Subject="Not a lead")
    ids["e1"] = fake.add("Event", WhoId=ids["l4"], OwnerId=ids["rep_a"], CreatedDate=at(2, 16, 30),
                         StartDateTime=at(4, 15, 0))
    ids["e2"] = fake.add("Event", WhoId=ids["l3"], OwnerId=ids["rep_b"], CreatedDate=at(3, 9, 0),
                         StartDateTime=at(25, 15, 0))
    # l4 converts: its opportunity and contact; a task on the contact belongs to l4.
    fake.clock = at(5, 10)
    ids["o1"] = fake.add("Opportunity", Name="Gamma deal", Amount=25000.0, StageName="Closed Won",
                         IsClosed=True, IsWon=True, CloseDate=date(2026, 3, 10))
    ids["o_other"] = fake.add("Opportunity", Name="No lead", Amount=1.0, StageName="Prospecting",
                              IsClosed=False, IsWon=False, CloseDate=date(2026, 4, 1))
    fake.update("Lead", ids["l4"], ConvertedDate=date(2026, 3, 5), ConvertedContactId=CONTACT,
                ConvertedOpportunityId=ids["o1"], IsConverted=True)
    ids["t_conv"] = fake.add("Task", WhoId=CONTACT, OwnerId=ids["rep_a"], TaskSubtype="Email",
                             CompletedDateTime=at(5, 11, 0), Subject="Contract")
    fake.clock = at(6, 9)
    return ids


def table(store: Store, name: str) -> pd.DataFrame:
    key = {"reps": "rep_id", "leads": "lead_id", "activities": "activity_id",
           "meetings": "meeting_id", "opportunities": "opportunity_id", "owner_changes": "change_id"}[name]
    df = store.con.execute(f"SELECT * FROM {name} ORDER BY {key}").df()
    return df


def snapshot(store: Store) -> dict[str, pd.DataFrame]:
    return {t: table(store, t) for t in ("reps", "leads", "activities", "meetings", "opportunities", "owner_changes")}


def assert_same(a: dict, b: dict) -> None:
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name], check_dtype=False, obj=name)


def run_sync(fake, store, config=None, **kw):
    return sfc.sync(store, {**CONFIG, **(config or {})}, creds(fake), now=kw.pop("now", NOW), **kw)


# -- scenarios -------------------------------------------------------------------------------------
def test_first_full_sync_maps_every_object(fake):
    ids = populate(fake)
    store = Store()
    calls = []
    summary = run_sync(fake, store, progress=lambda d, t, msg: calls.append((d, t, msg)))

    assert store.counts() == {"reps": 2, "leads": 5, "activities": 5, "meetings": 2, "opportunities": 1,
                              "owner_changes": 0}
    assert summary.total("added") == 15 and summary.total("changed") == 0
    assert calls and calls[-1][0] == calls[-1][1]  # the bar ends full

    leads = table(store, "leads").set_index("lead_id")
    l1, l2, l3, l4, l5 = (leads.loc[ids[k]] for k in ("l1", "l2", "l3", "l4", "l5"))
    assert l1.mql_at == at(2, 14, 10) and l1.created_at == at(2, 14)
    assert l1.segment == "SMB" and l3.segment == "Mid-market" and l2.segment == "Enterprise"
    assert pd.isna(l2.owner_id)  # queue-owned: unassigned
    assert '"owner_queue_id":"%s"' % QUEUE in l2.extra.replace(" ", "")
    assert l3.disposition == "Wrong Persona" and l3.disposition_at == at(3, 10)
    assert l4.disposition == "Qualified" and l4.disposition_at == at(2, 18)
    assert l4.sql_at == at(5, 0)
    assert pd.isna(l5.mql_at)  # never reached MQL
    assert str(leads["mql_at"].dtype) == "datetime64[us, UTC]"

    acts = table(store, "activities").set_index("activity_id")
    assert ids["t_contact"] not in acts.index
    assert acts.loc[ids["t_auto"]].is_automated and acts.loc[ids["t_auto"]].type == "email"
    call = acts.loc[ids["t_call"]]
    assert (call.type, call.direction, call.outcome, bool(call.is_automated)) == ("call", "outbound", "Left voicemail", False)
    assert acts.loc[ids["t_in"]].direction == "inbound"
    assert acts.loc[ids["t_other"]].type == "email"  # generic task logged with Type=Email
    assert acts.loc[ids["t_conv"]].lead_id == ids["l4"]  # via the converted contact

    meets = table(store, "meetings").set_index("meeting_id")
    assert meets.loc[ids["e1"]].status == "held" and meets.loc[ids["e2"]].status == "scheduled"
    opp = table(store, "opportunities").iloc[0]
    assert (opp.opportunity_id, opp.lead_id, opp.amount, bool(opp.is_won)) == (ids["o1"], ids["l4"], 25000.0, True)

    reps = table(store, "reps").set_index("rep_id")
    assert reps.loc[ids["rep_a"]].country == "US" and reps.loc[ids["rep_b"]].country == "DE"
    assert reps.loc[ids["rep_b"]].active == False  # noqa: E712
    for obj in ("User", "Lead", "Task", "Event", "Opportunity"):
        cur = store.get_cursor("salesforce", obj)
        assert cur is not None and cur.tzinfo is not None and cur <= NOW
    assert store.con.execute("SELECT status FROM loads").fetchall() == [("ok",)]


def test_incremental_sync_reads_only_changes_and_applies_deletes(fake):
    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    fake.log.clear()
    fake.clock = at(10, 9)
    fake.set_status(ids["l5"], "MQL", at(10, 9))
    fake.delete("Task", ids["t_call"])
    fake.delete("Lead", ids["l2"])
    new = fake.add("Lead", OwnerId=ids["rep_b"], LeadSource="Demo request", Company="New", Status="MQL")
    summary = run_sync(fake, store)

    lead_soql = [q for q in fake.soqls() if "FROM Lead " in q and "COUNT" not in q]
    assert lead_soql and all("SystemModstamp >= 2026-03-05T09:55:00Z" in q for q in lead_soql)
    assert any(r.startswith("/queryAll") for _, r, q in fake.log if "FROM Lead " in q)
    leads = table(store, "leads").set_index("lead_id")
    assert ids["l2"] not in leads.index and new in leads.index
    assert leads.loc[ids["l5"]].mql_at == at(10, 9)
    assert leads.loc[new].mql_at == leads.loc[new].created_at  # created straight in MQL
    assert ids["t_call"] not in table(store, "activities").activity_id.tolist()
    assert summary.deleted == {"leads": 1, "activities": 1}
    assert summary.added == {"leads": 1} and summary.changed == {"leads": 1}


def test_ties_at_the_cursor_are_not_missed(fake):
    populate(fake)
    store = Store()
    stamp = at(12, 10)
    tied = [fake.add("Lead", Company=f"Tie {i}", Status="Open", SystemModstamp=stamp, CreatedDate=stamp)
            for i in range(5)]
    run_sync(fake, store)
    assert store.get_cursor("salesforce", "Lead") == stamp
    # A record committed late at the very same instant, and one a second before the cursor.
    late = fake.add("Lead", id=sf_id("00Q", 1), Company="Late tie", Status="Open",
                    SystemModstamp=stamp, CreatedDate=stamp)
    earlier = fake.add("Lead", Company="Late, lookback", Status="Open",
                       SystemModstamp=stamp - timedelta(seconds=30), CreatedDate=stamp)
    run_sync(fake, store)
    got = set(table(store, "leads").lead_id)
    assert set(tied) | {late, earlier} <= got


def test_pagination_follows_next_records_url(fake):
    fake.page_size = 2
    for i in range(9):
        fake.tick()
        fake.add("Lead", Company=f"C{i}", Status="Open")
    store = Store()
    run_sync(fake, store, {"mql_statuses": []})
    assert store.counts()["leads"] == 9
    assert fake.count("/query/01g") >= 4  # nextRecordsUrl pages (Lead and its history)


def test_429_and_a_dropped_connection_are_retried(fake):
    populate(fake)
    fake.fail(429, route="/query", times=2, retry_after="0")
    fake.fail("drop", route="/sobjects/Task/describe", times=1)
    store = Store()
    run_sync(fake, store)
    assert store.counts()["leads"] == 5
    assert fake.count("/sobjects/Task/describe") == 2


def test_persistent_5xx_fails_cleanly_after_bounded_retries(fake):
    populate(fake)
    fake.fail(503, route="/query", times=50, retry_after="0")
    store = Store()
    with pytest.raises(sfc.SalesforceUnavailable, match="503"):
        run_sync(fake, store)
    assert fake.count("/query") <= 6
    assert store.con.execute("SELECT status FROM loads").fetchall() == [("failed",)]


def test_api_limit_mid_sync_stops_keeps_state_and_a_rerun_completes(fake, tmp_path):
    populate(fake)
    clean = Store()
    run_sync(fake, clean)
    used = fake.api_used
    fake.api_used = 0
    fake.api_limit = used - 2  # runs out after leads and tasks, before opportunities
    store = Store()
    with pytest.raises(sfc.ApiLimitReached) as err:
        run_sync(fake, store, {"api_limit_stop": 1.0})
    assert "limit" in str(err.value).lower()
    assert store.con.execute("SELECT status FROM loads").fetchall() == [("stopped",)]
    kept = {o: store.get_cursor("salesforce", o) for o in ("User", "Lead", "Task", "Event", "Opportunity")}
    assert kept["User"] and kept["Lead"] and kept["Opportunity"] is None
    fake.api_limit = 15000
    run_sync(fake, store)
    assert_same(snapshot(store), snapshot(clean))


def test_near_the_daily_limit_the_sync_does_not_start_reading(fake):
    populate(fake)
    fake.api_used = 14000  # 93% of 15000
    store = Store()
    with pytest.raises(sfc.ApiLimitReached, match="nearly reached"):
        run_sync(fake, store)
    assert fake.count("/query") == 0
    assert store.counts()["leads"] == 0


def test_a_crash_mid_sync_then_a_rerun_equals_a_clean_run(fake):
    populate(fake)
    clean = Store()
    run_sync(fake, clean)
    for crash_at in (3, 9, 14):
        store = Store()
        calls = []

        def boom(done, total, message):
            calls.append(message)
            if len(calls) == crash_at:
                raise KeyboardInterrupt("killed")

        with pytest.raises(KeyboardInterrupt):
            run_sync(fake, store, progress=boom)
        run_sync(fake, store)
        assert_same(snapshot(store), snapshot(clean))


def test_a_custom_field_added_between_runs(fake):
    ids = populate(fake)
    store = Store()
    cfg = {"lead_fields": {"score": "Lead_Score__c", "campaign": "Campaign__c"}}
    first = run_sync(fake, store, cfg)
    assert any("Lead_Score__c" in n for n in first.notes)
    fake.add_field("Lead", "Lead_Score__c", {ids["l1"]: 87, ids["l3"]: 12.5})
    second = run_sync(fake, store, cfg)
    leads = table(store, "leads").set_index("lead_id")
    assert leads.loc[ids["l1"]].score == 87 and leads.loc[ids["l3"]].score == 12.5
    assert any("new field" in n for n in second.notes)
    fake.records["Lead"][ids["l1"]].pop("Lead_Score__c")
    fake.fields["Lead"].remove("Lead_Score__c")  # removed again: still no crash
    run_sync(fake, store, cfg)


def test_queue_owned_leads_are_unassigned(fake):
    fake.add("Lead", OwnerId=QUEUE, Company="Q", Status="MQL")
    fake.add("Lead", OwnerId=sf_id("005", 7), Company="U", Status="MQL")
    store = Store()
    run_sync(fake, store)
    owners = table(store, "leads").owner_id.tolist()
    assert sum(pd.isna(o) for o in owners) == 1 and sf_id("005", 7) in owners


@pytest.mark.parametrize("stamps", ["epoch_ms", "iso"])
def test_a_bulk_sized_object_goes_through_bulk_api_2(fake, stamps):
    ids = populate(fake)
    for i in range(40):
        fake.tick(7)
        fake.add("Task", WhoId=ids["l1"] if i % 2 else ids["l3"], OwnerId=ids["rep_a"], TaskSubtype="Email",
                 CompletedDateTime=fake.clock, Subject=f"Touch {i}")
    rest = Store()
    run_sync(fake, rest)
    assert fake.count("/jobs/query") == 0
    fake.bulk_datetimes, fake.bulk_page_size = stamps, 15
    bulk = Store()
    run_sync(fake, bulk, {"bulk_threshold": 20})
    assert fake.count("/jobs/query") >= 1 and fake.count("/results") >= 3  # paged by Sforce-Locator
    assert_same(snapshot(bulk), snapshot(rest))
    assert bulk.get_cursor("salesforce", "Task") == rest.get_cursor("salesforce", "Task")


def test_full_sync_reconciles_hard_deleted_records(fake):
    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    fake.purge("Lead", ids["l5"])  # emptied from the recycle bin: queryAll no longer returns it
    run_sync(fake, store)
    assert ids["l5"] in set(table(store, "leads").lead_id)
    summary = run_sync(fake, store, full=True)
    assert ids["l5"] not in set(table(store, "leads").lead_id)
    assert summary.deleted.get("leads") == 1


def test_sync_logs_never_contain_the_token(fake, caplog):
    populate(fake)
    fake.fail(429, route="/query", times=1, retry_after="0")
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "requests", "simple_salesforce", "handoff"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    store = Store()
    run_sync(fake, store)
    bad = sfc.SalesforceCredentials(instance_url=fake.instance_url, access_token=fake.token + "x")
    with pytest.raises(sfc.SyncError) as err:
        sfc.sync(store, CONFIG, bad, now=NOW)
    assert caplog.records  # urllib3 did log at debug level
    secret = fake.token.split("!")[1]
    assert secret not in caplog.text and secret not in str(err.value)
    assert secret not in repr(bad) and secret not in str(bad)
    dump = store.con.execute("SELECT CAST(summary AS VARCHAR) FROM loads").fetchall()
    assert all(secret not in str(r) for r in dump)


def test_timestamps_do_not_depend_on_the_machine_timezone(fake, monkeypatch):
    import time

    populate(fake)
    results = []
    for tz in ("America/Los_Angeles", "Asia/Kolkata"):
        monkeypatch.setenv("TZ", tz)
        time.tzset()
        store = Store()
        run_sync(fake, store)
        results.append(snapshot(store))
    monkeypatch.delenv("TZ")
    time.tzset()
    assert_same(results[0], results[1])


def test_per_lead_facts_after_a_sync(fake):
    """The model's per-lead facts from synced data are what the fake org's records imply."""
    from handoff.model import Model

    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    facts = Model(store.con, as_of=NOW).lead_handoff().set_index("lead_id")
    # l1: MQL Mon 09:10 New York (rep's calendar); the automated email at 09:11 is not a touch,
    # the call at 09:12 is: 2 minutes, met (Demo request -> high, 5 business minutes).
    l1 = facts.loc[ids["l1"]]
    assert l1.first_touch_at == at(2, 14, 12) and l1.response_minutes == 2
    assert l1.response_business_minutes == 2 and l1.sla_status == "met"
    # l2: queue-owned, never touched, low tier (480 business minutes) long passed: breached.
    l2 = facts.loc[ids["l2"]]
    assert pd.isna(l2.first_touch_at) and pd.isna(l2.owner_id) and l2.sla_status == "breached"
    # l3: MQL 07:00 Los Angeles, the inbound call doesn't count, the logged email at 09:00 does:
    # 120 wall-clock minutes, 0 business minutes (before opening), met.
    l3 = facts.loc[ids["l3"]]
    assert l3.first_touch_at == at(2, 17) and l3.response_minutes == 120
    assert l3.response_business_minutes == 0 and l3.sla_status == "met"
    assert ids["l5"] not in facts.index  # never an MQL: not a handoff


# -- units -------------------------------------------------------------------------------------------
def test_rest_and_bulk_datetimes_are_the_same_instant():
    got = to_ts(pd.Series(["2026-03-09T14:05:00.000+0000", "1773065100000", "2026-03-09T14:05:00.000Z", None]))
    assert got[0] == got[1] == got[2] == datetime(2026, 3, 9, 14, 5, tzinfo=UTC)
    assert pd.isna(got[3])


def test_disposition_map():
    from handoff.sources.convert import disposition_mapper

    f = disposition_mapper(sfc.DEFAULT_CODES, {"Unqualified - No budget": "Bad Fit"})
    assert f("WRONG_PERSONA") == "Wrong Persona" and f("wrong timing") == "Wrong Timing"
    assert f("unqualified - no budget") == "Bad Fit" and f("Working") is None and f(None) is None


def test_credentials_from_secrets_and_environment(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[salesforce]\ninstance_url = "https://acme.my.salesforce.com"\naccess_token = "tok123"\n')
    c = sfc.credentials_from(secrets, {})
    assert c.instance_url == "https://acme.my.salesforce.com" and c.access_token.get_secret_value() == "tok123"
    assert "tok123" not in repr(c)
    env = {"SALESFORCE_USERNAME": "u@x", "SALESFORCE_PASSWORD": "pw", "SALESFORCE_SECURITY_TOKEN": "st",
           "SALESFORCE_DOMAIN": "test"}
    c = sfc.credentials_from(tmp_path / "missing.toml", env)
    assert (c.username, c.domain, c.kind) == ("u@x", "test", "password")
    assert sfc.credentials_from({"salesforce": {}}, {}) is None
    with pytest.raises(sfc.SyncError, match="instance URL"):
        sfc.credentials_from(None, {"SALESFORCE_ACCESS_TOKEN": "t"})
    with pytest.raises(sfc.SyncError, match="security_token"):
        sfc.credentials_from({"username": "u", "password": "p"}, {})


def test_config_is_validated():
    with pytest.raises(sfc.SyncError, match="lookback_seconds"):
        sfc.SalesforceConfig.parse({"lookback_seconds": -1})
    cfg = sfc.SalesforceConfig.parse({"mql_statuses": "MQL"})
    assert cfg.mql_statuses == ["MQL"] and cfg.disposition_field == "Status"


# -- the command line ------------------------------------------------------------------------------
def main(argv: list[str]) -> int:
    """The `handoff sync` subcommand as the CLI runs it."""
    import argparse

    parser = argparse.ArgumentParser(prog="handoff")
    sync_command.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def write_secrets(tmp_path, fake) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(f'[salesforce]\ninstance_url = "{fake.instance_url}"\naccess_token = "{fake.token}"\n')
    return path


def test_cli_sync_salesforce(fake, tmp_path, capsys, monkeypatch):
    populate(fake)
    for k in list(__import__("os").environ):
        if k.startswith("SALESFORCE_"):
            monkeypatch.delenv(k)
    cfg = tmp_path / "handoff.toml"
    cfg.write_text('[salesforce]\nmql_statuses = ["MQL"]\nbackoff_seconds = 0\nbulk_poll_seconds = 0\n')
    db = tmp_path / "h.duckdb"
    args = ["sync", "salesforce", "--db", str(db), "--config", str(cfg), "--secrets", str(write_secrets(tmp_path, fake))]
    assert main(args) == 0
    out = capsys.readouterr()
    assert "15 added" in out.out and fake.token not in out.out + out.err
    fake.api_used = 14900
    assert main(args + ["--quiet"]) == 3
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "limit" in err
    with Store(db) as store:
        assert store.counts()["leads"] == 5
    assert main(["sync", "hubspot", "--db", str(db)]) == 2
    assert main(["sync", "salesforce", "--db", str(db), "--secrets", str(tmp_path / "none.toml")]) == 2
