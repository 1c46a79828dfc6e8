"""A HubSpot sync killed half-way loses nothing: a page's rows and the cursor they justify
commit together, and a rerun equals a clean run (RELIABILITY.md, "Every sync").

Three places: inside the upsert of a page's rows, inside the cursor write that follows the
rows in the same transaction (between a page's rows and its cursor), and inside an API call
while the next page is being read. The portal's records are an hour apart, far more than the
300-second lookback, so a cursor that got ahead of its rows would leave them behind for good.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))

from crash_harness import (  # noqa: E402
    TABLES,
    Killed,
    crash_in_set_cursor,
    crash_in_upsert,
    crash_twice_then_rerun,
    kill_then_rerun,
    snapshot,
    within,
)
from fake_hubspot import FakeHubSpot, modified_prop  # noqa: E402

from handoff.sources import hubspot as hs  # noqa: E402
from handoff.sources.hubspot_client import Client  # noqa: E402
from handoff.sources.runner import run  # noqa: E402
from handoff.store import Store  # noqa: E402

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
LOOKBACK = 300
# Pages of two records, written three at a time: several transactions per object.
CONFIG = {"backoff_seconds": 0.0, "page_size": 2, "batch_size": 3, "lookback_seconds": LOOKBACK}
OBJECTS = {
    "contacts": "leads",
    "calls": "activities",
    "emails": "activities",
    "meetings": "meetings",
    "deals": "opportunities",
}


def populate(fake: FakeHubSpot) -> None:
    """Two owners, nine contacts (each an MQL, then handed to the other owner half an hour
    later), nine calls, six emails, four meetings, two deals: every record an hour after the
    previous one of its object."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    fake.clock = start
    owners = [fake.add_owner(f"Rep{i}", "X", f"r{i}@x.test", "SDR") for i in range(2)]
    contacts = []
    for i in range(9):
        fake.clock = start + timedelta(days=1, hours=i)
        contacts.append(
            fake.add(
                "contacts",
                hubspot_owner_id=owners[i % 2],
                hs_analytics_source="PAID_SEARCH",
                company=f"Co {i}",
                hs_lead_status="NEW",
                hs_v2_date_entered_marketingqualifiedlead=fake.clock,
            )
        )
        handed = fake.clock + timedelta(minutes=30)
        fake.update("contacts", contacts[-1], at=handed, hubspot_owner_id=owners[(i + 1) % 2])
    for i, cid in enumerate(contacts):
        fake.clock = start + timedelta(days=2, hours=i)
        fake.add("calls", contacts=[cid], hubspot_owner_id=owners[i % 2], hs_timestamp=fake.clock)
    for i, cid in enumerate(contacts[:6]):
        fake.clock = start + timedelta(days=3, hours=i)
        fake.add(
            "emails",
            contacts=[cid],
            hubspot_owner_id=owners[i % 2],
            hs_timestamp=fake.clock,
            hs_email_direction="EMAIL",
        )
    for i, cid in enumerate(contacts[:4]):
        fake.clock = start + timedelta(days=4, hours=i)
        fake.add(
            "meetings",
            contacts=[cid],
            hubspot_owner_id=owners[i % 2],
            hs_meeting_start_time=fake.clock + timedelta(days=2),
        )
    for i, cid in enumerate(contacts[:2]):
        fake.clock = start + timedelta(days=5, hours=i)
        fake.add("deals", contacts=[cid], amount="1000", dealstage="appointmentscheduled")
    fake.clock = start + timedelta(days=6)


@pytest.fixture(scope="module")
def fake():
    f = FakeHubSpot().start()
    populate(f)
    yield f
    f.stop()


def run_sync(fake: FakeHubSpot, store: Store):
    creds = hs.HubSpotCredentials(access_token=fake.token, base_url=fake.base_url)
    return run(hs.CONNECTOR, store, CONFIG, creds, now=NOW)


@pytest.fixture(scope="module")
def clean(fake) -> dict[str, pd.DataFrame]:
    store = Store()
    run_sync(fake, store)
    out = snapshot(store)
    assert {t: len(f) for t, f in out.items()} == {
        "reps": 2,
        "leads": 9,
        "activities": 15,
        "meetings": 4,
        "opportunities": 2,
        "owner_changes": 18,
    }
    return out


