"""Engine benchmark: import, per-lead facts (full and incremental), aggregates and memory at
scale, each against a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_engine.py [--leads 1000000] [--keep DIR] [--baseline-sample 20000]

Prints figures and ratios; asserts nothing. The baselines:
- a reference statement: first touch + business minutes of every handoff in one DuckDB
  statement over the same data and the same calendar tables (the least the per-lead facts
  can cost);
- a straightforward pandas implementation of the same per-lead facts (first touch by merge
  + groupby, business minutes by a day-by-day Python clock per lead), timed on a sample of
  leads from the same data and scaled linearly.
The import and the first full build of the facts run in a child process, so its peak RSS
is theirs alone. Timings on a shared machine are noisy: read the ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
import pandas as pd

from handoff.model import Filters, Model, default_as_of, persist
from handoff.policy import Policy
from handoff.store import Store, snapshot

RESULTS: dict[str, float] = {}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(label: str, fn):
    start = time.perf_counter()
    value = fn()
    RESULTS[label] = time.perf_counter() - start
    print(f"{label:<52} {RESULTS[label]:9.3f} s   peak RSS {peak_mb():8.0f} MB", flush=True)
    return value


def best_of(label: str, fn, repeat: int = 3):
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    RESULTS[label] = min(runs)
    print(f"{label:<52} {RESULTS[label] * 1000:9.1f} ms (best of {repeat})", flush=True)


# -- the child process: import + per-lead facts, its peak RSS its own -------------------------
def child_import(data: str, db: str) -> None:
    from handoff.data import refresh_facts
    from handoff.sources.files import import_dir

    out = {}
    with Store(db) as store:
        start = time.perf_counter()
        report = import_dir(store, data, Policy())
        out["import"] = time.perf_counter() - start
        out["import_peak_mb"] = peak_mb()
        start = time.perf_counter()
        out["refresh"] = refresh_facts(store, Policy())
        out["facts_on_file"] = time.perf_counter() - start
        out["rejected"] = report.rejected
    out["peak_mb"] = peak_mb()
    print("RESULT " + json.dumps(out), flush=True)


def child_facts(db: str) -> None:
    """Only the per-lead facts of a database imported before (--reuse-db)."""
    from handoff.data import refresh_facts

    with Store(db) as store:
        store.con.execute("UPDATE meta SET value = 'x' WHERE key = ?", [persist.FINGERPRINT])
        start = time.perf_counter()
        refresh = refresh_facts(store, Policy())
        out = {"refresh": refresh, "facts_on_file": time.perf_counter() - start, "peak_mb": peak_mb()}
    print("RESULT " + json.dumps(out), flush=True)


def run_child(args: list[str]) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False, env={**os.environ}
    )
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"child failed: {args}")
    line = next(x for x in proc.stdout.splitlines() if x.startswith("RESULT "))
    return json.loads(line[len("RESULT ") :])


def in_memory(db: Path) -> Store:
    """Every table of the file copied into an in-memory database: the per-lead facts and the
    reference statement are compared where neither writes to disk."""
    store = Store(create=False)
    store.con.execute("ATTACH '" + str(db).replace("'", "''") + "' AS src (READ_ONLY)")
    tables = store.con.execute("SELECT table_name FROM duckdb_tables() WHERE database_name = 'src'").fetchall()
    for (name,) in tables:
        store.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM src."{name}"')
    store.con.execute("DETACH src")
    return store


# -- the reference statement ------------------------------------------------------------------
REFERENCE = """
CREATE OR REPLACE TEMP TABLE reference_facts AS
WITH h AS (
    SELECT l.lead_id, l.mql_at, c.cal_no
    FROM leads AS l
    LEFT JOIN reps AS r ON r.rep_id = l.owner_id
    JOIN calendars AS c ON c.calendar_id =
        coalesce(nullif(trim(r.timezone), ''), $tz) || '|' || coalesce(nullif(upper(trim(r.country)), ''), $country)
    WHERE l.mql_at IS NOT NULL AND l.mql_at <= $as_of
),
touch AS (
    SELECT lead_id, min(t) AS first_touch_at FROM (
        SELECT h.lead_id, a.occurred_at AS t FROM h JOIN activities AS a
            ON a.lead_id = h.lead_id AND a.occurred_at >= h.mql_at AND a.occurred_at <= $as_of
        WHERE a.direction = 'outbound' AND NOT a.is_automated AND a.type <> 'other'
        UNION ALL
        SELECT h.lead_id, m.booked_at FROM h JOIN meetings AS m
            ON m.lead_id = h.lead_id AND m.booked_at >= h.mql_at AND m.booked_at <= $as_of
    ) GROUP BY lead_id
),
timed AS (
    SELECT h.lead_id, h.cal_no, epoch_us(h.mql_at) AS m_us, epoch_us(t.first_touch_at) AS t_us, t.first_touch_at
    FROM h LEFT JOIN touch AS t USING (lead_id)
)
SELECT x.lead_id, x.first_touch_at,
    (b2.cum_us + greatest(least(x.t_us, b2.hi1) - b2.lo1, 0) + greatest(least(x.t_us, b2.hi2) - b2.lo2, 0))
    - (b1.cum_us + greatest(least(x.m_us, b1.hi1) - b1.lo1, 0) + greatest(least(x.m_us, b1.hi2) - b1.lo2, 0))
    AS response_business_us
