"""`handoff sync NAME [--db PATH] [--full] [--config handoff.toml] [--secrets FILE] [--quiet]`.

NAME is any connector registered in `handoff.sources.registry`; the command knows none of
them by name.

Exit codes (as for every command): 0 done; 1 done, with rejected records (implausible or
missing values, each in the store's rejects table with its reason); 2 the sync failed, is
not available or has bad settings (message on stderr); 3 stopped at the CRM's API limit
(state kept: run again later to continue); 4 the database is in use by another process.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

EXIT_REJECTS = 1
EXIT_FAILED = 2
EXIT_UNAVAILABLE = 2
EXIT_LIMIT = 3


def register(subparsers) -> None:
    from handoff.sources import registry

    names = registry.names()
    p = subparsers.add_parser(
        "sync",
        help="pull a CRM into the store",
        description=f"Pull a CRM ({', '.join(names)}) into the DuckDB store, incrementally.",
    )
    p.add_argument("crm", metavar="NAME", help=f"the connector: {', '.join(names)}")
    p.add_argument("--db", default="handoff.duckdb", help="DuckDB file (default handoff.duckdb)")
    p.add_argument("--full", action="store_true", help="re-read everything and drop records the CRM no longer has")
    p.add_argument("--config", help="policy file with the connector's table (default handoff.toml when present)")
    p.add_argument("--secrets", default=".streamlit/secrets.toml", help="secrets file with the connector's table")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(
        func=run, interrupted="interrupted; what was synced so far is kept, the next sync continues from there"
    )


class ProgressBar:
    """A one-line progress bar on stderr (plain lines when stderr is not a terminal)."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr
        self.width = width
        self.tty = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.last_line = ""
        self.last_time = 0.0

    def __call__(self, done: int, total: int | None, message: str) -> None:
        if total:
            frac = min(done / total, 1.0)
            filled = int(frac * self.width)
            line = f"[{'#' * filled}{'.' * (self.width - filled)}] {frac:4.0%} {done:,}/{total:,}  {message}"
        else:
            line = f"{message}"
        if self.tty:
            self.stream.write("\r" + line[:120].ljust(len(self.last_line[:120])))
            self.stream.flush()
        else:
            now = time.monotonic()
            if message != self.last_line and (now - self.last_time > 2 or message == "Done"):
                self.stream.write(line + "\n")
                self.last_time = now
        self.last_line = line

    def close(self) -> None:
        if self.tty and self.last_line:
            self.stream.write("\n")
            self.stream.flush()


def print_summary(summary, crm: str, stream=None) -> None:
    stream = stream or sys.stdout
    print(
        f"{crm} sync: {summary.total('added'):,} added, {summary.total('changed'):,} changed, "
        f"{summary.total('deleted'):,} deleted, {summary.total('rejected'):,} rejected",
        file=stream,
    )
    tables = sorted(set(summary.added) | set(summary.changed) | set(summary.deleted) | set(summary.rejected))
    for t in tables:
        print(
            f"  {t:<14} added {summary.added.get(t, 0):>8,}  changed {summary.changed.get(t, 0):>8,}  "
            f"deleted {summary.deleted.get(t, 0):>6,}  rejected {summary.rejected.get(t, 0):>6,}",
            file=stream,
        )
    for note in summary.notes:
        print(f"  note: {note}", file=stream)


def run(args: argparse.Namespace) -> int:
    from handoff.data import writable
    from handoff.policy import load_policy
    from handoff.sources import registry
    from handoff.sources.connector import ApiLimitReached, SyncError
    from handoff.sources.runner import run as run_sync

    try:
        connector = registry.get(args.crm)
    except (KeyError, ImportError):
        print(f"handoff: no connector named {args.crm!r} (available: {', '.join(registry.names())}).", file=sys.stderr)
        return EXIT_UNAVAILABLE
    try:
        policy = load_policy(args.config)
        settings = connector.settings(policy.connector_config(connector.name))
        credentials = connector.credentials(args.secrets, os.environ)
        if credentials is None:
            raise connector.missing_credentials()
    except (SyncError, ValueError) as exc:
        print(f"handoff: {exc}", file=sys.stderr)
        return EXIT_UNAVAILABLE

    bar = None if args.quiet else ProgressBar()
    try:
        with writable(args.db) as store:
            summary = run_sync(
                connector,
                store,
                settings,
                credentials,
                full=args.full,
                progress=bar,
                tier_map=policy.tier_map,
                policy=policy,
            )
    except ApiLimitReached as exc:
        if bar:
            bar.close()
        print(f"handoff: sync stopped: {exc}", file=sys.stderr)
        return EXIT_LIMIT
    except SyncError as exc:
        if bar:
            bar.close()
        print(f"handoff: sync failed: {exc}", file=sys.stderr)
        return EXIT_FAILED
    if bar:
        bar.close()
    print_summary(summary, connector.label)
    return EXIT_REJECTS if summary.total("rejected") else 0
