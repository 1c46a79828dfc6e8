"""Spark benchmark: the per-lead facts on Spark (local mode) against DuckDB, on generated data.

    .venv/bin/python benchmarks/bench_spark.py [--leads 1000000] [--master local[2]] [--keep DIR]

Generates the leads, imports them into a DuckDB file, writes the canonical tables as Parquet
(what a cluster would read) and times the per-lead facts on DuckDB (in memory) and on Spark
(reading the Parquet, every layer materialised), with the number of Spark jobs the build ran.
Checks that both give the same response_business_minutes and sla_status. Prints figures.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
import warnings
from pathlib import Path

from handoff.engines.spark import SparkConnection, SparkModel, session
from handoff.model import Model
from handoff.policy import Policy
from handoff.schema import TABLES
from handoff.sources.files import import_dir
from handoff.sources.generator import generate
from handoff.store import Store, snapshot


def timed(label: str, fn, results: dict):
    start = time.perf_counter()
    value = fn()
    results[label] = time.perf_counter() - start
    print(f"{label:<52} {results[label]:9.3f} s", flush=True)
    return value


def main() -> None:
    warnings.filterwarnings("ignore", message=".*inplace.*")
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--partitions", type=int, default=8, help="spark.sql.shuffle.partitions")
    parser.add_argument("--keep", help="folder to keep the generated data in (reused when present)")
    args = parser.parse_args()

    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="handoff-spark-bench-"))
    data, parquet, db = work / "data", work / "canonical", work / "bench.duckdb"
    results: dict[str, float] = {}
    policy = Policy()
    try:
        if not (data / "leads.parquet").exists():
            timed("generate", lambda: generate(data, leads=args.leads, seed=11), results)
        if not db.exists():

            def do_import():
                with Store(db) as store:
                    return import_dir(store, data, policy)

            timed("import (validate + upsert into a file)", do_import, results)
        store = snapshot(db)
        if not (parquet / "leads.parquet").exists():
            parquet.mkdir(parents=True, exist_ok=True)
            for table in TABLES:
                columns = ", ".join(f'"{c}"' for c in table.column_names)
                store.con.execute(
                    f"COPY (SELECT {columns} FROM {table.name}) TO '{parquet / table.name}.parquet' (FORMAT parquet)"
                )
        handoffs = store.con.execute("SELECT count(*) FROM leads WHERE mql_at IS NOT NULL").fetchall()[0][0]
        print(f"  handoffs {handoffs:,}")
        fresh = {"persisted": False} if "persisted" in Model.__dataclass_fields__ else {}  # computed, not read back
        duck = timed("DuckDB: per-lead facts (in memory)", lambda: Model(store.con, policy, **fresh), results)

        spark = timed(f"Spark {args.master}: session start", lambda: session(args.master, args.partitions), results)
        con = SparkConnection.from_parquet(spark, str(parquet))
        model = timed(
            f"Spark {args.master}: per-lead facts (Parquet, materialised)",
            lambda: SparkModel(con, policy, duck.as_of),
            results,
        )
        timed(f"Spark {args.master}: aggregates overall", lambda: model.metrics("all"), results)
        timed("DuckDB: aggregates overall", lambda: duck.metrics("all"), results)

        cols = ["lead_id", "response_business_minutes", "sla_status"]
        ours = duck.lead_handoff(columns=cols).set_index("lead_id").sort_index()
        theirs = model.con.execute("SELECT lead_id, response_business_minutes, sla_status FROM lead_handoff").df()
        theirs = theirs.set_index("lead_id").sort_index()
        minutes = (ours["response_business_minutes"] - theirs["response_business_minutes"]).abs().fillna(0)
        agree = bool(
            len(ours) == len(theirs) and (minutes <= 1e-9).all() and ours["sla_status"].equals(theirs["sla_status"])
        )

        duck_s = results["DuckDB: per-lead facts (in memory)"]
        spark_s = results[f"Spark {args.master}: per-lead facts (Parquet, materialised)"]
        print()
        print(f"per-lead facts, {handoffs:,} handoffs:  DuckDB {duck_s:8.1f} s   Spark {args.master} {spark_s:8.1f} s")
        print(f"ratio (Spark / DuckDB):                {spark_s / duck_s:8.1f} x")
        print(f"Spark jobs in the build:               {model.jobs:8d}")
        print(f"engines agree on business minutes and SLA status for every lead: {agree}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
