"""Engine benchmark: import, per-lead facts and aggregates at scale, against a pandas baseline.

    .venv/bin/python benchmarks/bench_engine.py [--leads 1000000] [--baseline-sample 20000]

Prints figures; asserts nothing. The baseline is a straightforward pandas implementation of
the same per-lead facts (first touch by merge + groupby, business minutes by a day-by-day
Python clock per lead), timed on a sample of leads from the same data and scaled linearly.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import warnings

import holidays
import pandas as pd

from handoff.model import Filters, Model
from handoff.policy import Policy
from handoff.sources.files import import_dir
from handoff.sources.generator import generate
from handoff.store import Store, snapshot


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, fn, results: dict):
    start = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - start
    print(f"{label:<44} {results[label]:9.3f} s   peak RSS {peak_mb():8.0f} MB", flush=True)
    return value


# -- the pandas baseline ----------------------------------------------------------------------

def python_business_minutes(t1: datetime, t2: datetime, zone: ZoneInfo, closed, policy: Policy) -> float:
    """Business minutes between two instants, walking the days in between."""
    if t2 <= t1:
        return 0.0
    hours = policy.business_hours
    total = 0.0
    day = t1.astimezone(zone).date()
    last = t2.astimezone(zone).date()
    while day <= last:
        if day.weekday() in hours.weekdays and day not in closed:
            opens = datetime.combine(day, hours.start, zone)
            closes = datetime.combine(day, hours.end, zone)
            lo, hi = max(opens, t1), min(closes, t2)
            if hi > lo:
                total += (hi - lo).total_seconds() / 60
        day += timedelta(days=1)
    return total


def pandas_facts(leads: pd.DataFrame, acts: pd.DataFrame, meetings: pd.DataFrame, reps: pd.DataFrame,
                 policy: Policy) -> pd.DataFrame:
    calendars = reps[["rep_id", "timezone", "country"]].rename(columns={"country": "rep_country"})
    handoffs = leads[leads["mql_at"].notna()].merge(calendars, left_on="owner_id", right_on="rep_id", how="left")
    q = acts[(acts["direction"] == "outbound") & (~acts["is_automated"]) & (acts["type"] != "other")]
    m = q[["lead_id", "occurred_at"]].merge(handoffs[["lead_id", "mql_at"]], on="lead_id")
    first = m[m["occurred_at"] >= m["mql_at"]].groupby("lead_id")["occurred_at"].min()
    b = meetings[["lead_id", "booked_at"]].merge(handoffs[["lead_id", "mql_at"]], on="lead_id")
    booked = b[b["booked_at"] >= b["mql_at"]].groupby("lead_id")["booked_at"].min()
    touch = pd.concat([first, booked], axis=1).min(axis=1)
    handoffs["first_touch_at"] = handoffs["lead_id"].map(touch)
    years = range(2024, 2028)
    closed = {c: set(holidays.country_holidays(c, years=years)) for c in handoffs["rep_country"].dropna().unique()}
    minutes = []
    for row in handoffs.itertuples():
        if pd.isna(row.first_touch_at):
            minutes.append(None)
            continue
        zone = ZoneInfo(row.timezone if isinstance(row.timezone, str) else policy.timezone)
        minutes.append(python_business_minutes(
            row.mql_at.to_pydatetime(), row.first_touch_at.to_pydatetime(), zone,
            closed.get(row.rep_country, set()), policy))
    handoffs["response_business_minutes"] = minutes
    return handoffs


def main() -> None:
    warnings.filterwarnings("ignore", message=".*inplace.*")
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--activities-per-lead", type=float, default=8.0)
    parser.add_argument("--baseline-sample", type=int, default=20_000)
    parser.add_argument("--keep", help="folder to keep the generated data in (reused when present)")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="handoff-bench-"))
    data = work / "data"
    results: dict[str, float] = {}
    policy = Policy()
    try:
        if not (data / "leads.parquet").exists():
            counts = timed("generate", lambda: generate(data, leads=args.leads, seed=11,
                                                        activities_per_lead=args.activities_per_lead), results)
            print("rows:", counts)
        db = work / "bench.duckdb"
        db.unlink(missing_ok=True)

        def do_import():
            with Store(db) as store:
                return import_dir(store, data, policy)

        report = timed("import (validate + upsert into a file)", do_import, results)
        print(f"  rejected rows: {report.rejected}")
        store = timed("snapshot file -> memory", lambda: snapshot(db), results)
        handoffs = store.con.execute("SELECT count(*) FROM leads WHERE mql_at IS NOT NULL").fetchall()[0][0]
        n_acts = store.con.execute("SELECT count(*) FROM activities").fetchall()[0][0]
        print(f"  handoffs {handoffs:,}, activities {n_acts:,}")
        model = timed("per-lead facts, full recompute (in memory)", lambda: Model(store.con, policy), results)
        timed("per-lead facts, recompute again", lambda: model.build(), results)
        file_store = Store(db)
        timed("per-lead facts, full recompute (on the file)", lambda: Model(file_store.con, policy), results)
        file_store.close()
        timed("aggregates: overall", lambda: model.metrics("all"), results)
        sources = tuple(model.metrics("source")["group"][:2])
        flt = Filters(sources=sources, tiers=("high", "medium"))
        timed("aggregates after a filter change: overall", lambda: model.metrics("all", flt), results)
        timed("aggregates after a filter change: by rep", lambda: model.metrics("rep", flt), results)
        timed("aggregates after a filter change: by week", lambda: model.metrics("week", flt), results)
        timed("aggregates after a filter change: speed", lambda: model.speed_conversion(flt), results)

        # The baseline on a sample of the same data, scaled to the full size.
        leads = store.con.execute(
            f"SELECT * FROM leads WHERE mql_at IS NOT NULL USING SAMPLE {args.baseline_sample} ROWS (reservoir, 1)"
        ).df()
        ids = pd.DataFrame({"lead_id": leads["lead_id"]})
        store.con.register("sample_ids", ids)
        acts = store.con.execute("SELECT a.* FROM activities a JOIN sample_ids USING (lead_id)").df()
        meetings = store.con.execute("SELECT m.* FROM meetings m JOIN sample_ids USING (lead_id)").df()
        reps = store.con.execute("SELECT * FROM reps").df()
        base = timed(f"pandas baseline, {len(leads):,} leads", lambda: pandas_facts(leads, acts, meetings, reps, policy), results)
        scale = handoffs / len(leads)
        scaled = results[f"pandas baseline, {len(leads):,} leads"] * scale
        ours = model.lead_handoff(columns=["lead_id", "response_business_minutes"]).set_index("lead_id")
        joined = base.set_index("lead_id")["response_business_minutes"].astype("float").to_frame("pandas").join(ours)
        agree = ((joined["pandas"] - joined["response_business_minutes"]).abs().fillna(0) < 1e-6).mean()
        full = results["per-lead facts, full recompute (in memory)"]
        print()
        print(f"pandas baseline scaled to {handoffs:,} handoffs: {scaled:9.1f} s")
        print(f"DuckDB per-lead facts:                      {full:9.3f} s")
        print(f"ratio (pandas / DuckDB):                    {scaled / full:9.1f} x")
        print(f"filter change, overall aggregate:           {results['aggregates after a filter change: overall'] * 1000:9.1f} ms")
        print(f"baseline and model agree on business minutes for {agree:.2%} of the sample")
        print(f"peak RSS: {peak_mb():.0f} MB")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
