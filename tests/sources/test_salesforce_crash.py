"""A sync killed inside a page's write loses nothing: the cursor and the rows it covers
commit together (RELIABILITY.md, "Every sync").

The crash is injected exactly where a cursor and its page's rows meet: inside the upsert of
the Nth page of a table (the rows), or inside the Nth cursor write of an object (the cursor).
The org's records are an hour apart, far more than the 300-second lookback, so a cursor that
got ahead of its rows would leave them behind for good. After the crash, no stored cursor
may cover a record the store lacks; a rerun then equals a clean run.
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
    crash_in_set_cursor,
    crash_in_upsert,
    crash_twice_then_rerun,
    kill_then_rerun,
    snapshot,
)
from fake_salesforce import FakeSalesforce  # noqa: E402

from handoff.sources import salesforce as sfc  # noqa: E402
from handoff.store import Store  # noqa: E402

NOW = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)
LOOKBACK = 300
CONFIG = {"mql_statuses": ["MQL"], "backoff_seconds": 0, "bulk_poll_seconds": 0, "lookback_seconds": LOOKBACK}
OBJECTS = {"User": "reps", "Lead": "leads", "LeadHistory": "owner_changes", "Task": "activities", "Event": "meetings"}
PAGE = 3  # records per REST page (and per Bulk results page)


def populate(fake: FakeSalesforce) -> None:
    """Four reps, nine leads (each reaches MQL, then moves to the next rep), nine tasks, five
    events: every record (and owner change) an hour after the previous one of its object, so
    each page of three spans two hours."""
    start = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    reps = []
    for i in range(4):
        fake.clock = start + timedelta(hours=i)
        reps.append(fake.add("User", Name=f"Rep {i}", Email=f"r{i}@x.test", TimeZoneSidKey="America/New_York",
                             CountryCode="US", IsActive=True))
    leads = []
    for i in range(9):
        fake.clock = start + timedelta(days=1, hours=i)
        lid = fake.add("Lead", OwnerId=reps[i % 4], LeadSource="Webinar", Company=f"Co {i}", Status="Open",
                       NumberOfEmployees=100 * i)
        fake.set_status(lid, "MQL", fake.clock + timedelta(minutes=10))
        leads.append(lid)
    for i, lid in enumerate(leads):
        fake.clock = start + timedelta(days=2, hours=i)
        fake.add("Task", WhoId=lid, OwnerId=reps[i % 4], TaskSubtype="Call", CompletedDateTime=fake.clock,
                 Subject=f"Call {i}")
    for i, lid in enumerate(leads[:5]):
        fake.clock = start + timedelta(days=3, hours=i)
        fake.add("Event", WhoId=lid, OwnerId=reps[i % 4], StartDateTime=fake.clock + timedelta(days=2))
    for i, lid in enumerate(leads):
        fake.set_owner(lid, reps[(i + 1) % 4], start + timedelta(days=4, hours=i))
    fake.clock = start + timedelta(days=5)


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    f = FakeSalesforce(page_size=PAGE, bulk_page_size=PAGE).start(tmp_path_factory.mktemp("fake-sf"))
    populate(f)
    yield f
    f.stop()


@pytest.fixture(autouse=True)
def trust(fake, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", fake.ca_file)
    fake.api_used = 0


def run_sync(fake: FakeSalesforce, store: Store, config: dict | None = None):
    creds = sfc.SalesforceCredentials(instance_url=fake.instance_url, access_token=fake.token)
    return sfc.sync(store, {**CONFIG, **(config or {})}, creds, now=NOW)


@pytest.fixture(scope="module")
def clean(fake) -> dict[str, pd.DataFrame]:
    """The tables of an uninterrupted sync."""
    store = Store()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REQUESTS_CA_BUNDLE", fake.ca_file)
        run_sync(fake, store)
    out = snapshot(store)
    assert {t: len(f) for t, f in out.items()} == {
        "reps": 4, "leads": 9, "activities": 9, "meetings": 5, "opportunities": 0, "owner_changes": 9}
    return out


def uncovered(fake: FakeSalesforce, store: Store) -> list[str]:
    """Records a stored cursor has moved past (SystemModstamp, history rows CreatedDate, before
    cursor - lookback, so an incremental rerun will not read them again) that are not in the
    store. Owner history counts its rows of ids only: the rows of names are never stored."""
    missing = []
    for obj, table in OBJECTS.items():
        cursor = store.get_cursor("salesforce", obj)
        if cursor is None:
            continue
        key = TABLES[table]
        stored = {r[0] for r in store.con.execute(f"SELECT {key} FROM {table}").fetchall()}
        for rid, rec in fake.records[obj].items():
            if obj == "LeadHistory" and (rec["Field"], rec["DataType"]) != ("Owner", "EntityId"):
                continue
            stamp = rec["CreatedDate"] if obj == "LeadHistory" else rec["SystemModstamp"]
            if stamp < cursor - timedelta(seconds=LOOKBACK) and rid not in stored:
                missing.append(f"{obj} {rid} (modified {stamp:%m-%d %H:%M}, cursor {cursor:%m-%d %H:%M})")
    return missing


# Leads: pages 1 and 2 (a cursor per page) and 3 (the last page, which also finishes the object).
UPSERT_CRASHES = [
    ("leads", 1), ("leads", 2), ("leads", 3), ("owner_changes", 2), ("activities", 2), ("meetings", 1), ("reps", 1),
]


def sync_of(fake: FakeSalesforce, config: dict | None = None):
    return lambda store: run_sync(fake, store, config)


def uncovered_in(fake: FakeSalesforce):
    return lambda store: uncovered(fake, store)


@pytest.mark.parametrize("table,nth", UPSERT_CRASHES)
def test_killed_inside_a_page_write_then_rerun_equals_a_clean_run(fake, clean, monkeypatch, table, nth):
    crash = partial(crash_in_upsert, table=table, nth=nth)
    kill_then_rerun(monkeypatch, crash, sync_of(fake), uncovered_in(fake), clean, died=(table, nth))


@pytest.mark.parametrize("obj,nth", [("Lead", 1), ("Lead", 3), ("LeadHistory", 2), ("Task", 2), ("User", 1)])
def test_killed_inside_a_cursor_write_then_rerun_equals_a_clean_run(fake, clean, monkeypatch, obj, nth):
    # The page whose cursor failed rolls back with it: the cursor is still the previous one.
    crash = partial(crash_in_set_cursor, obj=obj, nth=nth)
    kill_then_rerun(monkeypatch, crash, sync_of(fake), uncovered_in(fake), clean, died=(obj, nth))


@pytest.mark.parametrize("table,nth", [("leads", 1), ("owner_changes", 2), ("activities", 2)])
def test_killed_inside_a_bulk_page_write_then_rerun_equals_a_clean_run(fake, clean, monkeypatch, table, nth):
    config = {"bulk_threshold": 4}  # more than 4 records: Bulk API 2.0, results paged by 3
    crash = partial(crash_in_upsert, table=table, nth=nth)
    kill_then_rerun(monkeypatch, crash, sync_of(fake, config), uncovered_in(fake), clean, died=(table, nth))


def test_a_second_crash_during_the_rerun_still_ends_clean(fake, clean, monkeypatch):
    crash_twice_then_rerun(monkeypatch, sync_of(fake), uncovered_in(fake), clean)
