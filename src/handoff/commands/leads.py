"""`handoff leads`: one row per handoff with the contract's per-lead facts."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from handoff.commands.common import add_data_options, data_inputs
from handoff.commands.engine import add_engine_options, model_for
from handoff.output import check_writable, refuse_overwrite, to_csv, write_frame


def register(sub) -> None:
    p = sub.add_parser("leads", help="per-lead handoff facts (CSV on stdout, or --out FILE)")
    add_data_options(p)
    add_engine_options(p)
    p.add_argument("--out", help="write to FILE.csv or FILE.parquet instead of stdout")
    p.add_argument(
        "--extended",
        action="store_true",
        help="append assigned_at, routing_business_minutes, reassignments, breach_at and breach_owner_id "
        "(from the owner history) after the contract's columns",
    )
    p.set_defaults(func=run)


def utc_iso(frame: pd.DataFrame) -> pd.DataFrame:
    """Timestamps as UTC ISO 8601 text, as the contract asks for written files."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = (
                out[col]
                .dt.tz_convert("UTC")
                .map(lambda t: t.isoformat().replace("+00:00", "Z") if pd.notna(t) else None)
            )
    return out


def run(args) -> int:
    if args.out:
        refuse_overwrite(args.out, data_inputs(args), "--out")
        check_writable(args.out)
    frame = model_for(args).leads(extended=args.extended)
    if args.out and Path(args.out).suffix.lower() == ".parquet":
        write_frame(frame, args.out)
    elif args.out:
        write_frame(utc_iso(frame), args.out)
    else:
        to_csv(utc_iso(frame), sys.stdout)
    return 0
