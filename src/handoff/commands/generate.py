"""`handoff generate`: write realistic, seeded synthetic data in the canonical file format."""

from __future__ import annotations

import argparse
import time

from handoff.sources.generator import generate


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "generate",
        help="write realistic synthetic handoff data (reps, leads, activities, meetings, opportunities, owner history)",
        description="Write realistic, seeded synthetic handoff data to a folder, "
        "in the same format the file import reads.",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write the tables to")
    parser.add_argument("--leads", type=_positive_int, default=20000, help="number of leads (default 20000)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7); same seed, same files")
    parser.add_argument(
        "--format",
        dest="fmt",
        choices=("parquet", "csv"),
        default="parquet",
        help="file format (default parquet)",
    )
    parser.add_argument(
        "--activities-per-lead",
        type=_positive_float,
        default=8.0,
        metavar="X",
        help="average number of activities per lead (default 8)",
    )
    parser.add_argument("--months", type=_positive_int, default=12, help="months of history (default 12)")
    parser.add_argument(
        "--end",
        default=None,
        metavar="TS",
        help="the simulated 'now', ISO 8601 (default 2026-11-20T18:00:00Z)",
    )
    parser.set_defaults(func=run, interrupted="interrupted; the folder may hold some of the files")


def run(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    counts = generate(
        args.out,
        leads=args.leads,
        seed=args.seed,
        months=args.months,
        end=args.end,
        fmt=args.fmt,
        activities_per_lead=args.activities_per_lead,
    )
    elapsed = time.perf_counter() - started
    width = max(len(name) for name in counts)
    print(f"Wrote {args.fmt} files to {args.out}:")
    for name, rows in counts.items():
        print(f"  {name:<{width}}  {rows:>12,}")
    print(f"in {elapsed:.1f} s")
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be greater than 0")
    return value
