"""`handoff alert`: each breach-queue lead sent once per stage to the configured destinations.

    handoff alert [--db PATH | --data DIR] [--as-of TS|now] [--warn-minutes W] [--dry-run]
                  [--every 5m] [--secrets FILE] [--state FILE] [--config handoff.toml]

Exit codes (docs/alerts.md): 0 every destination has every alert (or nothing was new, or a
dry run, or `--every` stopped by SIGINT/SIGTERM); 1 some alerts delivered, some left pending
for the next run; 2 nothing delivered though alerts were due, no destination configured, bad
input or a fault; 4 the database is in use by another process.
"""

from __future__ import annotations

import argparse
import re
import signal
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

from handoff.alerts import config as alert_config
from handoff.alerts.log import AlertLog
from handoff.alerts.messages import STAGE_LABELS, due, minutes_text
from handoff.alerts.queue import Alert, current_alerts
from handoff.alerts.send import EXIT_NOTHING, RunResult, run, unsent
from handoff.alerts.transport import DEFAULT_RETRY, RetryPolicy
from handoff.commands.common import add_data_options, model_from_args
from handoff.data import DEFAULT_DB, database, writable
from handoff.policy import load_policy

DEFAULT_STATE = Path("handoff-alerts.duckdb")
_EVERY = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(s|m|h)?\s*", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def register(sub) -> None:
    p = sub.add_parser("alert", help="send each breach-queue lead once per stage (webhook, Slack, email)")
    add_data_options(p)
    p.add_argument("--warn-minutes", type=float, help="business minutes before the target a warning is sent")
    p.add_argument("--dry-run", action="store_true", help="print what would be sent; send and mark nothing")
    p.add_argument("--every", help="run again at this interval (30s, 5m, 1h) until SIGINT or SIGTERM")
    p.add_argument("--secrets", default=str(alert_config.DEFAULT_SECRETS), help="secrets file with [alerts]")
    p.add_argument(
        "--state",
        help="DuckDB file remembering what was sent (default: the --db database; with --data or the "
        f"sample data, {DEFAULT_STATE})",
    )
    p.set_defaults(func=main, interrupted="interrupted; what was sent is marked, the rest is left for the next run")


def interval(text: str) -> float:
    """`--every`: seconds from 30s, 5m, 1h (a bare number is minutes)."""
    match = _EVERY.fullmatch(text or "")
    if not match:
        raise ValueError(f"--every: write an interval such as 30s, 5m or 1h, not {text!r}")
    value = float(match.group(1)) * {"s": 1, "m": 60, "h": 3600}[(match.group(2) or "m").lower()]
    if not 1 <= value <= 7 * 24 * 3600:
        raise ValueError("--every: the interval must be between 1 second and 7 days")
    return value


def state_path(args: argparse.Namespace) -> Path:
    if args.state:
        return Path(args.state)
    if args.db:
        return Path(args.db)
    if not args.data and DEFAULT_DB.exists():
        return DEFAULT_DB
    return DEFAULT_STATE


def plain(text: object) -> str:
    """Data text for the terminal: control and direction characters shown as `?`."""
    return _CONTROL.sub("?", str(text))


def main(args: argparse.Namespace, retry: RetryPolicy = DEFAULT_RETRY) -> int:
    if args.every:
        seconds = interval(args.every)
        return loop(args, seconds, retry)
    return once(args, retry)


def once(args: argparse.Namespace, retry: RetryPolicy = DEFAULT_RETRY, stop: threading.Event | None = None) -> int:
    policy = load_policy(args.config)
    if args.warn_minutes is not None and not 0 <= args.warn_minutes <= 100 * 24 * 60:
        raise ValueError("--warn-minutes must be between 0 and 144,000 business minutes")
    warn = policy.alerts.warn_minutes if args.warn_minutes is None else args.warn_minutes
    destinations = alert_config.destinations(policy.alerts, args.secrets)
    if not destinations.names() and not args.dry_run:
        print(f"handoff: {alert_config.NONE_CONFIGURED}", file=sys.stderr)
        return EXIT_NOTHING
    if args.as_of and args.as_of.strip().lower() == "now":
        args = argparse.Namespace(**{**vars(args), "as_of": datetime.now(UTC).isoformat()})
    model = model_from_args(args)
    assert model.as_of is not None
    alerts = current_alerts(model, warn, policy.alerts.stages)
    state = state_path(args)
    if args.dry_run:
        return dry_run(model.as_of, alerts, destinations, state)
    store = writable(state)
    try:
        result = run(alerts, model.as_of, destinations, AlertLog(store), retry, stop)
    finally:
        store.close()
    report(result)
    return result.exit_code


def counts(alerts: list[Alert]) -> str:
    return ", ".join(f"{sum(a.stage == s for a in alerts)} {s}" for s in STAGE_LABELS)


def alert_line(a: Alert) -> str:
    who = plain(a.owner_name or a.owner_id or "unassigned")
    return (
        f"  {a.stage:<9}  {plain(a.lead_id)}  {plain(a.company or '(no company)')}  owner {who}  {a.tier}  "
        f"{minutes_text(a.elapsed_business_minutes)} since MQL (target {minutes_text(a.sla_target_business_minutes)}), "
        f"{due(a)}"
    )


def dry_run(as_of: datetime, alerts: list[Alert], destinations: alert_config.Destinations, state: Path) -> int:
    print(f"breach queue as of {as_of:%Y-%m-%d %H:%M} UTC: {len(alerts)} leads ({counts(alerts)})")
    names = destinations.names()
    if not names:
        print(f"dry run: {alert_config.NONE_CONFIGURED}")
        print(f"dry run: once one is, the first run sends these {len(alerts)}:")
        for a in alerts:
            print(alert_line(a))
        return 0
    store = database(state) if state.exists() else None
    try:
        for name in names:
            new = unsent(alerts, AlertLog(store).sent(name)) if store else list(alerts)
            print(f"dry run: would send {len(new)} to {name} ({counts(new)})")
            for a in new:
                print(alert_line(a))
    finally:
        if store is not None:
            store.close()
    return 0


def report(result: RunResult) -> None:
    print(f"breach queue as of {result.as_of:%Y-%m-%d %H:%M} UTC: {len(result.alerts)} leads ({counts(result.alerts)})")
    for o in result.outcomes:
        if not o.new:
            print(f"{o.destination}: nothing new")
        elif not o.pending:
            print(f"{o.destination}: sent {len(o.sent)} ({counts(o.sent)})")
        else:
            sent = f"sent {len(o.sent)}, " if o.sent else ""
            print(
                f"{o.destination}: {sent}failed ({o.error}); {o.pending} left for the next run",
                file=sys.stderr,
            )


def loop(args: argparse.Namespace, seconds: float, retry: RetryPolicy = DEFAULT_RETRY) -> int:
    """Run every `seconds` until SIGINT or SIGTERM: a send in flight finishes (or its retry
    wait is abandoned, its alerts left pending), then the command exits 0."""
    from handoff.cli import fault

    stop = threading.Event()

    def on_signal(signum, frame) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not stop.is_set():
            try:
                once(args, retry, stop)
            except Exception as exc:
                code, message = fault(exc, getattr(args, "db", None))
                print(f"handoff: {message or f'internal error: {type(exc).__name__}'}", file=sys.stderr)
            sys.stdout.flush()
            if stop.wait(seconds):
                break
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("handoff alert: stopped", file=sys.stderr)
    return 0