FROM timed AS x
JOIN business_hours AS b1 ON b1.cal_no = x.cal_no AND b1.hour_no = x.m_us // 3600000000
LEFT JOIN business_hours AS b2 ON b2.cal_no = x.cal_no AND b2.hour_no = x.t_us // 3600000000
"""


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


def pandas_facts(
    leads: pd.DataFrame, acts: pd.DataFrame, meetings: pd.DataFrame, reps: pd.DataFrame, policy: Policy
) -> pd.DataFrame:
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
        minutes.append(
            python_business_minutes(
                row.mql_at.to_pydatetime(),
                row.first_touch_at.to_pydatetime(),
                zone,
                closed.get(row.rep_country, set()),
                policy,
            )
        )
    handoffs["response_business_minutes"] = minutes
    return handoffs


# -- an incremental change: 1,000 leads and their activities ----------------------------------
def change_leads(store: Store, n: int) -> None:
    """Update n handoffs (their tier) and give each a new activity an hour after the latest
    event, as a sync of the next hour would."""
    con = store.con
    as_of = pd.Timestamp(default_as_of(con))
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*inplace.*")
        leads = con.execute(
            "SELECT * EXCLUDE (extra) FROM leads WHERE mql_at IS NOT NULL ORDER BY hash(lead_id) LIMIT $n",
            {"n": n},
        ).df()
    leads["tier"] = "high"
    acts = pd.DataFrame(
        {
            "activity_id": [f"bench-{i}" for i in range(len(leads))],
            "lead_id": leads["lead_id"],
            "occurred_at": as_of + timedelta(hours=1),
            "type": "call",
            "direction": "outbound",
            "is_automated": False,
        }
    )
    with store.transaction():
        store.upsert("leads", leads)
        store.upsert("activities", acts)


PAGES_NOTE = "benchmarks/bench_app.py --db FILE prints the filter change of every page"


def headroom(db: Path, policy: Policy, child: dict) -> None:
    """The model on the database file (its memory bounded, its facts read from the file) and a
    filter change: what a very large store needs beyond the import."""
    with Store(db) as store:
        con = store.con
        handoffs = con.execute("SELECT count(*) FROM leads WHERE mql_at IS NOT NULL").fetchall()[0][0]
        n_acts = con.execute("SELECT count(*) FROM activities").fetchall()[0][0]
        model = timed("model from the persisted facts (on the file)", lambda: Model(con, policy))
        timed("aggregates: overall", lambda: model.metrics("all"))
        flt = Filters(tiers=("high", "medium"))
        best_of("filter change: overall", lambda: model.metrics("all", flt))
        best_of("filter change: by rep", lambda: model.metrics("rep", flt))
    print()
    print(f"## headroom: {handoffs:,} handoffs, {n_acts:,} activities, {os.cpu_count()} cores")
    print(f"import:                                        {child['import']:9.1f} s")
    print(f"per-lead facts built and persisted:            {child['facts_on_file']:9.1f} s")
    print(f"peak RSS, import + per-lead facts (child):     {child['peak_mb']:9.0f} MB")
    print(f"filter change, overall:                        {RESULTS['filter change: overall'] * 1000:9.1f} ms")
    print(f"peak RSS, model on the file + filter change:   {peak_mb():9.0f} MB")


def main() -> None:
    warnings.filterwarnings("ignore", message=".*inplace.*")
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--activities-per-lead", type=float, default=8.0)
    parser.add_argument("--baseline-sample", type=int, default=20_000)
    parser.add_argument("--changed", type=int, default=1_000, help="leads changed for the incremental refresh")
    parser.add_argument("--keep", help="folder to keep the generated data and the database in (data reused)")
    parser.add_argument("--skip-baselines", action="store_true", help="no pandas baseline (the 5M run)")
    parser.add_argument(
        "--headroom",
        action="store_true",
        help="only import + facts (child), then a model on the file and a filter change: the 5M run",
    )
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="with --headroom and --keep: keep the database imported by an earlier run, recompute only its facts",
    )
    parser.add_argument("--child-import", nargs=2, metavar=("DATA", "DB"), help=argparse.SUPPRESS)
    parser.add_argument("--child-facts", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child_import:
        child_import(*args.child_import)
        return
    if args.child_facts:
        child_facts(args.child_facts)
        return

    cores = os.cpu_count()
    print(f"# {args.leads:,} leads, {cores} cores, DuckDB memory limit {os.environ.get('HANDOFF_MEMORY_LIMIT', '1GB')}")
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="handoff-bench-"))
    data = work / "data"
    policy = Policy()
    try:
        if not (data / "leads.parquet").exists():
            code = (
                "import sys; from handoff.sources.generator import generate; "
                "print(generate(sys.argv[1], leads=int(sys.argv[2]), seed=11, activities_per_lead=float(sys.argv[3])))"
            )
            timed(
                "generate (child process)",
                lambda: subprocess.run(
                    [sys.executable, "-c", code, str(data), str(args.leads), str(args.activities_per_lead)], check=True
                ),
            )
        db = work / "bench.duckdb"
        if args.reuse_db and args.headroom and db.exists():
            child = run_child(["--child-facts", str(db)])
            child.setdefault("import", float("nan"))
            print("import: kept from an earlier run (--reuse-db)")
        else:
            db.unlink(missing_ok=True)
            child = run_child(["--child-import", str(data), str(db)])
            label, peak = "import (validate + upsert into a file, child)", child["import_peak_mb"]
            print(f"{label:<52} {child['import']:9.3f} s   peak RSS {peak:8.0f} MB")
            print(f"  rejected rows: {child['rejected']}")
        RESULTS["import"] = child["import"]
        RESULTS["facts on the file, full (build + persist)"] = child["facts_on_file"]
        label = "per-lead facts built and persisted on the file"
        print(f"{label:<52} {child['facts_on_file']:9.3f} s   ({child['refresh']})")

        if args.headroom:
            headroom(db, policy, child)
            return
        app_store = timed("snapshot: the file's private copy (what the app does)", lambda: snapshot(db))
        timed("model from the persisted facts (what the app does)", lambda: Model(app_store.con, policy))
        app_store.close()
        store = timed("the file copied into memory (for the engine comparison)", lambda: in_memory(db))
        con = store.con
        handoffs = con.execute("SELECT count(*) FROM leads WHERE mql_at IS NOT NULL").fetchall()[0][0]
        n_acts = con.execute("SELECT count(*) FROM activities").fetchall()[0][0]
        print(f"  handoffs {handoffs:,}, activities {n_acts:,}")
        model = timed("per-lead facts, full recompute (in memory)", lambda: Model(con, policy, persisted=False))
        timed("per-lead facts, full recompute again", model.build)
        params = {"tz": policy.timezone, "country": policy.holiday_country or "", "as_of": model.as_of}
        timed("reference statement (first touch + business minutes)", lambda: con.execute(REFERENCE, params))
        timed("reference statement again", lambda: con.execute(REFERENCE, params))
        check = con.execute(
            "SELECT count(*) FILTER (WHERE abs(coalesce(r.response_business_us / 60000000.0, -1) "
            "- coalesce(f.response_business_minutes, -1)) < 1e-6) / count(*) "
            "FROM reference_facts r JOIN lead_handoff f USING (lead_id)"
        ).fetchall()[0][0]
        print(f"  reference and model agree on business minutes for {check:.2%} of the handoffs")

        timed("aggregates: overall", lambda: model.metrics("all"))
        sources = tuple(model.metrics("source")["group"][:2])
        flt = Filters(sources=sources, tiers=("high", "medium"))
        best_of("filter change: overall", lambda: model.metrics("all", flt))
        best_of("filter change: by rep", lambda: model.metrics("rep", flt))
        best_of("filter change: by week", lambda: model.metrics("week", flt))
        best_of("filter change: speed", lambda: model.speed_conversion(flt))

        # incremental: 1,000 leads change on the file, the facts are brought up to date
        with Store(db) as file_store:
            change_leads(file_store, args.changed)
            state = timed(
                f"per-lead facts after {args.changed:,} leads change (incremental)",
                lambda: persist.refresh(file_store.con, policy),
            )
            print(f"  refresh: {state}")
            file_store.con.execute("UPDATE meta SET value = 'x' WHERE key = ?", [persist.FINGERPRINT])
            timed("per-lead facts, full refresh on the file", lambda: persist.refresh(file_store.con, policy))

        scale = 1.0
        if not args.skip_baselines:
            leads = con.execute(
                "SELECT * FROM leads WHERE mql_at IS NOT NULL ORDER BY hash(lead_id, 1) LIMIT $n",
                {"n": args.baseline_sample},
            ).df()
            store.con.register("sample_ids", pd.DataFrame({"lead_id": leads["lead_id"]}))
            acts = con.execute("SELECT a.* FROM activities a JOIN sample_ids USING (lead_id)").df()
            meetings = con.execute("SELECT m.* FROM meetings m JOIN sample_ids USING (lead_id)").df()
            reps = con.execute("SELECT * FROM reps").df()
            label = f"pandas baseline, {len(leads):,} leads"
            base = timed(label, lambda: pandas_facts(leads, acts, meetings, reps, policy))
            scale = handoffs / len(leads)
            ours = model.lead_handoff(columns=["lead_id", "response_business_minutes"]).set_index("lead_id")
            joined = (
                base.set_index("lead_id")["response_business_minutes"].astype("float").to_frame("pandas").join(ours)
            )
            agree = ((joined["pandas"] - joined["response_business_minutes"]).abs().fillna(0) < 1e-6).mean()
            print(f"  baseline and model agree on business minutes for {agree:.2%} of the sample")

        full = RESULTS["per-lead facts, full recompute (in memory)"]
        again = RESULTS["per-lead facts, full recompute again"]
        ours_best = min(full, again)
        reference = min(
            RESULTS["reference statement (first touch + business minutes)"], RESULTS["reference statement again"]
        )
        incremental = RESULTS[f"per-lead facts after {args.changed:,} leads change (incremental)"]
        full_file = RESULTS["per-lead facts, full refresh on the file"]
        print()
        print(f"## summary: {handoffs:,} handoffs, {n_acts:,} activities, {cores} cores")
        print(f"per-lead facts (best of 2):                    {ours_best:9.3f} s")
        print(f"reference statement (best of 2):               {reference:9.3f} s")
        print(f"ratio per-lead facts / reference:              {ours_best / reference:9.2f} x   (target <= 2)")
        if not args.skip_baselines:
            scaled = RESULTS[f"pandas baseline, {len(leads):,} leads"] * scale
            print(f"pandas baseline scaled to all handoffs:        {scaled:9.1f} s")
            print(f"ratio pandas / per-lead facts:                 {scaled / ours_best:9.1f} x   (target >= 20)")
        print(f"incremental refresh ({args.changed:,} leads changed):      {incremental:9.3f} s")
        print(f"full refresh on the same file:                 {full_file:9.3f} s")
        print(f"ratio incremental / full:                      {incremental / full_file:9.1%}   (target < 10%)")
        worst = max(("overall", "by rep", "by week", "speed"), key=lambda k: RESULTS[f"filter change: {k}"])
        slowest = RESULTS[f"filter change: {worst}"] * 1000
        print(f"filter change, slowest aggregate ({worst}):    {slowest:9.1f} ms   ({PAGES_NOTE})")
        print(f"import:                                        {RESULTS['import']:9.1f} s")
        print(f"peak RSS, import + per-lead facts (child):     {child['peak_mb']:9.0f} MB   (target < 2048)")
        print(f"peak RSS, this process (in-memory copy):       {peak_mb():9.0f} MB")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
