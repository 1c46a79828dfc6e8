"""`handoff leads`: one row per handoff with the contract's per-lead facts."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

from handoff.commands.common import add_data_options, model_from_args


def register(sub) -> None:
    p = sub.add_parser("leads", help="per-lead handoff facts (CSV on stdout, or --out FILE)")
    add_data_options(p)
    p.add_argument("--out", help="write to FILE.csv or FILE.parquet instead of stdout")
    p.set_defaults(func=run)


def utc_iso(frame: pd.DataFrame) -> pd.DataFrame:
    """Timestamps as UTC ISO 8601 text, as the contract asks for written files."""
    out = frame.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.DatetimeTZDtype):
            out[col] = out[col].dt.tz_convert("UTC").map(
                lambda t: t.isoformat().replace("+00:00", "Z") if pd.notna(t) else None
            )
    return out


def run(args) -> int:
    frame = model_from_args(args).leads()
    if args.out and Path(args.out).suffix == ".parquet":
        frame.to_parquet(args.out, index=False)
    elif args.out:
        utc_iso(frame).to_csv(args.out, index=False)
    else:
        utc_iso(frame).to_csv(sys.stdout, index=False)
    return 0
