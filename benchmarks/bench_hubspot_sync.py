"""HubSpot sync throughput through the real hubspot-api-client against the local fake portal,
beside Salesforce's through simple-salesforce against its fake org, measured in the same run.

    .venv/bin/python benchmarks/bench_hubspot_sync.py [--contacts 100000] [--engagements-per-contact 3]
                                                      [--salesforce-leads N] [--skip-salesforce]

Prints figures; asserts nothing. For each CRM:

- the fake's raw serving rate: a bare urllib3 (HubSpot) or requests (Salesforce) loop asking
  for the same data the sync reads (searches in windows of 10,000, history batch reads of 50,
  association batch reads of 1,000, archived lists; Bulk API 2.0 jobs and LeadHistory pages)
  and only counting records;
- a full sync into a DuckDB file through the real client and the shared runner: records per
  second (canonical rows written: leads plus activities and meetings), HTTP requests, and the
  ratio to the raw rate (what the connector costs on top of the wire);
- an incremental sync with nothing new.

Then the HubSpot / Salesforce ratios. Each fake runs in this process (as in
bench_salesforce_sync.py), so the raw rates include the fake's own work; the ratios compare
like with like.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import urllib3

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "sources"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fake_hubspot import FakeHubSpot, epoch_ms  # noqa: E402

from handoff.sources import hubspot as hs  # noqa: E402
from handoff.sources.runner import run  # noqa: E402
from handoff.store import Store  # noqa: E402

UTC = UTC
NOW = datetime(2026, 6, 1, tzinfo=UTC)
KINDS = ("calls", "emails", "meetings")
SPECS = {s.name: s for s in hs.OBJECTS}
CONFIG = {
    "backoff_seconds": 0.2,
    "page_size": 200,
    "tier_property": "recent_conversion_event_name",
    "tier_map": {"Demo request": "high"},
}


def populate(fake: FakeHubSpot, contacts: int, per_contact: int) -> dict[str, int]:
    """Owners, contacts (each an MQL with its lifecycle-stage history) and their engagements,
    every record modified at its own instant (seconds apart)."""
    owners = [fake.add_owner(f"Rep{i}", "X", f"r{i}@x.test", f"Team {i % 5}", archived=i >= 45) for i in range(50)]
    base = datetime(2026, 1, 5, 14, tzinfo=UTC)
    counts = dict.fromkeys(("contacts", *KINDS), 0)
    for i in range(contacts):
        t = base + timedelta(seconds=37 * i)
        fake.clock = t
        cid = fake.add(
            "contacts",
            modified=t + timedelta(minutes=1),
            hubspot_owner_id=owners[i % 50],
            hs_analytics_source="PAID_SEARCH",
            company=f"Co {i}",
            jobtitle="CTO",
            country="US",
            lifecyclestage="lead",
            hs_lead_status="NEW",
            recent_conversion_event_name="Demo request",
        )
        fake._set("contacts", cid, "lifecyclestage", "marketingqualifiedlead", t + timedelta(minutes=1))
        counts["contacts"] += 1
        for k in range(per_contact):
            kind = KINDS[k % 3]
            done = t + timedelta(minutes=5 + 90 * k)
            props = {"hubspot_owner_id": owners[i % 50]}
            if kind == "calls":
                props |= {"hs_timestamp": done, "hs_call_direction": "OUTBOUND", "hs_call_disposition": "Connected"}
            elif kind == "emails":
                props |= {"hs_timestamp": done, "hs_email_direction": "EMAIL", "hs_email_subject": f"Touch {k}"}
            else:
                props |= {"hs_meeting_start_time": done + timedelta(days=3), "hs_meeting_outcome": "SCHEDULED"}
            fake.clock = done
            fake.add(kind, modified=done, contacts=[cid], **props)
            counts[kind] += 1
    fake._cache.clear()
    return counts


# -- the raw serving rate -------------------------------------------------------------------------------
def raw_fetch(fake: FakeHubSpot) -> tuple[int, int]:
    """The data the sync reads, through a bare urllib3 loop; (records, requests)."""
    http = urllib3.PoolManager(headers={"Authorization": f"Bearer {fake.token}", "Content-Type": "application/json"})
    base = fake.base_url
    requests = 0

    def post(path: str, body: dict) -> dict:
        nonlocal requests
        requests += 1
        return json.loads(http.request("POST", base + path, body=json.dumps(body)).data)

    def get(path: str, fields: dict) -> dict:
        nonlocal requests
        requests += 1
        return json.loads(http.request("GET", base + path, fields=fields).data)

    n = 0
    for archived in ("false", "true"):
        page = get("/crm/v3/owners/", {"limit": 100, "archived": archived})
        n += len(page["results"])
    hi = epoch_ms(NOW)
    for obj in ("contacts", *KINDS):
        prop = "lastmodifieddate" if obj == "contacts" else "hs_lastmodifieddate"
        props = list(SPECS[obj].fields) + (
            ["hs_analytics_source", "recent_conversion_event_name", "hs_lead_status"] if obj == "contacts" else []
        )
        get(f"/crm/v3/objects/{obj}", {"limit": 100, "archived": "true", "properties": "hs_object_id"})
        lo, ids = None, []
        while True:  # windows of 10,000 (every instant distinct here, so no ties to resolve)
            filters = [{"propertyName": prop, "operator": "LTE", "value": str(hi)}]
            if lo is not None:
                filters.append({"propertyName": prop, "operator": "GT", "value": str(lo)})
            offset, last = 0, None
            while True:
                body = {
                    "filterGroups": [{"filters": filters}],
                    "sorts": [{"propertyName": prop, "direction": "ASCENDING"}],
                    "properties": props,
                    "limit": 200,
                    **({"after": str(offset)} if offset else {}),
                }
                page = post(f"/crm/v3/objects/{obj}/search", body)
                results = page["results"]
                n += len(results)
                ids += [r["id"] for r in results]
                if results:
                    last = results[-1]["properties"][prop]
                nxt = (page.get("paging") or {}).get("next", {}).get("after")
                if not nxt or int(nxt) >= 10_000:
                    break
                offset = int(nxt)
            if not nxt or last is None:
                break
            lo = epoch_ms(datetime.fromisoformat(last.replace("Z", "+00:00")))
        for i in range(0, len(ids), 1000):
            chunk = ids[i : i + 1000]
            if obj == "contacts":
                for j in range(0, len(chunk), 50):
                    post(
                        "/crm/v3/objects/contacts/batch/read",
                        {
                            "inputs": [{"id": x} for x in chunk[j : j + 50]],
                            "properties": [],
                            "propertiesWithHistory": ["lifecyclestage", "hs_lead_status"],
                        },
                    )
            else:
                post(f"/crm/v4/associations/{obj}/contacts/batch/read", {"inputs": [{"id": x} for x in chunk]})
    return n, requests


def bench_hubspot(args, tmp: Path) -> dict:
    fake = FakeHubSpot(start=datetime(2026, 1, 1, tzinfo=UTC))
    t0 = time.perf_counter()
    counts = populate(fake, args.contacts, args.engagements_per_contact)
    print(
        f"HubSpot fake portal: {counts['contacts']:,} contacts, "
        + ", ".join(f"{counts[k]:,} {k}" for k in KINDS)
        + f" (built in {time.perf_counter() - t0:.1f} s)"
    )
    fake.start()
    creds = hs.HubSpotCredentials(access_token=fake.token, base_url=fake.base_url)
    try:
        t0 = time.perf_counter()
        raw, raw_requests = raw_fetch(fake)
        raw_s = time.perf_counter() - t0
        print(
            f"  raw serving (bare urllib3 loop, same data): {raw:,} records, {raw_requests:,} requests "
            f"in {raw_s:.1f} s = {raw / raw_s:,.0f} records/s"
        )
        fake.log.clear()
        with Store(tmp / "hubspot.duckdb") as store:
            t0 = time.perf_counter()
            summary = run(hs.CONNECTOR, store, CONFIG, creds, now=NOW)
            sync_s = time.perf_counter() - t0
            stored = store.counts()
        records = stored["leads"] + stored["activities"] + stored["meetings"]
        print(
            f"  full sync (hubspot-api-client + runner): {records:,} records (leads {stored['leads']:,}, "
            f"activities {stored['activities']:,}, meetings {stored['meetings']:,}) in {sync_s:.1f} s "
            f"= {records / sync_s:,.0f} records/s; {len(fake.log):,} HTTP requests"
        )
        print(
            f"  sync / raw serving: {sync_s / raw_s:.2f}x the time "
            f"({(records / sync_s) / (raw / raw_s):.0%} of the raw rate)"
        )
        fake.log.clear()
        with Store(tmp / "hubspot.duckdb") as store:
            t0 = time.perf_counter()
            run(hs.CONNECTOR, store, CONFIG, creds, now=NOW)
            inc_s = time.perf_counter() - t0
        print(f"  incremental sync with nothing new: {inc_s:.2f} s, {len(fake.log)} HTTP requests")
        print(f"  notes: {'; '.join(summary.notes)}")
    finally:
        fake.stop()
    return {"raw_rate": raw / raw_s, "sync_rate": records / sync_s, "sync_s": sync_s, "records": records}


def bench_salesforce(args, tmp: Path) -> dict:
    """bench_salesforce_sync.py's org and baseline, the same sizes, in this run."""
    import bench_salesforce_sync as sfb
    from fake_salesforce import FakeSalesforce

    from handoff.sources import salesforce as sfc

    leads = args.salesforce_leads or args.contacts
    fake = FakeSalesforce(api_limit=10**9, start=datetime(2026, 1, 1, tzinfo=UTC))
    t0 = time.perf_counter()
    sfb.populate(fake, leads, args.engagements_per_contact)
    print(
        f"Salesforce fake org: {leads:,} leads, {leads * args.engagements_per_contact:,} tasks, {leads:,} history "
        f"rows (built in {time.perf_counter() - t0:.1f} s)"
    )
    fake.start(tmp)
    os.environ["REQUESTS_CA_BUNDLE"] = fake.ca_file
    creds = sfc.SalesforceCredentials(instance_url=fake.instance_url, access_token=fake.token)
    config = {"mql_statuses": ["MQL"], "bulk_poll_seconds": 0.2}
    try:
        t0 = time.perf_counter()
        raw = sfb.raw_fetch(fake)
        raw_s = time.perf_counter() - t0
        print(
            f"  raw serving (bare requests loop, same data): {raw:,} records in {raw_s:.1f} s "
            f"= {raw / raw_s:,.0f} records/s"
        )
        fake.log.clear()
        with Store(tmp / "salesforce.duckdb") as store:
            t0 = time.perf_counter()
            sfc.sync(store, config, creds, now=sfb.NOW)
            sync_s = time.perf_counter() - t0
            stored = store.counts()
        records = stored["leads"] + stored["activities"] + stored["meetings"]
        print(
            f"  full sync (simple-salesforce + runner): {records:,} records (leads {stored['leads']:,}, activities "
            f"{stored['activities']:,}) in {sync_s:.1f} s = {records / sync_s:,.0f} records/s; "
            f"{len(fake.log):,} HTTP requests"
        )
        print(
            f"  sync / raw serving: {sync_s / raw_s:.2f}x the time "
            f"({(records / sync_s) / (raw / raw_s):.0%} of the raw rate)"
        )
    finally:
        fake.stop()
    return {"raw_rate": raw / raw_s, "sync_rate": records / sync_s, "sync_s": sync_s, "records": records}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--contacts", type=int, default=100_000)
    ap.add_argument("--engagements-per-contact", type=int, default=3)
    ap.add_argument("--salesforce-leads", type=int, default=None, help="default: as many as --contacts")
    ap.add_argument("--skip-salesforce", action="store_true")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="bench-hs-"))
    hub = bench_hubspot(args, tmp)
    gc.collect()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory so far (fake portal + sync in one process): {peak:,.0f} MB")
    if args.skip_salesforce:
        return
    sf = bench_salesforce(args, tmp)
    print("HubSpot / Salesforce, this run:")
    print(
        f"  sync throughput: {hub['sync_rate']:,.0f} vs {sf['sync_rate']:,.0f} records/s "
        f"= {hub['sync_rate'] / sf['sync_rate']:.2f}x"
    )
    print(
        f"  raw fake serving: {hub['raw_rate']:,.0f} vs {sf['raw_rate']:,.0f} records/s "
        f"= {hub['raw_rate'] / sf['raw_rate']:.2f}x"
    )
    print(
        f"  share of the raw rate the sync keeps: HubSpot {hub['sync_rate'] / hub['raw_rate']:.0%}, "
        f"Salesforce {sf['sync_rate'] / sf['raw_rate']:.0%}"
    )


if __name__ == "__main__":
    main()
