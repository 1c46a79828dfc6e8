"""Salesforce sync throughput through the real simple-salesforce client against the local fake.

    .venv/bin/python benchmarks/bench_salesforce_sync.py [--leads 100000] [--tasks-per-lead 3]

Prints figures; asserts nothing. The baseline is the fake's raw serving rate: a plain
`requests` loop that asks for exactly the same data (Bulk API 2.0 jobs for Lead and Task,
REST pages of LeadHistory) and only counts the records, so the ratio shows what the
connector itself (parsing, mapping, DuckDB upserts, transactions) costs on top of the wire.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "sources"))

from fake_salesforce import API, FakeSalesforce  # noqa: E402

from handoff.sources import salesforce as sfc  # noqa: E402
from handoff.store import Store  # noqa: E402

NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
SUBTYPES = ("Call", "Email", "ListEmail", "Task")


def populate(fake: FakeSalesforce, leads: int, tasks_per_lead: int) -> None:
    reps = [fake.add("User", Name=f"Rep {i}", TimeZoneSidKey="America/New_York", CountryCode="US",
                     IsActive=True) for i in range(50)]
    base = datetime(2026, 1, 5, 14, tzinfo=timezone.utc)
    for i in range(leads):
        t = base + timedelta(seconds=37 * i)
        lid = fake.add("Lead", OwnerId=reps[i % 50], LeadSource="Demo request", Company=f"Co {i}",
                       Status="MQL", NumberOfEmployees=50 + i % 3000, CreatedDate=t,
                       LastModifiedDate=t, SystemModstamp=t + timedelta(minutes=1))
        fake.add("LeadHistory", LeadId=lid, Field="Status", OldValue="Open", NewValue="MQL",
                 CreatedDate=t + timedelta(minutes=1))
        for k in range(tasks_per_lead):
            done = t + timedelta(minutes=5 + 90 * k)
            fake.add("Task", WhoId=lid, OwnerId=reps[i % 50], TaskSubtype=SUBTYPES[k % 4],
                     CallType="Outbound", CompletedDateTime=done, CreatedDate=done,
                     SystemModstamp=done, Subject=f"Touch {k}")


def raw_fetch(fake: FakeSalesforce) -> int:
    """The same data as the sync reads, through a bare requests loop."""
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {fake.token}"
    base = fake.instance_url + API
    n = 0
    for obj, fields in (("Lead", "Id, CreatedDate, OwnerId, Status, SystemModstamp, IsDeleted"),
                        ("Task", "Id, WhoId, OwnerId, TaskSubtype, CompletedDateTime, SystemModstamp, IsDeleted")):
        job = s.post(f"{base}/jobs/query", json={"operation": "queryAll",
                                                  "query": f"SELECT {fields} FROM {obj}"}).json()
        while s.get(f"{base}/jobs/query/{job['id']}").json()["state"] != "JobComplete":
            pass
        locator = ""
        while True:
            params = {"maxRecords": 50000, **({"locator": locator} if locator else {})}
            r = s.get(f"{base}/jobs/query/{job['id']}/results", params=params)
            n += int(r.headers["Sforce-NumberOfRecords"])
            locator = r.headers["Sforce-Locator"]
            if locator == "null":
                break
    page = s.get(f"{base}/queryAll/", params={
        "q": "SELECT LeadId, Field, NewValue, CreatedDate FROM LeadHistory WHERE Field IN ('Status')"}).json()
    while True:
        n += len(page["records"])
        if page["done"]:
            break
        page = s.get(fake.instance_url + page["nextRecordsUrl"]).json()
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--leads", type=int, default=100_000)
    ap.add_argument("--tasks-per-lead", type=int, default=3)
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-sf-"))
    fake = FakeSalesforce(api_limit=10**9, start=datetime(2026, 1, 1, tzinfo=timezone.utc))
    t0 = time.perf_counter()
    populate(fake, args.leads, args.tasks_per_lead)
    print(f"fake org: {args.leads:,} leads, {args.leads * args.tasks_per_lead:,} tasks, "
          f"{args.leads:,} history rows (built in {time.perf_counter() - t0:.1f} s)")
    fake.start(tmp)
    os.environ["REQUESTS_CA_BUNDLE"] = fake.ca_file
    creds = sfc.SalesforceCredentials(instance_url=fake.instance_url, access_token=fake.token)
    config = {"mql_statuses": ["MQL"], "bulk_poll_seconds": 0.2}
    try:
        t0 = time.perf_counter()
        raw = raw_fetch(fake)
        raw_s = time.perf_counter() - t0
        print(f"baseline (plain requests loop, same data): {raw:,} records in {raw_s:.1f} s "
              f"= {raw / raw_s:,.0f} records/s")

        fake.log.clear()
        with Store(tmp / "bench.duckdb") as store:
            t0 = time.perf_counter()
            summary = sfc.sync(store, config, creds, now=NOW)
            sync_s = time.perf_counter() - t0
            counts = store.counts()
        records = counts["leads"] + counts["activities"] + args.leads  # + history rows read
        print(f"full sync: {records:,} records (leads {counts['leads']:,}, activities "
              f"{counts['activities']:,}, history {args.leads:,}) in {sync_s:.1f} s "
              f"= {records / sync_s:,.0f} records/s; {len(fake.log)} HTTP requests")
        print(f"ratio sync / raw serving: {sync_s / raw_s:.2f}x the time "
              f"({(records / sync_s) / (raw / raw_s):.0%} of the raw rate)")

        fake.log.clear()
        with Store(tmp / "bench.duckdb") as store:
            t0 = time.perf_counter()
            sfc.sync(store, config, creds, now=NOW)
            inc_s = time.perf_counter() - t0
        print(f"incremental sync with nothing new: {inc_s:.2f} s, {len(fake.log)} HTTP requests")
        print(f"summary: added {summary.total('added'):,}, notes: {summary.notes[-1] if summary.notes else ''}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak memory (fake org + sync in one process): {peak:,.0f} MB")
    finally:
        fake.stop()


if __name__ == "__main__":
    main()
