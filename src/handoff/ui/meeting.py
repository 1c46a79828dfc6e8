"""The meeting mode of the This week page: the weekly 30-minute alignment meeting on a
projector (1280x720). The sidebar and the sample banner are hidden (`page.frame`), the
headline block (status against target, then the change against last week) fits the first
screen, and the agenda of DOMAIN.md follows. The numbers are `views.meeting_agenda`, which
the pack (`handoff report`, the download here) draws too, in the words of `handoff.pack.content`.

URL keys: `meeting=1` (the mode) and `week=2026-W46` (the week; default the last complete one).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

import pandas as pd
import streamlit as st

from handoff import pack
from handoff.model import Filters, views
from handoff.model import definitions as registry
from handoff.pack import content
from handoff.ui import call_list, charts, page, state

WEEK_KEY = "week"
DeltaColor = Literal["green", "orange", "red", "gray"]
STATUS_COLORS: dict[str, DeltaColor] = {
    content.GOOD: "green",
    "warn": "orange",
    content.BAD: "red",
    content.NEUTRAL: "gray",
    content.SO_FAR: "gray",
}


@st.cache_data(max_entries=64, show_spinner="Preparing the meeting...")
def _agenda(data_key: str, filters_key: str, week: date, _model, _filters: Filters) -> views.Agenda:
    return views.meeting_agenda(_model, _filters, week)


@st.cache_data(max_entries=16, show_spinner=False)
def _pack(
    data_key: str, filters_key: str, week: date, source: str, _agenda_value: views.Agenda, _filters: Filters, _policy
) -> str:
    return pack.render(_agenda_value, _policy, _filters, source=source)


@st.cache_data(max_entries=4, show_spinner="Printing the PDF...")
def _pdf(data_key: str, filters_key: str, week: date, html: str) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp, "pack.pdf")
        pack.save(html, out)
        return out.read_bytes()


def agenda(filters: Filters, week: date) -> views.Agenda:
    data = state.current()
    return _agenda(data.key, repr(filters), week, data.model, filters)


def chosen_week(weeks: list[date], default: date | None) -> date:
    """The week in the URL (`week=2026-W46`) when the data has it, else `default`."""
    text = st.query_params.get(WEEK_KEY)
    if text:
        try:
            week = views.parse_week(text)
        except ValueError:
            week = None
        if week in weeks:
            return week
    return default or weeks[0]


def _week_changed() -> None:
    st.query_params[WEEK_KEY] = content.short_week(st.session_state["meeting_week"])


def source_text() -> str:
    data = state.current()
    return "bundled sample data" if data.origin == "sample" else data.detail


def render(filters: Filters) -> None:
    """The whole meeting: headline block first, then the agenda."""
    data = state.current()
    policy = state.policy()
    weeks = state.ask("weeks", filters)
    default = views.last_complete_week(data.model, filters)
    week = chosen_week(weeks, default)
    st.session_state["meeting_week"] = week

    head, pick, switch = st.columns([9, 4, 2], vertical_alignment="bottom")
    with head:
        st.markdown(f"#### Weekly handoff alignment · {views.week_label(week)}")
    with pick:
        st.selectbox(
            "MQL week",
            weeks,
            key="meeting_week",
            on_change=_week_changed,
            label_visibility="collapsed",
            format_func=lambda w: views.week_label(w) + (" · last complete" if w == default else ""),
        )
    with switch:
        toggle()
    meeting = agenda(filters, week)
    as_of = pd.Timestamp(meeting.as_of)
    st.caption(
        f"As of {as_of:%Y-%m-%d %H:%M} UTC · {content.filters_text(filters)} · status against target first "
        "(colour), change vs last week second; values still *so far* are not compared."
    )
    headline_block(meeting, policy)
    agenda_sections(meeting, filters, policy)


def toggle() -> None:
    st.toggle(
        "Meeting mode",
        value=page.meeting_mode(),
        key="meeting_toggle",
        on_change=lambda: page.set_meeting_mode(st.session_state["meeting_toggle"]),
        help="A view for the weekly meeting on a projector: no sidebar, status first, the agenda in order. "
        "Kept in the URL (meeting=1), so the link opens it.",
    )


def headline_block(meeting: views.Agenda, policy) -> None:
    """The status tiles (they fit 1280x720 with the title) and the meeting rate in words."""
    with st.container(key="meeting_headline"):
        tiles = content.tiles(meeting, policy)
        for row in (tiles[:3], tiles[3:]):
            for col, tile in zip(st.columns(len(row)), row, strict=True):
                with col:
                    st.metric(
                        tile.label,
                        tile.value,
                        tile.status_text,
                        delta_color=STATUS_COLORS.get(tile.status, "gray"),
                        delta_arrow="off",
                        border=True,
                        help=tile.help,
                    )
                    st.caption(tile.change_text)
        st.caption(
            content.meeting_summary(meeting, policy)
            + " "
            + " · ".join(f"{line}" for line in content.young_lines(meeting, policy, short=True))
            + (" (projections, not results)" if len(meeting.young) else "")
        )


def _title(item: str) -> str:
    keys = [k for k, _, _ in content.AGENDA]
    number = keys.index(item)
    _, title, minutes = content.AGENDA[number]
    return f"{number}. {title} ({minutes} min)"


def agenda_sections(meeting: views.Agenda, filters: Filters, policy) -> None:
    trend = meeting.trend
    st.subheader(_title("volume"))
    left, right = st.columns(2)
    with left:
        st.plotly_chart(
            charts.weekly_bars(
                trend,
                "handoffs",
                None,
                f"{registry.label('handoffs', policy)} per MQL week",
                registry.header("handoffs", policy),
            ),
            width="stretch",
        )
    with right:
        st.plotly_chart(
            charts.weekly_share(
                trend,
                "acceptance_rate",
                "dispositions_final",
                f"{registry.label('acceptance_rate', policy)} per MQL week",
                registry.target("acceptance_rate", policy),
            ),
            width="stretch",
        )

    st.subheader(_title("rejections"), help=page.help_text("rejection_reasons"))
    if meeting.rejections.empty:
        st.info("No rejected leads this week.")
    else:
        show_table(content.rejections_table(meeting, policy))

    st.subheader(_title("sla"))
    st.caption(
        "Marketing's delivery: data completeness and the routing delay (operations). Sales' response: SLA "
        "compliance, the rep delay and the median response (business minutes)."
    )
    show_table(content.delivery_table(meeting.by_team, "team", policy))
    show_table(content.delivery_table(meeting.by_tier, "tier", policy))
    call_list.show_top(filters, section=False)

    st.subheader(_title("meetings"), help=page.help_text("handoff_to_meeting_rate"))
    st.markdown(content.meeting_summary(meeting, policy))
    for line in content.young_lines(meeting, policy):
        st.markdown(f"- {line}")
    st.plotly_chart(
        charts.meeting_rate(trend.assign(label=[content.short_week(w) for w in trend["week"]]), "week", policy.bands),
        width="stretch",
    )

    st.subheader(_title("pipeline"), help=page.help_text("pipeline_amount"))
    tile = content.metric_tile("pipeline_amount", meeting, policy)
    st.metric(tile.label, tile.value, tile.status_text, delta_color="gray", delta_arrow="off")
    st.plotly_chart(
        charts.weekly_bars(
            trend,
            "pipeline_amount",
            "pipeline_final",
            f"{registry.label('pipeline_amount', policy)} per MQL week",
            registry.header("pipeline_amount", policy),
            money=True,
            currency=policy.currency,
        ),
        width="stretch",
    )

    st.subheader(_title("movers"))
    st.markdown(f"**Reps: {registry.label(views.REP_MOVER_METRIC, policy)}**")
    show_table(content.movers_table(meeting.rep_movers, views.REP_MOVER_METRIC, "Rep", policy))
    st.markdown(f"**Sources: {registry.label(views.SOURCE_MOVER_METRIC, policy)}**")
    show_table(content.movers_table(meeting.source_movers, views.SOURCE_MOVER_METRIC, "Source", policy))
    st.caption(
        "The three that changed most from the previous week, among those with at least 5 handoffs in both weeks."
    )

    st.subheader(_title("adjustment"))
    st.text_area(
        "One adjustment we agree on",
        key=f"adjustment_{meeting.week}",
        height=120,
        placeholder="The change to scoring or targeting, its owner, and when we check it.",
        label_visibility="collapsed",
    )

    download(meeting, filters, policy)


def show_table(table: content.Table) -> None:
    if not table.rows:
        st.caption("Nothing to show.")
        return
    st.dataframe(pd.DataFrame(table.rows, columns=table.headers), hide_index=True, width="stretch")


def download(meeting: views.Agenda, filters: Filters, policy) -> None:
    """The pack of this week: the same file `handoff report --week ... --out FILE.html` writes."""
    data = state.current()
    html = _pack(data.key, repr(filters), meeting.week, source_text(), meeting, filters, policy)
    st.subheader("The pack")
    left, right = st.columns(2)
    with left:
        st.download_button(
            "Download the pack (HTML)",
            html.encode("utf-8"),
            file_name=pack.file_name(meeting.week),
            mime="text/html",
            icon=":material/download:",
            key="dl_pack",
            help="One self-contained file: opens in any browser and prints to PDF (landscape).",
        )
    with right:
        if pack.chromium() is None:
            st.caption("A PDF needs Chromium on the server; print the HTML from a browser instead.")
        elif st.toggle(
            "Prepare a PDF", key="pdf_toggle", help="Prints the pack with headless Chromium (a few seconds)."
        ):
            try:
                pdf = _pdf(data.key, repr(filters), meeting.week, html)
            except pack.PdfError as exc:
                st.warning(str(exc))
            else:
                st.download_button(
                    "Download the pack (PDF)",
                    pdf,
                    file_name=pack.file_name(meeting.week, "pdf"),
                    mime="application/pdf",
                    icon=":material/picture_as_pdf:",
                    key="dl_pack_pdf",
                )
