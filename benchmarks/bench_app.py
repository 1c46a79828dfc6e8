"""How fast the dashboard answers: time to build the model and to answer each page's
questions, at the sample size and at 1M handoffs (generated into a temp dir).

    .venv/bin/python benchmarks/bench_app.py [--leads 1000000] [--skip-large] [--db FILE]

The app caches answers per (data version, question, filters); these figures are the
uncached cost: what the first view and a filter change pay. With --db, the large case is
that database file, opened as the app opens it (a private copy of the file, the per-lead
facts read from it when they are current). Prints the slowest page after a filter change.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path

from handoff.data import open_sample
from handoff.model import Filters, Model, persist, views
from handoff.policy import Policy
from handoff.sources.files import import_dir
from handoff.store import Store, snapshot

PAGES = {
    "1 this week": lambda m, f, w: [
        views.weeks(m, f),
        views.this_week(m, f, w),
        views.top_rejections(m, views.week_filters(f, w)),
        views.sla_by_team(m, views.week_filters(f, w)),
    ],
    "2 SLA compliance": lambda m, f, w: [
        views.overall(m, f, columns=("handoffs",)),
        views.overall(m, f, columns=("sla_compliance", "pending", "median_rep_business_minutes")),
        views.routing_delay(m, f, by="all"),
        views.sla_trend(m, f, "tier"),
        views.speed_distribution(m, f),
        views.delays(m, f),
        views.routing_delay(m, f, by="team"),
        views.call_list(m, f),
        views.escalation(m, f),
    ],
    "3 rep response": lambda m, f, w: [
        views.rep_scorecard(m, f),
        views.rep_table(m, f),
        views.rep_distribution(m, f),
        views.never_contacted(m, f, by="rep"),
        views.rep_leads(m, f, "R01"),
    ],
    "4 dispositions": lambda m, f, w: [
        views.disposition_trend(m, f),
        views.acceptance_by_week(m, f),
        views.rejection_reasons(m, f, "source"),
        views.recent_undispositioned(m, f),
    ],
    "5 handoff to meeting": lambda m, f, w: [views.meeting_rate(m, f, "week"), views.conversion_by_speed(m, f)],
    "6 revenue leak": lambda m, f, w: [views.leak_calibration(m, f)],
    "7 data": lambda m, f, w: [views.table_counts(m), views.load_history(m), views.recent_rejects(m)],
}
FILTER_CHANGE = Filters(tiers=("high",))


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t)
    return statistics.median(runs)


def bench(label: str, store: Store, load_seconds: float) -> None:
    t = time.perf_counter()
    model = Model(store.con, Policy())
    build = time.perf_counter() - t
    persisted = persist.current(store.con, Policy(), model.as_of)
    handoffs = views.table_counts(model).set_index("table").at["handoffs (computed)", "rows"]
    print(f"\n## {label}: {handoffs:,} handoffs")
    print(f"load into memory      {load_seconds:8.2f} s")
    print(f"build the model       {build:8.2f} s   ({'read the persisted facts' if persisted else 'computed'})")
    week = views.weeks(model, Filters())[1]
    print(f"{'page':22}{'all data':>10}{'tier=high':>11}")
    changes = {}
    for page, ask in PAGES.items():
        full = timed(lambda ask=ask: ask(model, Filters(), week), repeat=1 if "leak" in page else 3)
        narrowed = timed(lambda ask=ask: ask(model, FILTER_CHANGE, week), repeat=1 if "leak" in page else 3)
        changes[page] = narrowed
        print(f"{page:22}{full * 1000:8.0f} ms{narrowed * 1000:8.0f} ms")
    slowest = max(changes, key=lambda p: changes[p])
    print(f"slowest page after a filter change: {slowest}, {changes[slowest] * 1000:.0f} ms (target < 50 ms)")
    print(f"peak RSS of this process so far: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--skip-large", action="store_true")
    parser.add_argument("--db", help="a database file for the large case (e.g. the one bench_engine.py --keep made)")
    args = parser.parse_args()
    print(f"# {os.cpu_count()} cores")

    t = time.perf_counter()
    sample = open_sample()
    bench("sample data", sample, time.perf_counter() - t)
    if args.skip_large:
        return
    if args.db:
        t = time.perf_counter()
        store = snapshot(args.db)
        bench(f"{args.db}", store, time.perf_counter() - t)
        return
    from handoff.sources.generator import generate

    with tempfile.TemporaryDirectory(prefix="handoff-bench-") as tmp:
        t = time.perf_counter()
        generate(Path(tmp), leads=args.leads)
        print(f"\n(generated {args.leads:,} leads in {time.perf_counter() - t:.1f} s)")
        t = time.perf_counter()
        store = Store()
        import_dir(store, tmp, Policy())
        bench(f"{args.leads:,} leads", store, time.perf_counter() - t)


if __name__ == "__main__":
    main()
