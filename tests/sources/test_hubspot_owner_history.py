"""Contact owner history from HubSpot (`hubspot_owner_id` through propertiesWithHistory) into
owner_changes, and the portal id for record links, against the local fake portal over real
HTTP (see fake_hubspot.py): the real hubspot-api-client makes every request."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_hubspot import FakeHubSpot, epoch_ms, iso  # noqa: E402

from handoff.sources import hubspot as hs  # noqa: E402
from handoff.sources.runner import run  # noqa: E402
from handoff.store import Store  # noqa: E402

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
CONFIG = {"backoff_seconds": 0.0, "page_size": 2}
OWNER = "hubspot_owner_id"


def at(day: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, 3, day, hh, mm, tzinfo=UTC)


@pytest.fixture
def fake(hubspot_portal):
    return hubspot_portal


def run_sync(fake, store, config=None, **kw):
    creds = hs.HubSpotCredentials(access_token=fake.token, base_url=fake.base_url)
    return run(hs.CONNECTOR, store, {**CONFIG, **(config or {})}, creds, now=kw.pop("now", NOW), **kw)


def changes(store: Store) -> list[tuple]:
    return store.con.execute(
        "SELECT change_id, lead_id, changed_at, from_owner_id, to_owner_id FROM owner_changes "
        "ORDER BY lead_id, changed_at, change_id"
    ).fetchall()


def populate(fake: FakeHubSpot) -> dict[str, str]:
    """Owners Ann and Bo; contact m: created unassigned Monday 13:00, MQL at 14:00, Ann's at
    14:30, Bo's Tuesday 09:00, set to Bo again at 10:00 (no change), unassigned at 11:00,
    Ann's again at 12:00; contact s: Bo's since it was created, never changed."""
    ids = {}
    fake.clock = at(2, 8)
    ids["ann"] = fake.add_owner("Ann", "Rep", "ann@x.test", "SDR")
    ids["bo"] = fake.add_owner("Bo", "Rep", "bo@x.test", "SDR")
    fake.clock = at(2, 13)
    ids["m"] = fake.add(
        "contacts", company="Moved", hubspot_owner_id="", hs_v2_date_entered_marketingqualifiedlead=at(2, 14)
    )
    fake.update("contacts", ids["m"], at=at(2, 14, 30), hubspot_owner_id=ids["ann"])
    fake.update("contacts", ids["m"], at=at(3, 9), hubspot_owner_id=ids["bo"])
    fake.update("contacts", ids["m"], at=at(3, 10), hubspot_owner_id=ids["bo"])
    fake.update("contacts", ids["m"], at=at(3, 11), hubspot_owner_id="")
    fake.update("contacts", ids["m"], at=at(3, 12), hubspot_owner_id=ids["ann"])
    ids["s"] = fake.add(
        "contacts", company="Stays", hubspot_owner_id=ids["bo"], hs_v2_date_entered_marketingqualifiedlead=at(2, 13)
    )
    fake.clock = at(6, 9)
    return ids


def cid(contact: str, when: datetime, n: int = 0) -> str:
    return f"{contact}:{epoch_ms(when)}:{n}"


# -- scenarios ----------------------------------------------------------------------------------------------
def test_owner_history_becomes_changes_without_repeats_and_with_unassignment(fake):
    ids = populate(fake)
    store = Store()
    summary = run_sync(fake, store)
    m, s, ann, bo = ids["m"], ids["s"], ids["ann"], ids["bo"]
    assert changes(store) == [
        # m's first entry (unassigned at creation) is no change; 10:00 repeats Bo: no change either
        (cid(m, at(2, 14, 30)), m, at(2, 14, 30), None, ann),
        (cid(m, at(3, 9)), m, at(3, 9), ann, bo),
        (cid(m, at(3, 11)), m, at(3, 11), bo, None),  # unassigned
        (cid(m, at(3, 12)), m, at(3, 12), None, ann),
        (cid(s, at(2, 13)), s, at(2, 13), None, bo),  # an owner from creation: the first change
    ]
    assert summary.added["owner_changes"] == 5
    assert store.get_cursor("hubspot", "owner_history") == at(3, 12)  # m's lastmodifieddate
    # The contacts read asked for the owner history too, so the owner history needed no read of its own.
    reads = [b for _, r, b in fake.log if r == "/crm/v3/objects/contacts/batch/read"]
    assert len(reads) == 1 and OWNER in reads[0]["propertiesWithHistory"]


def test_out_of_order_history_and_changes_at_one_instant(fake):
    """HubSpot lists history newest first; entries arriving out of order are put in time order,
    and of entries at one instant the one listed later is the older: ids count them."""
    ids = populate(fake)
    m = ids["m"]
    entries = fake.history[("contacts", m, OWNER)]
    entries.reverse()  # oldest first: the wrong way round
    entries.insert(2, {"value": ids["bo"], "timestamp": iso(at(2, 16)), "sourceType": "CRM_UI"})  # in the middle
    entries.insert(0, {"value": "", "timestamp": iso(at(2, 16)), "sourceType": "CRM_UI"})  # same instant, newer
    store = Store()
    run_sync(fake, store)
    got = [c for c in changes(store) if c[1] == m]
    assert [(c[0], c[3], c[4]) for c in got] == [
        (cid(m, at(2, 14, 30)), None, ids["ann"]),
        (cid(m, at(2, 16), 0), ids["ann"], ids["bo"]),
        (cid(m, at(2, 16), 1), ids["bo"], None),
        (cid(m, at(3, 9)), None, ids["bo"]),
        (cid(m, at(3, 11)), ids["bo"], None),
        (cid(m, at(3, 12)), None, ids["ann"]),
    ]


def test_an_incremental_sync_adds_a_new_change_once_and_a_rerun_changes_nothing(fake):
    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    fake.log.clear()
    fake.clock = at(10, 9)
    fake.update("contacts", ids["s"], hubspot_owner_id=ids["ann"])
    summary = run_sync(fake, store, now=at(10, 12))
    assert summary.added == {"owner_changes": 1} and summary.changed == {"leads": 1}
    assert (cid(ids["s"], at(10, 9)), ids["s"], at(10, 9), ids["bo"], ids["ann"]) in changes(store)
    assert len(changes(store)) == 6
    owner_searches = [
        b
        for _, r, b in fake.log
        if r == "/crm/v3/objects/contacts/search" and b.get("properties") == ["lastmodifieddate"]
    ]
    assert owner_searches and all(
        f["operator"] != "GTE" or int(f["value"]) >= epoch_ms(at(3, 11, 55))  # the cursor less the lookback
        for b in owner_searches
        for f in b["filterGroups"][0]["filters"]
    )
    before = changes(store)
    again = run_sync(fake, store, now=at(10, 12))
    assert again.total("added") == again.total("changed") == again.total("deleted") == 0
    assert changes(store) == before


def test_an_archived_contacts_changes_go_with_it(fake):
    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    fake.archive("contacts", ids["m"], at(10, 9))
    summary = run_sync(fake, store, now=at(10, 12))
    assert {c[1] for c in changes(store)} == {ids["s"]}
    assert summary.deleted == {"leads": 1, "owner_changes": 4}


def test_owner_history_read_again_when_the_contacts_read_did_not_bring_it(fake, monkeypatch):
    """Owner history whose cursor lags the contacts' (a sync stopped between them) is read by
    itself; the result equals a clean run's."""
    ids = populate(fake)
    clean = Store()
    run_sync(fake, clean)
    store = Store()
    run_sync(fake, store)
    store.con.execute("DELETE FROM owner_changes")
    store.set_cursor("hubspot", "owner_history", None)
    store.con.execute("DELETE FROM sync_state WHERE object = 'owner_history'")
    fake.log.clear()
    run_sync(fake, store)
    reads = [b for _, r, b in fake.log if r == "/crm/v3/objects/contacts/batch/read"]
    # m is read again (within the lookback) with its owner history; s's is read by itself
    assert [(b["inputs"], b["propertiesWithHistory"]) for b in reads] == [
        ([{"id": ids["m"]}], ["lifecyclestage", "hs_lead_status", OWNER]),
        ([{"id": ids["s"]}], [OWNER]),
    ]
    assert changes(store) == changes(clean)
    assert ids["m"] in {c[1] for c in changes(store)}


