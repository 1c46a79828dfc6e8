"""Plotly figure builders. One colour meaning everywhere: SLA status and meeting bands.

Builders take the DataFrames of `handoff.model.views` and only draw; they compute nothing
that is shown as a number. Plotly renders a subset of HTML in titles, ticks, legends and
hovers, so every builder is `@escaped`: the text in its frames is HTML-escaped before
anything is drawn, and a team named like a link shows as text.

Young cohorts are drawn apart: a week (or group) that is not mature is a grey, hatched bar of
its booked so far (a floor), with its projection as an open diamond labelled as such, never
in a band's colour; values still "so far" (acceptance, pipeline) are hollow or hatched.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Callable

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from handoff.model.definitions import label
from handoff.policy import Bands
from handoff.schema import NEVER_BUCKET, SPEED_BUCKET_NAMES

STATUS_COLORS = {"met": "#2e7d32", "breached": "#c62828", "pending": "#f9a825"}
BAND_COLORS = {
    "excellent": "#2e7d32",
    "acceptable": "#7cb342",
    "below average": "#f9a825",
    "critical": "#c62828",
    None: "#9e9e9e",
}
DISPOSITION_COLORS = {
    "Qualified": "#2e7d32",
    "Wrong Persona": "#6a1b9a",
    "Wrong Timing": "#1565c0",
    "Bad Fit": "#c62828",
    "Unresponsive": "#9e9e9e",
}
YOUNG_COLOR = "#bdbdbd"  # a group that is not mature (or a value still so far): grey, hatched
YOUNG_PATTERN = dict(shape="/", fgcolor="#757575", size=6)
PROJECTION_MARKER = dict(symbol="diamond-open", size=11, color="#212121", line=dict(width=2))
TARGET_LINE = dict(line_dash="dash", line_color="#424242")
PCT = ".0%"


def _holds_text(column: pd.Series) -> bool:
    return (
        column.dtype == object or pd.api.types.is_string_dtype(column) or isinstance(column.dtype, pd.CategoricalDtype)
    )


def escape_text(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of `frame` whose text cells are HTML-escaped (numbers and dates untouched)."""
    safe = frame.copy()
    for name in safe.columns:
        if _holds_text(safe[name]):
            safe[name] = safe[name].map(lambda v: html.escape(v) if isinstance(v, str) else v)
    return safe