def uncovered(fake: FakeHubSpot, store: Store) -> list[str]:
    """Records a stored cursor has moved past (modified before cursor - lookback, so an
    incremental rerun will not search them again) that are not in the store."""
    missing = []
    for obj, table in OBJECTS.items():
        cursor = store.get_cursor("hubspot", obj)
        if cursor is None:
            continue
        key = TABLES[table]
        stored = {r[0] for r in store.con.execute(f"SELECT {key} FROM {table}").fetchall()}
        for rid, rec in fake.records[obj].items():
            stamp = datetime.fromisoformat(rec["properties"][modified_prop(obj)].replace("Z", "+00:00"))
            if stamp < cursor - timedelta(seconds=LOOKBACK) and rid not in stored:
                missing.append(f"{obj} {rid} (modified {stamp:%m-%d %H:%M}, cursor {cursor:%m-%d %H:%M})")
    cursor = store.get_cursor("hubspot", "owner_history")
    if cursor is not None:  # each contact's latest owner change, once its contact is behind the cursor
        latest = set(store.con.execute("SELECT lead_id, changed_at FROM owner_changes").fetchall())
        for rid, rec in fake.records["contacts"].items():
            stamp = datetime.fromisoformat(rec["properties"]["lastmodifieddate"].replace("Z", "+00:00"))
            last = fake.property_history("contacts", rec, "hubspot_owner_id")[0]["timestamp"]
            if stamp < cursor - timedelta(seconds=LOOKBACK) and (rid, datetime.fromisoformat(last)) not in latest:
                missing.append(f"owner change of {rid} at {last} (cursor {cursor:%m-%d %H:%M})")
    return missing


def crash_in_request(monkeypatch, route: str, nth: int) -> list[str]:
    """Kill the sync inside the nth API call whose request goes to `route` (while a page is read)."""
    calls: list[str] = []
    original = Client.call

    def call(self, fn, *args, **kwargs):
        name = f"{getattr(fn, '__self__', None).__class__.__name__}.{fn.__name__} {args[:1]}"
        calls.append(name)
        if route in name and sum(route in c for c in calls) == nth:
            raise Killed(f"killed during {name}")
        return original(self, fn, *args, **kwargs)

    monkeypatch.setattr(Client, "call", call)
    return calls


def sync_of(fake: FakeHubSpot):
    return lambda store: run_sync(fake, store)


def uncovered_in(fake: FakeHubSpot):
    return lambda store: uncovered(fake, store)


@pytest.mark.parametrize(
    "table,nth", [("leads", 2), ("leads", 3), ("owner_changes", 2), ("activities", 3), ("meetings", 1)]
)
def test_killed_inside_a_page_write_then_rerun_equals_a_clean_run(fake, clean, monkeypatch, table, nth):
    crash = partial(crash_in_upsert, table=table, nth=nth)
    kill_then_rerun(monkeypatch, crash, sync_of(fake), uncovered_in(fake), clean, died=(table, nth))


@pytest.mark.parametrize(
    "obj,nth",
    [("contacts", 1), ("contacts", 2), ("owner_history", 1), ("owner_history", 2), ("calls", 2), ("deals", 1)],
)
def test_killed_between_a_page_rows_and_its_cursor_then_rerun_equals_a_clean_run(fake, clean, monkeypatch, obj, nth):
    """The rows of the page are written, the crash comes while its cursor is saved: both roll
    back together, the stored cursor is still the previous one."""
    crash = partial(crash_in_set_cursor, obj=obj, nth=nth)
    kill_then_rerun(monkeypatch, crash, sync_of(fake), uncovered_in(fake), clean, died=(obj, nth))


@pytest.mark.parametrize(
    "route,nth",
    [("BatchApi.get_page ('calls',)", 2), ("BatchApi.read ('contacts',)", 2), ("SearchApi.do_search ('emails',)", 4)],
)
def test_killed_while_reading_a_page_then_rerun_equals_a_clean_run(fake, clean, monkeypatch, route, nth):
    crash = partial(crash_in_request, route=route, nth=nth)
    kill_then_rerun(monkeypatch, crash, sync_of(fake), uncovered_in(fake), clean, died=(route, nth), matches=within)


def test_a_second_crash_during_the_rerun_still_ends_clean(fake, clean, monkeypatch):
    crash_twice_then_rerun(monkeypatch, sync_of(fake), uncovered_in(fake), clean)
