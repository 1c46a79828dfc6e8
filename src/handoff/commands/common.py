"""Options shared by the commands that read data: --db, --data, --as-of, --config."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from handoff.data import DEFAULT_DB, load, sample_dir
from handoff.model import Model, parse_as_of
from handoff.output import folder_files
from handoff.policy import load_policy

DEFAULT_CONFIG = Path("handoff.toml")


def add_data_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", help="DuckDB file (default handoff.duckdb, or the sample data when none exists)")
    where.add_argument("--data", help="folder of canonical CSV/Parquet files, read into memory")
    parser.add_argument("--as-of", help="compute as of this ISO 8601 instant (default: the latest event)")
    parser.add_argument("--config", help="policy file (default handoff.toml when present)")


def config_files(config: str | None) -> list[Path]:
    """The policy file a command reads: --config, else handoff.toml when present."""
    if config:
        return [Path(config)]
    return [DEFAULT_CONFIG] if DEFAULT_CONFIG.exists() else []


def data_inputs(args: argparse.Namespace) -> list[Path]:
    """Every file a data-reading command reads (what its outputs must never replace)."""
    if args.data:
        files = folder_files(args.data)
    elif args.db:
        files = [Path(args.db)]
    elif DEFAULT_DB.exists():
        files = [DEFAULT_DB]
    else:
        files = folder_files(sample_dir())
    return files + config_files(args.config)


def model_from_args(args: argparse.Namespace) -> Model:
    policy = load_policy(args.config)
    dataset = load(db=args.db, data=args.data, policy=policy)
    report = dataset.report
    if args.data and report is not None and report.rejected:
        print(report.format(), file=sys.stderr)
    return Model(dataset.store.con, policy, parse_as_of(args.as_of, policy.timezone))