def escaped(builder: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """A chart builder that receives its DataFrame arguments with their text escaped."""

    @functools.wraps(builder)
    def build(*args, **kwargs) -> go.Figure:
        args = tuple(escape_text(a) if isinstance(a, pd.DataFrame) else a for a in args)
        kwargs = {k: escape_text(v) if isinstance(v, pd.DataFrame) else v for k, v in kwargs.items()}
        return builder(*args, **kwargs)

    return build


def _layout(fig: go.Figure, height: int = 360) -> go.Figure:
    fig.update_layout(height=height, margin=dict(l=10, r=10, t=40, b=10), legend_title_text="")
    return fig


def _target(fig: go.Figure, y: float, text: str) -> None:
    fig.add_hline(y=y, annotation_text=text, annotation_position="top left", **TARGET_LINE)


@escaped
def sla_by_team(frame: pd.DataFrame, target: float) -> go.Figure:
    """Stacked met / breached / pending per team, with compliance in the hover."""
    long = frame.melt(
        id_vars=["team_name", "sla_compliance"],
        value_vars=["met", "breached", "pending"],
        var_name="status",
        value_name="leads",
    )
    fig = px.bar(
        long,
        x="team_name",
        y="leads",
        color="status",
        color_discrete_map=STATUS_COLORS,
        hover_data={"sla_compliance": ":.0%"},
        labels={"team_name": "Team", "leads": "Handoffs", "sla_compliance": label("sla_compliance")},
        title=f"SLA adherence by team (target {target:.0%} compliance)",
    )
    return _layout(fig)


@escaped
def compliance_trend(frame: pd.DataFrame, by: str, target: float) -> go.Figure:
    fig = px.line(
        frame,
        x="week",
        y="sla_compliance",
        color="group",
        markers=True,
        hover_data={"met": True, "breached": True, "pending": True},
        labels={"sla_compliance": label("sla_compliance"), "week": "MQL week", "group": by},
        title=f"{label('sla_compliance')} by week and {by}",
    )
    fig.update_yaxes(tickformat=PCT, range=[0, 1.05])
    _target(fig, target, f"target {target:.0%}")
    return _layout(fig)


@escaped
def speed_distribution(frame: pd.DataFrame) -> go.Figure:
    colors = {b: ("#9e9e9e" if b == NEVER_BUCKET else "#1565c0") for b in SPEED_BUCKET_NAMES}
    fig = px.bar(
        frame,
        x="speed_bucket",
        y="handoffs",
        color="speed_bucket",
        color_discrete_map=colors,
        category_orders={"speed_bucket": list(SPEED_BUCKET_NAMES)},
        hover_data={"share": ":.1%"},
        labels={"speed_bucket": "Response time (wall clock)", "handoffs": "Handoffs"},
        title="Speed-to-lead distribution",
    )
    fig.update_layout(showlegend=False)
    return _layout(fig)


@escaped
def delays(frame: pd.DataFrame, by: str) -> go.Figure:
    long = frame.melt(
        id_vars=[by],
        value_vars=["median_routing_business_minutes", "median_rep_business_minutes"],
        var_name="part",
        value_name="minutes",
    )
    routing, rep = "median_routing_business_minutes", "median_rep_business_minutes"
    long["part"] = long["part"].map({routing: f"{label(routing)} (operations)", rep: f"{label(rep)} (sales)"})
    fig = px.bar(
        long,
        x=by,
        y="minutes",
        color="part",
        barmode="group",
        color_discrete_sequence=["#6d4c41", "#1565c0"],
        labels={"minutes": "Median business minutes", by: by.title()},
        title="Routing delay vs rep delay",
    )
    return _layout(fig)


LOG_FLOOR = 0.1


@escaped
def rep_boxes(frame: pd.DataFrame) -> go.Figure:
    """Response-time spread per rep from precomputed quantiles (whiskers at p10 and p90)."""
    names = [
        f"{n} ({i})" if isinstance(n, str) else str(i)
        for i, n in zip(frame["owner_id"], frame["owner_name"], strict=True)
    ]
    shown = frame[["p10", "q1", "median", "q3", "p90"]].clip(lower=LOG_FLOOR)  # a log axis has no 0
    fig = go.Figure(
        go.Box(
            x=names,
            q1=shown["q1"],
            median=shown["median"],
            q3=shown["q3"],
            lowerfence=shown["p10"],
            upperfence=shown["p90"],
            marker_color="#1565c0",
            name="response",
            hovertext=[f"{c} contacted handoffs" for c in frame["contacted"]],
        )
    )
    fig.update_layout(
        title="Response time per rep (business minutes; box: quartiles, whiskers: p10-p90)", showlegend=False
    )
    fig.update_yaxes(type="log", title=f"Business minutes (log scale; under {LOG_FLOOR} shown at {LOG_FLOOR})")
    return _layout(fig, 420)


@escaped
def disposition_trend(frame: pd.DataFrame) -> go.Figure:
    fig = px.bar(
        frame,
        x="week",
        y="handoffs",
        color="disposition",
        color_discrete_map=DISPOSITION_COLORS,
        labels={"week": "MQL week", "handoffs": "Dispositioned handoffs"},
        title="Dispositions by week",
    )
    return _layout(fig)


@escaped
def rejections(frame: pd.DataFrame, by: str) -> go.Figure:
    fig = px.bar(
        frame,
        x="handoffs",
        y="group",
        color="reason",
        orientation="h",
        color_discrete_map=DISPOSITION_COLORS,
        hover_data={"share_of_rejections": ":.0%"},
        labels={"group": by.title(), "handoffs": "Rejected handoffs"},
        title=f"Rejection reasons by {by}",
    )
    fig.update_yaxes(categoryorder="total ascending")
    return _layout(fig, max(360, 22 * frame["group"].nunique() + 120))


def _is_true(series: pd.Series) -> pd.Series:
    return series.astype("boolean").fillna(False).astype(bool)


@escaped
def meeting_rate(frame: pd.DataFrame, by: str, bands: Bands) -> go.Figure:
    """The handoff-to-meeting rate per group: a mature group's rate coloured by its band; a
    group that is not mature drawn apart (grey, hatched: booked so far, a floor) with its
    projection as a marker. Band thresholds drawn."""
    x = "label" if "label" in frame else by
    mature = _is_true(frame["mature"])
    old, young = frame[mature], frame[~mature]
    fig = go.Figure()
    for band in ("excellent", "acceptable", "below average", "critical"):
        rows = old[old["meeting_band"] == band]
        if len(rows):
            fig.add_bar(
                x=rows[x],
                y=rows["handoff_to_meeting_rate"],
                name=band,
                marker_color=BAND_COLORS[band],
                customdata=rows[["meetings_in_window", "handoffs"]],
                hovertemplate="%{x}: %{y:.1%} (%{customdata[0]} of %{customdata[1]})<extra>" + band + "</extra>",
            )
    if len(young):
        when = young["matures_at"].map(lambda t: "" if pd.isna(t) else f"{pd.Timestamp(t):%Y-%m-%d}")
        fig.add_bar(
            x=young[x],
            y=young["booked_so_far"],
            name="not mature: booked so far",
            marker=dict(color=YOUNG_COLOR, pattern=YOUNG_PATTERN),
            customdata=pd.DataFrame({"m": young["meetings_in_window"], "h": young["handoffs"], "w": when}),
            hovertemplate="%{x}: booked so far %{y:.1%} (%{customdata[0]} of %{customdata[1]}); "
            "matures %{customdata[2]}<extra>not mature</extra>",
        )
        proj = young[young["projected"].notna()]
        if len(proj):
            fig.add_scatter(
                x=proj[x],
                y=proj["projected"],
                mode="markers",
                name="projection (not a result)",
                marker=PROJECTION_MARKER,
                hovertemplate="%{x}: projected %{y:.1%}<extra>projection</extra>",
            )
    for name, y in (
        ("excellent", bands.excellent),
        ("acceptable", bands.acceptable),
        ("below average", bands.below_average),
    ):
        fig.add_hline(
            y=y,
            line_dash="dot",
            line_color=BAND_COLORS[name],
            annotation_text=f"{name} {y:.0%}",
            annotation_position="top left",
        )
    if _holds_text(frame[x]):  # categories in the frame's order, not in the order of the traces
        fig.update_xaxes(categoryorder="array", categoryarray=list(frame[x]))
    fig.update_layout(
        barmode="overlay", title=f"{label('handoff_to_meeting_rate')} by {by}", legend=dict(orientation="h", y=-0.2)
    )
    fig.update_yaxes(tickformat=PCT, title=label("handoff_to_meeting_rate"), rangemode="tozero")
    fig.update_xaxes(title=by.title())
    return _layout(fig)


@escaped
def weekly_bars(
    frame: pd.DataFrame, column: str, final: str | None, title: str, axis: str, money: bool = False
) -> go.Figure:
    """One value per MQL week; weeks whose value is still so far (`final` false) drawn apart."""
    done = _is_true(frame[final]) if final else pd.Series(True, index=frame.index)
    fig = go.Figure()
    tick = ",.0f"
    fig.add_bar(
        x=frame.loc[done, "week"],
        y=frame.loc[done, column],
        name="final",
        marker_color="#1565c0",
        hovertemplate="%{x|%Y-%m-%d}: %{y:" + tick + "}<extra></extra>",
    )
    if (~done).any():
        fig.add_bar(
            x=frame.loc[~done, "week"],
            y=frame.loc[~done, column],
            name="so far",
            marker=dict(color=YOUNG_COLOR, pattern=YOUNG_PATTERN),
            hovertemplate="%{x|%Y-%m-%d}: %{y:" + tick + "} so far<extra></extra>",
        )
    fig.update_layout(title=title, barmode="overlay", legend=dict(orientation="h", y=-0.2))
    fig.update_yaxes(title=axis, tickformat=tick)
    fig.update_xaxes(title="MQL week")
    return _layout(fig, 320)


@escaped
def weekly_share(frame: pd.DataFrame, column: str, final: str | None, title: str, target: float | None) -> go.Figure:
    """A share per MQL week as a line; weeks still so far as hollow markers."""
    done = _is_true(frame[final]) if final else pd.Series(True, index=frame.index)
    fig = go.Figure()
    fig.add_scatter(
        x=frame["week"], y=frame[column], mode="lines", line=dict(color="#1565c0"), showlegend=False, hoverinfo="skip"
    )
    fig.add_scatter(
        x=frame.loc[done, "week"],
        y=frame.loc[done, column],
        mode="markers",
        name="final",
        marker=dict(color="#1565c0", size=8),
        hovertemplate="%{x|%Y-%m-%d}: %{y:.1%}<extra></extra>",
    )
    if (~done).any():
        fig.add_scatter(
            x=frame.loc[~done, "week"],
            y=frame.loc[~done, column],
            mode="markers",
            name="so far",
            marker=dict(symbol="circle-open", color="#757575", size=9, line=dict(width=2)),
            hovertemplate="%{x|%Y-%m-%d}: %{y:.1%} so far<extra></extra>",
        )
    if target is not None:
        _target(fig, target, f"target {target:.0%}")
    fig.update_layout(title=title, legend=dict(orientation="h", y=-0.2))
    fig.update_yaxes(tickformat=PCT, range=[0, 1.05])
    fig.update_xaxes(title="MQL week")
    return _layout(fig, 320)


@escaped
def conversion_by_speed(frame: pd.DataFrame) -> go.Figure:
    """Meeting and SQL rate per speed bucket with 95% intervals: why speed matters."""
    fig = go.Figure()
    for rate, name, color, n in (
        ("meeting_rate", "Meeting in 10 business days", "#1565c0", "meeting_decided"),
        ("sql_rate", "Became SQL", "#2e7d32", "handoffs"),
    ):
        fig.add_bar(
            x=frame["speed_bucket"],
            y=frame[rate],
            name=name,
            marker_color=color,
            error_y=dict(
                type="data",
                symmetric=False,
                array=frame[f"{rate}_high"] - frame[rate],
                arrayminus=frame[rate] - frame[f"{rate}_low"],
            ),
            customdata=frame[[n, f"{rate}_low", f"{rate}_high"]],
            hovertemplate="%{x}: %{y:.1%} (95% CI %{customdata[1]:.1%}-%{customdata[2]:.1%}, "
            "n=%{customdata[0]})<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="group", title="Conversion by speed to lead (95% Wilson intervals)")
    fig.update_xaxes(title="Response time (wall clock)", categoryorder="array", categoryarray=list(SPEED_BUCKET_NAMES))
    fig.update_yaxes(tickformat=PCT, title="Conversion")
    return _layout(fig, 420)


LEAK_LABELS = {
    "conversion_decline": "Conversion decline",
    "competitive_displacement": "Competitive displacement",
    "deal_value_compression": "Deal value compression",
    "marketing_waste": "Marketing waste",
}


@escaped
def leak_waterfall(values: dict[str, float], period: str) -> go.Figure:
    """The four dimensions stacking up to the total: revenue gap plus marketing waste."""
    keys = list(LEAK_LABELS)
    total = values["revenue_gap"] + values["marketing_waste"]
    fig = go.Figure(
        go.Waterfall(
            x=[LEAK_LABELS[k] for k in keys] + ["Total (revenue gap + waste)"],
            y=[values[k] for k in keys] + [0],
            measure=["relative"] * len(keys) + ["total"],
            text=[f"{values[k]:,.0f}" for k in keys] + [f"{total:,.0f}"],
            textposition="outside",
            increasing=dict(marker_color=STATUS_COLORS["breached"]),
            totals=dict(marker_color="#424242"),
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    )
    fig.update_layout(title=f"Revenue leak, {period}", showlegend=False)
    fig.update_yaxes(title="Money (input currency)", tickformat=",.0f")
    return _layout(fig, 420)


@escaped
def recovery_bars(recovery: dict[str, float], period: str) -> go.Figure:
    keys = list(LEAK_LABELS)
    frame = pd.DataFrame({"dimension": [LEAK_LABELS[k] for k in keys], "recovery": [recovery[k] for k in keys]})
    fig = px.bar(
        frame,
        x="dimension",
        y="recovery",
        text_auto=",.0f",
        color_discrete_sequence=[STATUS_COLORS["met"]],
        labels={"recovery": f"Recovered, {period}", "dimension": ""},
        title=f"What the target scenario recovers, {period}",
    )
    return _layout(fig)


@escaped
def tornado(table: pd.DataFrame) -> go.Figure:
    """Sensitivity: change of the annual total leak when one input moves -10% / +10%."""
    low = table["gap_change_low"] + table["waste_change_low"]
    high = table["gap_change_high"] + table["waste_change_high"]
    fig = go.Figure()
    fig.add_bar(y=table["label"], x=low, orientation="h", name="input -10%", marker_color="#1565c0")
    fig.add_bar(y=table["label"], x=high, orientation="h", name="input +10%", marker_color="#c62828")
    fig.update_layout(barmode="overlay", title="Sensitivity of the annual leak (gap + waste)")
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title="Change of the annual leak", tickformat=",.0f")
    return _layout(fig, 420)
