"""`handoff report`: the weekly alignment pack of one MQL week, as HTML or PDF."""

from __future__ import annotations

import sys

from handoff.commands.common import add_data_options, data_inputs, model_from_args
from handoff.model import Filters
from handoff.model.summary import no_handoffs
from handoff.model.views import parse_week, weeks
from handoff.output import check_writable, refuse_overwrite


def register(sub) -> None:
    p = sub.add_parser("report", help="the weekly alignment pack of one MQL week (FILE.html or FILE.pdf)")
    p.add_argument("--week", required=True, help="the ISO week, such as 2026-W46 (its Monday to Sunday, MQL dates)")
    add_data_options(p)
    p.add_argument("--out", required=True, help="FILE.html (self-contained) or FILE.pdf (printed by chromium)")
    p.add_argument("--paper", choices=["a4", "letter"], default="a4", help="landscape paper size (default a4)")
    p.set_defaults(func=run)


def source_text(args) -> str:
    if args.data:
        return f"files in {args.data}"
    if args.db:
        return str(args.db)
    inputs = data_inputs(args)
    return "bundled sample data" if inputs and inputs[0].suffix != ".duckdb" else str(inputs[0])


def run(args) -> int:
    from handoff import pack

    week = parse_week(args.week)
    if not args.out.lower().endswith((".html", ".htm", ".pdf")):
        raise ValueError(f"--out: write FILE.html or FILE.pdf, not {args.out!r}")
    refuse_overwrite(args.out, data_inputs(args), "--out")
    check_writable(args.out)
    if args.out.lower().endswith(".pdf") and pack.chromium() is None:
        raise pack.PdfError(
            "no Chromium or Chrome to print the PDF with: install chromium "
            "(apt-get install chromium), set HANDOFF_CHROMIUM, or write FILE.html"
        )
    model = model_from_args(args)
    empty = no_handoffs(model)
    if empty:
        raise ValueError(empty)
    if week not in weeks(model, Filters()):
        raise ValueError(
            f"--week {args.week}: no handoffs with an MQL date in that week (as of {model.as_of:%Y-%m-%d %H:%M} UTC)"
        )
    html = pack.build(model, Filters(), week, source=source_text(args), paper=args.paper)
    out = pack.save(html, args.out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes): the pack of {pack.content.short_week(week)}", file=sys.stderr)
    return 0
