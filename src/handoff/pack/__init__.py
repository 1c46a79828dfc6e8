"""The weekly alignment pack: one self-contained HTML file (and a PDF printed from it) for the
30-minute marketing-sales meeting (DOMAIN.md), `handoff report` and the meeting mode's
download.

    html = pack.build(model, filters, week)          # the same model views as the app
    pack.save(html, "pack.pdf")                      # .html as it is, .pdf through chromium

The numbers come from `handoff.model.views.meeting_agenda`, which the meeting mode draws too,
and are written in the words of `handoff.pack.content`, so the pack and the app agree for the
same week, filters and as_of. The file holds no script and fetches nothing: the style is
inline, the charts are inline SVG drawn here (`handoff.pack.svg`), fonts are the system's;
every text from the data is HTML-escaped.
"""

from __future__ import annotations

import html as html_text
from datetime import date
from pathlib import Path

from handoff.model import Filters, Model, staffing
from handoff.model import definitions as registry
from handoff.model.views import Agenda, meeting_agenda, week_label
from handoff.pack import content, svg
from handoff.pack.pdf import PdfError, chromium, print_pdf
from handoff.pack.template import PAGE, PAPERS, STYLE
from handoff.policy import Policy

__all__ = ["build", "render", "save", "PdfError", "chromium", "PAPERS", "file_name"]

MAX_BYTES = 5 * 1024 * 1024


def esc(text: object) -> str:
    return html_text.escape(str(text), quote=True)


def file_name(week: date, suffix: str = "html") -> str:
    return f"handoff-pack-{content.short_week(week)}.{suffix}"


def build(model: Model, filters: Filters, week: date, source: str = "", paper: str = "a4") -> str:
    """The pack of `week` over the selection (its date range is replaced by the week)."""
    coverage = staffing.coverage_words(staffing.plan(model))
    return render(
        meeting_agenda(model, filters, week), model.policy, filters, source=source, paper=paper, coverage=coverage
    )


def render(
    agenda: Agenda, policy: Policy, filters: Filters, source: str = "", paper: str = "a4", coverage: str = ""
) -> str:
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, got {paper!r}")
    sections = [
        _cover(agenda, policy, filters, source),
        _volume(agenda, policy),
        _rejections(agenda, policy),
        _sla(agenda, policy, coverage),
        _meetings(agenda, policy),
        _pipeline(agenda, policy),
        _movers(agenda, policy),
        _adjustment(),
        _definitions(policy),
    ]
    style = STYLE.replace("$paper", PAPERS[paper])
    title = f"Weekly handoff alignment, {content.short_week(agenda.week)}"
    return PAGE.substitute(title=esc(title), style=style, sections="\n".join(sections))


def save(html: str, out: str | Path, timeout: float = 120) -> Path:
    """Write the pack: `.html` as it is, `.pdf` printed by chromium from the HTML. Written to
    a temporary file and renamed, so a failure leaves no half file."""
    from handoff.output import replacing

    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".html", ".htm", ".pdf"):
        raise ValueError(f"--out: write FILE.html or FILE.pdf, not {out.name!r}")
    with replacing(out) as temp:
        if suffix == ".pdf":
            print_pdf(html, temp, timeout=timeout)
        else:
            temp.write_text(html, encoding="utf-8")
    return out


# -- sections ---------------------------------------------------------------------------------
def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}">\n<h2>{esc(title)}</h2>\n{body}\n</section>'


def _number(item: str) -> str:
    keys = [k for k, _, _ in content.AGENDA]
    return f"{keys.index(item)}. "


def _tile(tile: content.Tile) -> str:
    css = {"so far": "sofar"}.get(tile.status, tile.status)
    return (
        f'<div class="tile {css}" title="{esc(tile.help)}"><div class="label">{esc(tile.label)}</div>'
        f'<div class="value">{esc(tile.value)}</div><div class="status {css}">{esc(tile.status_text)}</div>'
        f'<div class="change">{esc(tile.change_text)}</div></div>'
    )