def test_assigned_at_of_a_contact_that_waited_unassigned_first(fake):
    """Through the model: m became an MQL at 14:00 unassigned and was Ann's at 14:30, so it was
    assigned at 14:30; s had Bo at its MQL: assigned then."""
    from handoff.model import Model

    ids = populate(fake)
    store = Store()
    run_sync(fake, store)
    leads = Model(store.con, as_of=NOW).leads(extended=True).set_index("lead_id")
    assert leads.loc[ids["m"], "mql_at"] == at(2, 14)
    assert leads.loc[ids["m"], "assigned_at"] == at(2, 14, 30)
    assert leads.loc[ids["s"], "assigned_at"] == at(2, 13)


# -- the portal id for record links -------------------------------------------------------------------------
def test_each_sync_stores_the_portal_id_and_its_ui_domain(fake):
    populate(fake)
    store = Store()
    run_sync(fake, store)
    assert store.get_meta(hs.PORTAL_ID_KEY) == "62515"
    assert store.get_meta(hs.UI_DOMAIN_KEY) == "app.hubspot.com"
    assert fake.count("/account-info/v3/details", method="GET") == 1
    fake.portal_id, fake.ui_domain = 99887766, "app-eu1.hubspot.com"  # an EU portal
    run_sync(fake, store)
    assert (store.get_meta(hs.PORTAL_ID_KEY), store.get_meta(hs.UI_DOMAIN_KEY)) == ("99887766", "app-eu1.hubspot.com")


