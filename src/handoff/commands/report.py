"""`handoff report`: the weekly alignment pack of one MQL week, as HTML or PDF; with `--send`,
also to the alert destinations (docs/alerts.md): email with the pack attached, a short Slack
and webhook message naming the week. Exit codes with --send: 0 every configured destination
took it, 1 some did, 2 none did or none is configured."""

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
    p.add_argument(
        "--out", help="FILE.html (self-contained) or FILE.pdf (printed by chromium); required without --send"
    )
    p.add_argument("--paper", choices=["a4", "letter"], default="a4", help="landscape paper size (default a4)")
    p.add_argument("--send", action="store_true", help="send the pack to the alert destinations (docs/alerts.md)")
    p.add_argument("--secrets", default=".streamlit/secrets.toml", help="secrets file with [alerts] (for --send)")
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
    if args.out is None:
        if not args.send:
            raise ValueError("--out: name the pack's file (FILE.html or FILE.pdf), or send it with --send")
        return send(args, week, None)
    if not args.out.lower().endswith((".html", ".htm", ".pdf")):
        raise ValueError(f"--out: write FILE.html or FILE.pdf, not {args.out!r}")
    refuse_overwrite(args.out, data_inputs(args), "--out")
    check_writable(args.out)
    if args.out.lower().endswith(".pdf") and pack.chromium() is None:
        raise pack.PdfError(
            "no Chromium or Chrome to print the PDF with: install chromium "
            "(apt-get install chromium), set HANDOFF_CHROMIUM, or write FILE.html"
        )
    if args.send:
        return send(args, week, args.out)
    html, _ = build(args, week)
    out = pack.save(html, args.out)
    print(f"wrote {out} ({out.stat().st_size:,} bytes): the pack of {pack.content.short_week(week)}", file=sys.stderr)
    return 0


def build(args, week):
    """The pack's HTML and its model, or a ValueError when the week has no handoffs."""
    from handoff import pack

    model = model_from_args(args)
    empty = no_handoffs(model)
    if empty:
        raise ValueError(empty)
    if week not in weeks(model, Filters()):
        raise ValueError(
            f"--week {args.week}: no handoffs with an MQL date in that week (as of {model.as_of:%Y-%m-%d %H:%M} UTC)"
        )
    return pack.build(model, Filters(), week, source=source_text(args), paper=args.paper), model


def send(args, week, out: str | None, retry=None) -> int:
    """Build the pack (written to `out` too when named), then send it to every configured
    destination; a destination's failure is told by kind, never with its URL or password."""
    from handoff import pack
    from handoff.alerts import config
    from handoff.alerts.pack import Pack, send_pack
    from handoff.alerts.transport import DEFAULT_RETRY
    from handoff.policy import load_policy

    destinations = config.destinations(load_policy(args.config).alerts, args.secrets)
    if not destinations.names():
        raise ValueError(config.NONE_CONFIGURED)
    html, model = build(args, week)
    label = f"week of {week.day} {week:%b %Y}"
    iso = f"{week.isocalendar().year}-W{week.isocalendar().week:02d}"
    if out is not None:
        path = pack.save(html, out)
        print(f"wrote {path} ({path.stat().st_size:,} bytes): the pack of {label}", file=sys.stderr)
        content, filename = path.read_bytes(), path.name
    else:
        content, filename = html.encode("utf-8"), f"handoff-pack-{iso}.html"
    item = Pack(iso, label, filename, content, model.as_of)
    results = send_pack(item, destinations, retry or DEFAULT_RETRY)
    for name, delivery in results.items():
        if delivery.ok:
            print(f"{name}: sent the pack of {label}", file=sys.stderr)
        else:
            print(f"{name}: failed ({delivery.error})", file=sys.stderr)
    delivered = sum(d.ok for d in results.values())
    return 0 if delivered == len(results) else 1 if delivered else 2
