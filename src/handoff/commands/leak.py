"""`handoff leak`: the revenue-leak model, from flags, an inputs file, or calibrated from data.

Inputs are layered: the defaults, then `--inputs FILE.json`, then `--preset`, then the
single-value flags. `--calibrate` prints inputs observed in the data, in the same JSON,
so its output can be fed back with `--inputs`.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from handoff import leak

ROWS = tuple(
    (key, leak.RESULT_LABELS[key] + (f" ({leak.RESULT_NOTES[key]})" if key in leak.RESULT_NOTES else ""))
    for key in leak.KEYS
)
"""The text table's rows: the result's keys with the model's labels."""


def register(sub) -> None:
    p = sub.add_parser("leak", help="revenue-leak model: what slow and missing follow-up costs")
    p.add_argument("--inputs", metavar="FILE.json", help="model inputs (the format --calibrate prints)")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.add_argument("--preset", choices=sorted(leak.PRESETS), help="multipliers from a research preset")
    for name in leak.SCALARS:
        text = leak.LABELS[name] + (" (0-1)" if name in leak.FRACTIONS else "")
        p.add_argument(f"--{name.replace('_', '-')}", dest=name, type=float, help=text)
    cal = p.add_argument_group("calibration (prints inputs JSON observed in the data)")
    cal.add_argument("--calibrate", action="store_true", help="calibrate the inputs from the loaded data")
    where = cal.add_mutually_exclusive_group()
    where.add_argument("--db", help="DuckDB file (default handoff.duckdb, or the sample data when none exists)")
    where.add_argument("--data", help="folder of canonical CSV/Parquet files, read into memory")
    cal.add_argument("--as-of", help="calibrate as of this ISO 8601 instant (default: the latest event)")
    cal.add_argument("--config", help="policy file (default handoff.toml when present)")
    cal.add_argument("--metric", choices=leak.METRICS, default="sql", help="conversion measured as SQL or meeting rate")
    cal.add_argument("--min-leads", type=int, default=30, help="warn about buckets with fewer leads (default 30)")
    p.set_defaults(func=run)


def read_inputs_file(path: str) -> leak.LeakInputs:
    text = Path(path).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid JSON ({exc})") from None
    try:
        return leak.inputs_from_json(data)
    except ValueError as exc:
        raise ValueError(f"{path}: {exc}") from None


def inputs_from_args(args: argparse.Namespace, base: leak.LeakInputs | None = None) -> leak.LeakInputs:
    """The defaults (or `base`), then --inputs, then --preset, then the single-value flags."""
    inputs = base or (read_inputs_file(args.inputs) if args.inputs else leak.default_inputs())
    if args.preset:
        inputs = leak.apply_preset(inputs, args.preset)
    overrides = {name: getattr(args, name) for name in leak.SCALARS if getattr(args, name) is not None}
    return replace(inputs, **overrides) if overrides else inputs


def run(args: argparse.Namespace) -> int:
    if args.calibrate:
        return run_calibrate(args)
    inputs = inputs_from_args(args)
    result = leak.compute(inputs)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        from handoff.policy import load_policy

        print(format_result(inputs, result, load_policy(args.config).currency))
    return 0


def format_result(inputs: leak.LeakInputs, result: dict, currency: str = "USD") -> str:
    """The leak as a readable table, money in whole units of the input's currency."""
    columns = [("monthly", "Monthly"), ("annual", "Annual")]
    if "recovery" in result:
        columns.append(("recovery", "Recovery/month"))
    width = max(len(label) for _, label in ROWS) + 2
    lines = [f"{'Money in ' + currency:<{width}}" + "".join(f"{title:>18}" for _, title in columns)]
    for key, label in ROWS:
        lines.append(f"{label:<{width}}" + "".join(f"{result[col][key]:>18,.0f}" for col, _ in columns))
    lines.append("")
    lines.append(f"Ideal revenue per month    {leak.ideal_revenue(inputs):>14,.0f}")
    lines.append(f"Current revenue per month  {leak.revenue(inputs):>14,.0f}")
    return "\n".join(lines)


def run_calibrate(args: argparse.Namespace) -> int:
    from handoff.data import open_data
    from handoff.model import calibration_facts, parse_as_of
    from handoff.policy import load_policy

    policy = load_policy(args.config)
    store = open_data(db=args.db, data=args.data, policy=policy)
    facts = calibration_facts(store, as_of=parse_as_of(args.as_of, policy.timezone), policy=policy)
    base = read_inputs_file(args.inputs) if args.inputs else leak.default_inputs()
    calibration = leak.calibrate(facts, metric=args.metric, min_leads=args.min_leads, base=base)
    inputs = inputs_from_args(args, base=calibration.inputs)
    print(json.dumps(leak.inputs_to_json(inputs), indent=2))
    print(calibration.table.drop(columns="warning").to_string(float_format=lambda x: f"{x:.4g}"), file=sys.stderr)
    for warning in calibration.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return 0
