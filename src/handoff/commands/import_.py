"""`handoff import DIR`: validate and load canonical files into the store."""

from __future__ import annotations

import sys

from handoff.commands.common import config_files
from handoff.data import refresh_facts
from handoff.output import WriteFailed, check_writable, folder_files, refuse_overwrite
from handoff.policy import load_policy
from handoff.sources.files import ImportError_, import_dir
from handoff.store import Store


def register(sub) -> None:
    p = sub.add_parser("import", help="validate and load CSV/Parquet files into the store")
    p.add_argument("directory", help="folder with reps, leads, activities, meetings, opportunities files")
    p.add_argument("--db", default="handoff.duckdb", help="DuckDB file (default handoff.duckdb)")
    p.add_argument("--config", help="policy file (default handoff.toml when present)")
    p.add_argument("--rejects", help="CSV file for rejected rows (default: <db>.rejects.csv)")
    p.set_defaults(func=run, interrupted="interrupted; nothing was loaded")


def run(args) -> int:
    rejects = args.rejects or f"{args.db}.rejects.csv"
    inputs = folder_files(args.directory) + config_files(args.config)
    refuse_overwrite(args.db, inputs, "--db")
    refuse_overwrite(rejects, inputs + [args.db], "--rejects")
    check_writable(args.db)
    check_writable(rejects)
    policy = load_policy(args.config)

    def progress(done: int, total: int, message: str) -> None:
        print(f"[{done}/{total}] {message}", file=sys.stderr)

    with Store(args.db) as store:
        try:
            report = import_dir(store, args.directory, policy, progress=progress, rejects_path=rejects)
        except ImportError_ as exc:
            print(f"handoff import: nothing was loaded: {exc}", file=sys.stderr)
            return 2
        except WriteFailed as exc:  # the rejects file, written after the load was committed
            print(f"handoff: {exc} (the rows were loaded; the rejects are in the database)", file=sys.stderr)
            refresh_facts(store, policy)
            return 1
        refresh_facts(store, policy)
    print(report.format())
    return report.exit_code