def _table(table: content.Table, empty: str = "Nothing to show.", css: str = "") -> str:
    if not table.rows:
        return f'<p class="empty">{esc(empty)}</p>'
    head = "".join(
        f'<th class="num">{esc(h)}</th>' if n else f"<th>{esc(h)}</th>"
        for h, n in zip(table.headers, table.numeric, strict=True)
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f'<td class="num">{esc(c)}</td>' if n else f"<td>{esc(c)}</td>"
            for c, n in zip(row, table.numeric, strict=True)
        )
        + "</tr>"
        for row in table.rows
    )
    klass = f' class="{css}"' if css else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _cover(agenda: Agenda, policy: Policy, filters: Filters, source: str) -> str:
    meta = [
        week_label(agenda.week),
        f"as of {registry.show_date(agenda.as_of, 'UTC')} {agenda.as_of:%H:%M} UTC",
        content.filters_text(filters),
    ]
    if source:
        meta.append(f"data: {source}")
    tiles = "".join(_tile(t) for t in content.tiles(agenda, policy))
    young = content.young_lines(agenda, policy)
    meeting = f"<p>{esc(content.meeting_summary(agenda, policy))}</p>"
    if young:
        meeting += (
            '<p class="note">Newer weeks are not mature (handoffs still inside their meeting window): '
            "booked so far is a floor, the projection is not a result and has no band.</p><ul>"
            + "".join(f"<li>{esc(line)}</li>" for line in young)
            + "</ul>"
        )
    items = "".join(
        f'<li>{esc(title)} <span class="meta">({minutes} min)</span></li>' for _, title, minutes in content.AGENDA
    )
    return (
        f'<section id="status">\n<h1>Weekly handoff alignment</h1>\n<p class="meta">{esc(" · ".join(meta))}</p>\n'
        f'<p class="note">Status against target first (colour), the change against the previous week second. '
        f"Values that can still change are marked so far and are not compared.</p>\n"
        f'<div class="tiles">{tiles}</div>\n{meeting}\n<h3>Agenda (30 minutes)</h3><ol class="agenda" start="0">'
        f"{items}</ol>\n</section>"
    )


def _labels(agenda: Agenda, short: bool = False) -> list[str]:
    """The trend's weeks as `2026-W46`, or `W46` where the charts are narrow."""
    return [content.short_week(w)[5 if short else 0 :] for w in agenda.trend["week"]]


def _volume(agenda: Agenda, policy: Policy) -> str:
    trend = agenda.trend
    count = lambda v: registry.show(v, "count")  # noqa: E731
    share = lambda v: registry.show(v, "share")  # noqa: E731
    volume = svg.bars(
        _labels(agenda, short=True),
        list(trend["handoffs"]),
        [True] * len(trend),
        f"{registry.label('handoffs', policy)} per MQL week",
        count,
        width=620,
        height=360,
    )
    acceptance = svg.share_line(
        _labels(agenda, short=True),
        [None if v != v else v for v in trend["acceptance_rate"]],
        list(trend["dispositions_final"].astype(bool)),
        f"{registry.label('acceptance_rate', policy)} per MQL week",
        registry.target("acceptance_rate", policy),
        share,
        width=620,
        height=360,
    )
    row = agenda.summary.set_index("metric")
    lines = [
        f"{registry.label(n, policy)}: {registry.show(row.at[n, 'current'], row.at[n, 'unit'])}"
        + ("" if row.at[n, "final"] else " (so far)")
        for n in ("handoffs", "dispositioned", "accepted", "acceptance_rate", "undispositioned")
    ]
    body = (
        f'<p>{esc(" · ".join(lines))}</p>\n<div class="charts">{volume}{acceptance}</div>\n'
        f'<p class="note">{esc(registry.definition("acceptance_rate", policy))}</p>'
    )
    return _section("volume", _number("volume") + "MQL volume and acceptance", body)


def _rejections(agenda: Agenda, policy: Policy) -> str:
    body = (
        _table(content.rejections_table(agenda, policy), "No rejected leads this week.")
        + f'<p class="note">{esc(registry.definition("rejection_reasons", policy))}</p>'
    )
    return _section("rejections", _number("rejections") + "Top 3 rejection reasons, with example leads", body)


def _sla(agenda: Agenda, policy: Policy, coverage: str = "") -> str:
    note = (
        "Marketing's delivery: data completeness (source, campaign, company, title and segment all "
        "present) and the routing delay (mql_at to assigned_at, owned by operations). Sales' response: "
        "SLA compliance, the rep delay (assigned_at to first touch) and the median response, in business "
        "minutes of each rep's calendar."
    )
    body = (
        f'<p class="note">{esc(note)}</p><h3>By team</h3>'
        + _table(content.delivery_table(agenda.by_team, "team", policy))
        + "<h3>By tier</h3>"
        + _table(content.delivery_table(agenda.by_tier, "tier", policy))
        + (f"<p>{esc(coverage)}</p>" if coverage else "")
    )
    return _section("sla", _number("sla") + "SLA adherence: marketing's delivery vs sales' response", body)


