"""The `handoff` command. Each subcommand lives in `handoff.commands.<name>` and registers itself.

Exit codes (the README's table): 0 done; 1 loaded, with rejected rows; 2 nothing loaded,
bad input or an environment fault; 3 stopped at a CRM API limit; 4 the database is in use
by another process. A fault is one line on stderr naming its cause, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import signal
import sys
import threading
import traceback

from handoff.output import WriteFailed
from handoff.store import StoreBusy, StoreError, store_error, was_interrupted

COMMANDS = ("import_", "generate", "leads", "metrics", "leak", "sync", "staffing", "report", "alert", "calls")

EXIT_OK, EXIT_REJECTS, EXIT_FAILED, EXIT_LIMIT, EXIT_BUSY = 0, 1, 2, 3, 4


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="handoff", description="Measure the marketing-to-sales lead handoff.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"handoff.commands.{name}")
        module.register(sub)
    return parser


def _stop(signum, frame) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run one command. SIGTERM (a service manager or `kill` stopping it) is handled like
    Ctrl-C: whatever was half done is rolled back and the exit code says so."""
    args = build_parser().parse_args(argv)
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, _stop)
    try:
        return _run(args)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        return int(args.func(args) or 0)
    except BrokenPipeError:  # the reader went away (`handoff leads | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (KeyboardInterrupt, Exception) as exc:
        if was_interrupted(exc):
            return fail(getattr(args, "interrupted", "interrupted; nothing was changed"))
        code, message = fault(exc, getattr(args, "db", None))
        if message is None:
            traceback.print_exc()
            message = f"internal error: {type(exc).__name__}: {exc}"
        return fail(message, code)


def fault(exc: BaseException, db: str | None) -> tuple[int, str | None]:
    """The exit code and one-line message for an error (message None: an unexpected one)."""
    exc = store_error(exc, db) or exc
    if isinstance(exc, StoreBusy):
        return EXIT_BUSY, f"{exc}; try again when it finishes"
    if isinstance(exc, (StoreError, WriteFailed)):
        return EXIT_FAILED, str(exc)
    if isinstance(exc, OSError):
        return EXIT_FAILED, os_error(exc)
    if isinstance(exc, ValueError):
        return EXIT_FAILED, f"error: {exc}"
    return EXIT_FAILED, None


def os_error(exc: OSError) -> str:
    """An OS error reading or writing a file, as `<file>: <cause>`."""
    reason = (exc.strerror or str(exc)).lower()
    if exc.errno is not None and "space" in reason:
        return f"disk full while writing {exc.filename or 'a file'}"
    return f"{exc.filename}: {reason}" if exc.filename else reason


def fail(message: str, code: int = EXIT_FAILED) -> int:
    print(f"handoff: {message}", file=sys.stderr)
    return code


if __name__ == "__main__":
    sys.exit(main())
