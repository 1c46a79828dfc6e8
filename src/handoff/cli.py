"""The `handoff` command. Each subcommand lives in `handoff.commands.<name>` and registers itself."""

from __future__ import annotations

import argparse
import importlib
import os
import sys

COMMANDS = ("import_", "generate", "leads", "metrics", "leak", "sync")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="handoff", description="Measure the marketing-to-sales lead handoff."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"handoff.commands.{name}")
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except (ValueError, FileNotFoundError) as exc:
        print(f"handoff: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader went away (`handoff leads | head`): not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