@pytest.mark.parametrize(
    "portal,domain,want_portal,want_domain,note",
    [
        (62515, None, "62515", None, None),  # no uiDomain given: only the portal id
        ("62515", "app.hubspot.com", "62515", "app.hubspot.com", None),
        ("62515 OR 1=1", "app.hubspot.com", None, None, "no portal id"),
        (True, "app.hubspot.com", None, None, "no portal id"),
        (None, "app.hubspot.com", None, None, "no portal id"),
        (-5, "app.hubspot.com", None, None, "no portal id"),
        (62515, "evil.example/app.hubspot.com", "62515", None, "not HubSpot's"),
        (62515, "app.hubspot.com.evil.example", "62515", None, "not HubSpot's"),
    ],
)
def test_account_details_are_checked_before_they_are_stored(fake, portal, domain, want_portal, want_domain, note):
    fake.portal_id, fake.ui_domain = portal, domain
    store = Store()
    summary = run_sync(fake, store)
    assert store.get_meta(hs.PORTAL_ID_KEY) == want_portal
    assert store.get_meta(hs.UI_DOMAIN_KEY) == want_domain
    assert any(note in n for n in summary.notes) if note else not any("account details" in n for n in summary.notes)


def test_account_details_out_of_reach_are_noted_and_the_sync_goes_on(fake):
    populate(fake)
    fake.fail(403, route="/account-info", times=1)
    store = Store()
    summary = run_sync(fake, store)
    assert store.get_meta(hs.PORTAL_ID_KEY) is None
    assert any("account details could not be read" in n and "403" in n for n in summary.notes)
    assert store.counts()["leads"] == 2 and store.counts()["owner_changes"] == 5
    assert fake.token not in " ".join(summary.notes)


def test_owner_history_frame_unit():
    """The mapping alone: the first empty entry and repeats are no changes; ids are stable."""
    from handoff.sources.hubspot_mapping import HISTORY_COLUMNS, owner_history_frame

    history = pd.DataFrame(
        [
            ("7", OWNER, "", "2026-03-02T09:00:00.000Z"),
            ("7", OWNER, "11", "1772445600000"),  # epoch ms: 10:00
            ("7", OWNER, " 11 ", "2026-03-02T11:00:00.000Z"),
            ("7", "lifecyclestage", "lead", "2026-03-02T12:00:00.000Z"),
        ],
        columns=HISTORY_COLUMNS,
    )
    out = owner_history_frame(history)
    assert out[["change_id", "from_owner", "to_owner"]].values.tolist() == [["7:1772445600000:0", None, "11"]]
    assert owner_history_frame(history.iloc[::-1]).equals(out)