def _meetings(agenda: Agenda, policy: Policy) -> str:
    trend = agenda.trend
    rows = [
        {
            "mature": bool(r["mature"]),
            "rate": r["handoff_to_meeting_rate"],
            "band": r["meeting_band"],
            "booked_so_far": r["booked_so_far"],
            "projected": None if r["projected"] != r["projected"] else r["projected"],
        }
        for _, r in trend.iterrows()
    ]
    bands = {
        "excellent": policy.bands.excellent,
        "acceptable": policy.bands.acceptable,
        "below average": policy.bands.below_average,
    }
    chart = svg.meeting_rates(
        _labels(agenda),
        rows,
        bands,
        f"{registry.label('handoff_to_meeting_rate', policy)}, last {len(trend)} MQL weeks",
        lambda v: registry.show(v, "share"),
        height=250,
    )
    young = content.young_lines(agenda, policy)
    body = (
        f"<p>{esc(content.meeting_summary(agenda, policy))}</p>"
        + ("<ul>" + "".join(f"<li>{esc(line)}</li>" for line in young) + "</ul>" if young else "")
        + chart
        + _table(content.weekly_table(agenda, policy), css="compact")
    )
    return _section("meetings", _number("meetings") + "Handoff to meeting", body)


def _pipeline(agenda: Agenda, policy: Policy) -> str:
    trend = agenda.trend
    money = lambda v: registry.show(v, "money")  # noqa: E731
    tile = _tile(content.metric_tile("pipeline_amount", agenda, policy))
    currency = getattr(policy, "currency", None)
    title = f"{registry.label('pipeline_amount', policy)} per MQL week" + (f" ({currency})" if currency else "")
    chart = svg.bars(
        _labels(agenda),
        list(trend["pipeline_amount"]),
        list(trend["pipeline_final"].astype(bool)),
        title,
        money,
        height=280,
    )
    body = (
        f'<div class="tiles" style="grid-template-columns: 1fr 2fr">{tile}<div></div></div>{chart}'
        f'<p class="note">{esc(registry.definition("pipeline_amount", policy))}</p>'
    )
    return _section("pipeline", _number("pipeline") + "Pipeline created", body)


def _movers(agenda: Agenda, policy: Policy) -> str:
    from handoff.model.views import REP_MOVER_METRIC, SOURCE_MOVER_METRIC

    reps = content.movers_table(agenda.rep_movers, REP_MOVER_METRIC, "Rep", policy)
    sources = content.movers_table(agenda.source_movers, SOURCE_MOVER_METRIC, "Source", policy)
    body = (
        f"<h3>Reps: {esc(registry.label(REP_MOVER_METRIC, policy))}</h3>"
        + _table(reps, "No rep with enough handoffs in both weeks.")
        + f"<h3>Sources: {esc(registry.label(SOURCE_MOVER_METRIC, policy))}</h3>"
        + _table(sources, "No source with enough handoffs in both weeks.")
        + '<p class="note">The three that changed most from the previous week, among those with at least 5 '
        "handoffs in both weeks.</p>"
    )
    return _section("movers", _number("movers") + "Reps and sources that moved most", body)


def _adjustment() -> str:
    lines = '<div class="line"></div>' * 5
    body = (
        '<p class="note">One change to lead scoring or targeting both teams agree on, its owner and when '
        f'it is checked.</p><div class="box">{lines}</div>'
    )
    return _section("adjustment", _number("adjustment") + "One adjustment we agree on", body)


def _definitions(policy: Policy) -> str:
    names = (
        "handoffs",
        "acceptance_rate",
        "sla_compliance",
        "data_completeness",
        "handoff_to_meeting_rate",
        "booked_so_far",
        "projected",
        "pipeline_amount",
        "median_routing_business_minutes",
        "median_rep_business_minutes",
    )
    items = "".join(
        f"<dt>{esc(registry.label(n, policy))}</dt><dd>{esc(registry.definition(n, policy))}</dd>" for n in names
    )
    return _section("definitions", "Definitions", f"<dl>{items}</dl>")
