"""Lead Owner history from Salesforce into owner_changes, and the org's address for record
links, against the local fake org over real HTTPS (see fake_salesforce.py)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_salesforce import FakeSalesforce, sf_id  # noqa: E402

from handoff.model.crm import links_from  # noqa: E402
from handoff.sources import salesforce as sfc  # noqa: E402
from handoff.sources.files import import_dir  # noqa: E402
from handoff.store import Store  # noqa: E402

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
CONFIG = {"mql_statuses": ["MQL"], "backoff_seconds": 0, "bulk_poll_seconds": 0}
QUEUE = sf_id("00G", 1)
OTHER_QUEUE = sf_id("00G", 2)


def at(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 3, day, hh, mm, tzinfo=UTC)


@pytest.fixture
def fake(salesforce_org):
    return salesforce_org


def run_sync(fake, store, config=None, **kw):
    creds = sfc.SalesforceCredentials(instance_url=fake.instance_url, access_token=fake.token)
    return sfc.sync(store, {**CONFIG, **(config or {})}, creds, now=kw.pop("now", NOW), **kw)


def changes(store: Store) -> pd.DataFrame:
    return store.con.execute(
        "SELECT change_id, lead_id, changed_at, from_owner_id, to_owner_id FROM owner_changes ORDER BY change_id"
    ).df()


def populate(fake: FakeSalesforce) -> dict[str, str]:
    """Two reps; lead q sits in a queue, reaches MQL at 14:10 and goes to Ann at 14:40, then to
    Bo, then to another queue; lead d goes from Ann to Bo; lead n never changes owner."""
    ids = {}
    fake.clock = at(2, 8)
    ids["ann"] = fake.add("User", Name="Ann Rep", TimeZoneSidKey="UTC", CountryCode="US", IsActive=True)
    ids["bo"] = fake.add("User", Name="Bo Rep", TimeZoneSidKey="UTC", CountryCode="US", IsActive=True)
    fake.names[QUEUE] = "Inbound queue"
    fake.clock = at(2, 14)
    ids["q"] = fake.add("Lead", OwnerId=QUEUE, LeadSource="Demo request", Company="Queued", Status="Open")
    ids["d"] = fake.add("Lead", OwnerId=ids["ann"], LeadSource="Webinar", Company="Direct", Status="Open")
    ids["n"] = fake.add("Lead", OwnerId=ids["bo"], LeadSource="Webinar", Company="Never", Status="Open")
    fake.set_status(ids["q"], "MQL", at(2, 14, 10))
    fake.set_status(ids["d"], "MQL", at(2, 14, 20))
    fake.set_status(ids["n"], "MQL", at(2, 14, 30))
    none = (None, None)  # an org that does not track Owner writes no history rows
    ids["q1"], ids["q1_names"] = fake.set_owner(ids["q"], ids["ann"], at(2, 14, 40)) or none
    ids["q2"], _ = fake.set_owner(ids["q"], ids["bo"], at(3, 9)) or none
    ids["q3"], _ = fake.set_owner(ids["q"], OTHER_QUEUE, at(3, 10)) or none
    ids["d1"], _ = fake.set_owner(ids["d"], ids["bo"], at(2, 15)) or none
    fake.clock = at(6, 9)
    return ids


# -- scenarios -------------------------------------------------------------------------------------
def test_two_rows_per_change_keep_the_ids_and_queues_as_given(fake):
    ids = populate(fake)
    assert len(fake.records["LeadHistory"]) == 3 + 2 * 4  # status rows, and two rows per owner change
    store = Store()
    summary = run_sync(fake, store)

    got = changes(store).set_index("change_id")
    assert set(got.index) == {ids["q1"], ids["q2"], ids["q3"], ids["d1"]}  # never a row of names
    assert ids["q1_names"] not in got.index
    rows = {k: tuple(got.loc[ids[k]]) for k in ("q1", "q2", "q3", "d1")}
    assert rows["q1"] == (ids["q"], at(2, 14, 40), QUEUE, ids["ann"])  # from the queue, as given
    assert rows["q2"] == (ids["q"], at(3, 9), ids["ann"], ids["bo"])
    assert rows["q3"] == (ids["q"], at(3, 10), ids["bo"], OTHER_QUEUE)  # to a queue: kept as given
    assert rows["d1"] == (ids["d"], at(2, 15), ids["ann"], ids["bo"])
    assert summary.added["owner_changes"] == 4
    assert store.get_cursor("salesforce", "LeadHistory") == at(3, 10)  # the newest CreatedDate
    soql = [q for q in fake.soqls() if "FROM LeadHistory WHERE Field = 'Owner'" in q and "COUNT" not in q]
    assert soql and all("ORDER BY CreatedDate, Id" in q for q in soql)
    assert any(r.startswith("/queryAll") for _, r, q in fake.log if q in soql)


def test_a_lead_created_without_an_owner_change_first_has_no_old_value(fake):
    """A first change whose OldValue is empty (none) is still a change of ids."""
    ids = populate(fake)
    fake.clock = at(7, 9)
    lead = fake.add("Lead", OwnerId=None, Company="Ownerless", Status="Open")
    first, _ = fake.set_owner(lead, ids["ann"], at(7, 10))
    store = Store()
    run_sync(fake, store)
    row = changes(store).set_index("change_id").loc[first]
    assert pd.isna(row.from_owner_id) and row.to_owner_id == ids["ann"]


def test_an_incremental_sync_adds_a_new_change_once_and_a_rerun_changes_nothing(fake):
    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    cursor = store.get_cursor("salesforce", "LeadHistory")
    fake.log.clear()
    fake.clock = at(10, 9)
    new, _ = fake.set_owner(ids["n"], ids["ann"], at(10, 9))
    summary = run_sync(fake, store)

    reads = [q for q in fake.soqls() if "FROM LeadHistory WHERE Field = 'Owner'" in q and "COUNT" not in q]
    since = (cursor - timedelta(seconds=300)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert reads and all(f"CreatedDate >= {since}" in q for q in reads)  # the cursor less the lookback
    assert summary.added.get("owner_changes") == 1 and "owner_changes" not in summary.changed
    assert len(changes(store)) == 5 and new in set(changes(store).change_id)
    assert store.get_cursor("salesforce", "LeadHistory") == at(10, 9)

    before = changes(store)
    again = run_sync(fake, store)
    assert again.total("added") == again.total("changed") == again.total("deleted") == 0
    pd.testing.assert_frame_equal(changes(store), before)


def test_a_deleted_leads_changes_go_with_it(fake):
    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    fake.clock = at(10, 9)
    fake.delete("Lead", ids["q"])
    summary = run_sync(fake, store)
    assert set(changes(store).lead_id) == {ids["d"]}
    assert summary.deleted == {"leads": 1, "owner_changes": 3}


def test_a_full_sync_reads_the_same_changes_through_bulk_api_2(fake):
    populate(fake)
    rest = Store()
    run_sync(fake, rest)
    bulk = Store()
    fake.bulk_page_size = 2
    run_sync(fake, bulk, {"bulk_threshold": 2})
    assert any("LeadHistory" in str(job["obj"]) for job in fake.jobs.values())
    pd.testing.assert_frame_equal(changes(bulk), changes(rest))
    assert bulk.get_cursor("salesforce", "LeadHistory") == rest.get_cursor("salesforce", "LeadHistory")


def test_an_org_without_owner_history_tracking_is_noted_and_the_sync_goes_on(fake):
    fake.tracked = {"Lead": {"Status"}}
    ids = populate(fake)
    assert all(r["Field"] == "Status" for r in fake.records["LeadHistory"].values())
    store = Store()
    summary = run_sync(fake, store)
    assert store.counts()["owner_changes"] == 0 and store.counts()["leads"] == 3
    assert any("Lead Owner field history is not tracked" in n for n in summary.notes)
    assert store.con.execute("SELECT status FROM loads").fetchall() == [("ok",)]
    assert table_owner(store, ids["d"]) == ids["bo"]  # the current owner still comes from the lead


def test_leadhistory_out_of_reach_keeps_what_is_stored(fake):
    populate(fake)
    store = Store()
    run_sync(fake, store)
    stored = changes(store)
    assert len(stored) == 4
    fake.hidden = {"LeadHistory"}
    summary = run_sync(fake, store, full=True)
    assert any("LeadHistory could not be read: owner_changes is not updated" in n for n in summary.notes)
    pd.testing.assert_frame_equal(changes(store), stored)  # nothing reconciled away
    assert store.con.execute("SELECT status FROM loads ORDER BY load_id").fetchall() == [("ok",), ("ok",)]


def table_owner(store: Store, lead_id: str) -> str | None:
    return store.con.execute("SELECT owner_id FROM leads WHERE lead_id = ?", [lead_id]).fetchall()[0][0]


def test_assigned_at_of_a_lead_that_sat_in_a_queue_first(fake):
    """Through the model: q reached MQL at 14:10 in a queue and went to Ann at 14:40, so it was
    assigned at 14:40 (routing took 30 minutes); d had an owner at its MQL: assigned then."""
    from handoff.model import Model

    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    leads = Model(store.con, as_of=NOW).leads(extended=True).set_index("lead_id")
    assert leads.loc[ids["q"], "mql_at"] == at(2, 14, 10)
    assert leads.loc[ids["q"], "assigned_at"] == at(2, 14, 40)
    assert leads.loc[ids["d"], "assigned_at"] == at(2, 14, 20)


# -- the org's address for record links -----------------------------------------------------------
def test_each_sync_stores_the_instance_url(fake):
    populate(fake)
    store = Store()
    run_sync(fake, store)
    assert store.get_meta(sfc.INSTANCE_URL_KEY) == f"https://127.0.0.1:{fake.port}"


def test_a_store_imported_from_files_then_synced_links_to_salesforce(fake, tmp_path):
    """The data's origin follows the last sync, so a store that started from files gets
    record links once Salesforce fills it."""
    (tmp_path / "leads.csv").write_text("lead_id,created_at\nF1,2026-03-02T10:00:00Z\n")
    store = Store()
    import_dir(store, tmp_path)
    assert store.get_meta("origin") == "files"
    populate(fake)
    run_sync(fake, store)
    assert store.get_meta("origin") == "salesforce"
    # the test org lives on 127.0.0.1, which record links refuse; a real org's address links
    settings = {"origin": store.get_meta("origin") or "", sfc.INSTANCE_URL_KEY: "https://acme.my.salesforce.com"}
    assert links_from(settings).system == "salesforce"
    assert links_from({**settings, "origin": "files"}).system is None


def test_a_loopback_instance_is_refused_outside_the_tests(fake, monkeypatch):
    monkeypatch.setattr(sfc, "LOCAL_ORGS", False)
    populate(fake)
    store = Store()
    summary = run_sync(fake, store)
    assert store.get_meta(sfc.INSTANCE_URL_KEY) is None
    notes = [n for n in summary.notes if "not a Salesforce host" in n]
    assert notes and "Links to Salesforce records are not stored" in notes[0]
    assert store.counts()["leads"] == 3  # the sync itself goes on


@pytest.mark.parametrize(
    "url,want",
    [
        ("https://acme.my.salesforce.com", "https://acme.my.salesforce.com"),
        ("https://ACME.my.salesforce.com/", "https://acme.my.salesforce.com"),
        ("https://acme--uat.sandbox.my.salesforce.com", "https://acme--uat.sandbox.my.salesforce.com"),
        ("https://acme.lightning.force.com", "https://acme.lightning.force.com"),
        ("https://agency.my.salesforce.mil", "https://agency.my.salesforce.mil"),
        ("https://na1.cloudforce.com:443", "https://na1.cloudforce.com:443"),
    ],
)
def test_instance_urls_that_are_salesforce(url, want):
    assert sfc.instance_url(url, allow_local=False) == want


@pytest.mark.parametrize(
    "url,reason",
    [
        ("http://acme.my.salesforce.com", "does not use https"),
        ("https://salesforce.com.evil.example", "not a Salesforce host"),
        ("https://evilsalesforce.com", "not a Salesforce host"),
        ("https://salesforce.com", "not a Salesforce host"),
        ("https://acme.my.salesforce.com.evil.example", "not a Salesforce host"),
        ("https://user:secret@acme.my.salesforce.com", "more than an address"),
        ("https://acme.my.salesforce.com/?next=https://evil.example", "more than an address"),
        ("https://acme.my.salesforce.com/lightning", "has a path"),
        ("javascript:alert(1)//.salesforce.com", "does not use https"),
        ("https://127.0.0.1:8443", "not a Salesforce host"),
        ("https://localhost", "not a Salesforce host"),
        ("https://acme.my.salesforce.com:99999", "not a URL"),
    ],
)
def test_instance_urls_that_are_not_salesforce_are_refused(url, reason):
    with pytest.raises(ValueError, match=reason) as err:
        sfc.instance_url(url, allow_local=False)
    assert "secret" not in str(err.value) and "evil" not in str(err.value)  # never repeats the URL


def test_loopback_only_when_allowed():
    assert sfc.instance_url("https://127.0.0.1:8443", allow_local=True) == "https://127.0.0.1:8443"
    with pytest.raises(ValueError, match="does not use https"):
        sfc.instance_url("http://127.0.0.1:8443", allow_local=True)
