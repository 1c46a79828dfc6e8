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
import math
from collections.abc import Callable

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from handoff import leak as leak_model
from handoff.model.definitions import label
from handoff.policy import Bands
from handoff.schema import NEVER_BUCKET, SPEED_BUCKET_NAMES
from handoff.ui import format as fmt

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
TIER_ORDER = ("high", "medium", "low")
TIER_COLORS = {"high": "#0d47a1", "medium": "#7b1fa2", "low": "#00838f"}
"""Tiers in their own hues: never a status colour (green, red, amber), so a tier never reads
as met or breached."""
GROUP_COLORS = ("#0d47a1", "#7b1fa2", "#00838f", "#5d4037", "#546e7a", "#3949ab", "#8d6e63", "#1e88e5", "#ab47bc")
"""Other groups (sources, teams) in hues that are not status colours either."""
ROUTING_COLOR = "#6d4c41"  # the system's part of the response (operations)
REP_COLOR = "#1565c0"  # the rep's part (sales)
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
    """SLA compliance per team as a percentage with the target line: a team at or above the
    target in the met colour, below it in the breached colour, the value written on the bar
    (not colour alone); counts in the hover."""
    on_target = frame["sla_compliance"] >= target
    fig = go.Figure(
        go.Bar(
            x=frame["team_name"],
            y=frame["sla_compliance"],
            marker_color=[STATUS_COLORS["met"] if ok else STATUS_COLORS["breached"] for ok in on_target],
            text=[f"{v:.1%}" if pd.notna(v) else "" for v in frame["sla_compliance"]],
            textposition="outside",
            customdata=frame[["met", "breached", "pending"]],
            hovertemplate="%{x}: %{y:.1%} met (%{customdata[0]:,} met, %{customdata[1]:,} breached; "
            "%{customdata[2]:,} pending, not counted)<extra></extra>",
        )
    )
    _target(fig, target, f"target {target:.0%}")
    fig.update_layout(title=f"SLA met by team (target {target:.0%})", showlegend=False)
    fig.update_yaxes(title="SLA met (% of decided MQLs)", tickformat=PCT, range=[0, 1.1])
    fig.update_xaxes(title="Team")
    return _layout(fig)


def _group_colors(by: str, groups) -> tuple[dict, dict]:
    """Colours and category order of a breakdown: tiers in tier order and their own hues,
    other groups in hues that are not status colours."""
    if by == "tier":
        present = [t for t in TIER_ORDER if t in set(groups)] + sorted(set(groups) - set(TIER_ORDER))
        return {t: TIER_COLORS.get(t, GROUP_COLORS[-1]) for t in present}, {"group": present}
    names = sorted(set(groups), key=str)
    return {g: GROUP_COLORS[i % len(GROUP_COLORS)] for i, g in enumerate(names)}, {"group": names}


@escaped
def compliance_trend(frame: pd.DataFrame, by: str, target: float) -> go.Figure:
    colors, order = _group_colors(by, frame["group"])
    fig = px.line(
        frame,
        x="week",
        y="sla_compliance",
        color="group",
        markers=True,
        color_discrete_map=colors,
        category_orders=order,
        hover_data={"met": ":,", "breached": ":,", "pending": ":,", "sla_compliance": ":.1%"},
        labels={"sla_compliance": "SLA met", "week": "MQL week", "group": by.title()},
        title=f"SLA met by MQL week and {by} (business time against each tier's target)",
    )
    fig.update_yaxes(tickformat=PCT, range=[0, 1.05], title="SLA met (% of decided MQLs)")
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
        hover_data={"share": ":.1%", "handoffs": ":,"},
        labels={"speed_bucket": "Time to first touch (wall-clock, nights and weekends included)", "handoffs": "MQLs"},
        title="Speed to lead (wall-clock time)",
    )
    fig.update_layout(showlegend=False)
    fig.update_yaxes(tickformat=",")
    return _layout(fig)


@escaped
def routing_delay(frame: pd.DataFrame, by: str) -> go.Figure:
    """Per group, the system's part of the response (p90 business minutes to an owner, the
    share assigned late in the hover) beside the rep's part (p90 business minutes from the
    owner to the first touch): two panels, each on its own axis, so both are readable."""
    from plotly.subplots import make_subplots

    fig = make_subplots(
        rows=1,
        cols=2,
        shared_yaxes=True,
        horizontal_spacing=0.06,
        subplot_titles=("Routing delay, p90 (operations)", "Rep delay, p90 (sales)"),
    )
    fig.add_bar(
        y=frame[by],
        x=frame["p90_routing_business_minutes"],
        orientation="h",
        marker_color=ROUTING_COLOR,
        name="routing",
        customdata=frame[["assigned_late_share", "routing_known"]],
        hovertemplate="%{y}: p90 %{x:,.1f} business min to an owner; %{customdata[0]:.1%} of "
        "%{customdata[1]:,} assigned late<extra></extra>",
        row=1,
        col=1,
    )
    fig.add_bar(
        y=frame[by],
        x=frame["p90_rep_business_minutes"],
        orientation="h",
        marker_color=REP_COLOR,
        name="rep",
        hovertemplate="%{y}: p90 %{x:,.0f} business min from owner to first touch<extra></extra>",
        row=1,
        col=2,
    )
    fig.update_xaxes(title="business minutes", tickformat=",", rangemode="tozero")
    fig.update_yaxes(title=by.title(), row=1, col=1)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(title="Routing delay vs rep delay (business time)", showlegend=False)
    return _layout(fig, max(300, 40 * len(frame) + 140))


LOG_FLOOR = 0.1


def _duration_ticks(day_minutes: float, top: float) -> tuple[list[float], list[str]]:
    """Major ticks of a log axis of business minutes up to `top`: 1 min, 5 min, 15 min, 1 h,
    4 h, 1 day, 2 days, 5 days, 10 days, ... (a business day of `day_minutes`)."""
    ticks = [(1.0, "1 min"), (5.0, "5 min"), (15.0, "15 min"), (60.0, "1 h"), (240.0, "4 h")]
    if day_minutes > 240:
        ticks.append((day_minutes, "1 day"))
    for days in (2, 5, 10, 20, 50, 100):
        ticks.append((days * day_minutes, f"{days} days"))
    kept = [(v, t) for v, t in ticks if v <= max(top, 1.0) * 1.5] or ticks[:1]
    return [v for v, _ in kept], [t for _, t in kept]


@escaped
def rep_spread(frame: pd.DataFrame, day_minutes: float = 480.0) -> go.Figure:
    """Response-time spread per rep from precomputed quantiles (box: the middle half, line:
    the median, whiskers: p10 to p90), one horizontal row per rep, slowest median on top; a
    log axis of business time with major ticks only (5 min, 1 h, 1 day ...)."""
    ordered = frame.sort_values("median", ascending=True, kind="stable")
    names = [
        n if isinstance(n, str) and n else str(i)
        for i, n in zip(ordered["owner_id"], ordered["owner_name"], strict=True)
    ]
    shown = ordered[["p10", "q1", "median", "q3", "p90"]].clip(lower=LOG_FLOOR)  # a log axis has no 0
    fig = go.Figure(
        go.Box(
            y=names,
            q1=shown["q1"],
            median=shown["median"],
            q3=shown["q3"],
            lowerfence=shown["p10"],
            upperfence=shown["p90"],
            orientation="h",
            marker_color="#1565c0",
            name="response",
            hovertext=[f"{c:,} contacted MQLs" for c in ordered["contacted"]],
        )
    )
    values, texts = _duration_ticks(day_minutes, float(shown["p90"].max()) if len(shown) else 1.0)
    fig.update_layout(
        title="Time to first touch per rep (box: middle half, line: median, whiskers: 10th to 90th percentile)",
        showlegend=False,
    )
    fig.update_xaxes(
        type="log",
        title="business minutes (log scale; business day = " + f"{day_minutes / 60:g} h)",
        tickvals=values,
        ticktext=texts,
        minor=dict(showgrid=False, ticks=""),
    )
    fig.update_yaxes(title="", type="category", automargin=True)
    return _layout(fig, max(360, 26 * len(frame) + 120))


@escaped
def disposition_trend(frame: pd.DataFrame, codes: list[str] | tuple[str, ...] = ()) -> go.Figure:
    """Dispositioned MQLs per week stacked by code: the policy's codes from the top of the
    stack down, and the legend in the same order."""
    present = [c for c in codes if c in set(frame["disposition"])]
    order = present + sorted(set(frame["disposition"]) - set(present), key=str)
    fig = px.bar(
        frame,
        x="week",
        y="handoffs",
        color="disposition",
        color_discrete_map=DISPOSITION_COLORS,
        category_orders={"disposition": order[::-1]},  # the first code drawn last: on top
        labels={"week": "MQL week", "handoffs": "Answered MQLs", "disposition": "Disposition"},
        title="Dispositions by MQL week",
    )
    fig.update_layout(legend=dict(traceorder="reversed"))  # the legend reads like the stack, top down
    fig.update_yaxes(tickformat=",")
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
    frame: pd.DataFrame,
    column: str,
    final: str | None,
    title: str,
    axis: str,
    money: bool = False,
    currency: str = "USD",
) -> go.Figure:
    """One value per MQL week; weeks whose value is still so far (`final` false) drawn apart.
    With `money`, ticks and hovers in the currency ($410.3K, $410,300)."""
    done = _is_true(frame[final]) if final else pd.Series(True, index=frame.index)
    fig = go.Figure()
    tick = ",.0f"

    def shown(rows: pd.Series) -> list[str]:
        return [fmt.money(v, currency) if money else fmt.count(v) for v in frame.loc[rows, column]]

    fig.add_bar(
        x=frame.loc[done, "week"],
        y=frame.loc[done, column],
        name="final",
        marker_color="#1565c0",
        customdata=shown(done),
        hovertemplate="%{x|%Y-%m-%d}: %{customdata}<extra></extra>",
    )
    if (~done).any():
        fig.add_bar(
            x=frame.loc[~done, "week"],
            y=frame.loc[~done, column],
            name="so far",
            marker=dict(color=YOUNG_COLOR, pattern=YOUNG_PATTERN),
            customdata=shown(~done),
            hovertemplate="%{x|%Y-%m-%d}: %{customdata} so far<extra></extra>",
        )
    fig.update_layout(title=title, barmode="overlay", legend=dict(orientation="h", y=-0.2))
    fig.update_yaxes(title=axis, tickformat=tick)
    values = [float(v) for v in frame[column] if not fmt.missing(v)]
    if money and values:
        _money_axis(fig, values, currency)
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
def conversion_by_speed(frame: pd.DataFrame, window_days: float = 10) -> go.Figure:
    """Meeting and SQL rate per speed bucket with 95% intervals: why speed matters. The
    meeting window is the policy's `meeting_window_days`."""
    fig = go.Figure()
    for rate, name, color, n in (
        ("meeting_rate", f"Meeting in {window_days:g} business days", "#1565c0", "meeting_decided"),
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


LEAK_KEYS = ("conversion_decline", "competitive_displacement", "deal_value_compression", "marketing_waste")
"""The bars of the leak charts: the three dimensions and marketing waste (beside the gap)."""
LEAK_LABELS = {k: leak_model.RESULT_LABELS[k] for k in LEAK_KEYS}
PER = {"monthly": "a month", "annual": "a year"}
LOSS_COLOR = STATUS_COLORS["breached"]
GAIN_COLOR = "#1565c0"  # a negative dimension: the inputs say slower leads did better there


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2 or 5 x a power of ten) giving about `ticks` ticks over span."""
    if not span > 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 5, 10) if m * power >= raw)


def _money_axis(fig: go.Figure, values: list[float], currency: str, axis: str = "y") -> None:
    """Tick labels in the currency, compact ($0, $2.0M, $4.0M): plotly's own SI suffixes
    would read G for billions and carry no currency."""
    low, high = min(0.0, *values), max(0.0, *values)
    step = _nice_step(high - low)
    ticks = [step * i for i in range(math.floor(low / step), math.ceil(high / step) + 1)]
    update = fig.update_yaxes if axis == "y" else fig.update_xaxes
    update(tickvals=ticks, ticktext=[fmt.money(t, currency, compact=True) for t in ticks])


@escaped
def leak_waterfall(values: dict[str, float], period: str, currency: str = "USD") -> go.Figure:
    """The three dimensions stacking up to the revenue gap, then marketing waste (spend on
    never-contacted leads, beside the gap) up to the total, money in the currency."""
    dims = list(leak_model.DIMENSIONS)
    gap, waste = values["revenue_gap"], values["marketing_waste"]
    total = gap + waste
    names = [LEAK_LABELS[k] for k in dims] + ["Revenue gap", "Marketing waste", "Total with waste"]
    x = ["<br>".join(name.rsplit(" ", 1)) for name in names]  # two short lines, not slanted text
    y = [values[k] for k in dims] + [0.0, waste, 0.0]
    shown = [values[k] for k in dims] + [gap, waste, total]
    fig = go.Figure(
        go.Waterfall(
            x=x,
            y=y,
            measure=["relative"] * len(dims) + ["total", "relative", "total"],
            text=[fmt.money(v, currency, compact=True) for v in shown],
            textposition="outside",
            cliponaxis=False,
            customdata=[fmt.money(v, currency) for v in shown],
            increasing=dict(marker_color=LOSS_COLOR),
            decreasing=dict(marker_color=GAIN_COLOR),
            totals=dict(marker_color="#424242"),
            connector=dict(line=dict(color="#9e9e9e")),
            hovertext=names,
            hovertemplate="%{hovertext}: %{customdata}<extra></extra>",
        )
    )
    running = [sum(values[k] for k in dims[: i + 1]) for i in range(len(dims))]
    _money_axis(fig, [*running, gap, total], currency)
    fig.update_layout(title=f"Revenue leak {PER.get(period, period)}", showlegend=False)
    fig.update_yaxes(title=f"{currency} {PER.get(period, period)}")
    fig.update_xaxes(title="", tickangle=0)
    return _layout(fig, 340)


@escaped
def recovery_bars(recovery: dict[str, float], period: str, currency: str = "USD") -> go.Figure:
    """What the target scenario recovers per dimension (and of marketing waste)."""
    keys = list(LEAK_KEYS)
    amounts = [recovery[k] for k in keys]
    fig = go.Figure(
        go.Bar(
            x=[LEAK_LABELS[k] for k in keys],
            y=amounts,
            text=[fmt.money(v, currency, compact=True) for v in amounts],
            textposition="outside",
            cliponaxis=False,
            customdata=[fmt.money(v, currency) for v in amounts],
            marker_color=[STATUS_COLORS["met"] if v >= 0 else LOSS_COLOR for v in amounts],
            hovertemplate="%{x}: %{customdata}<extra></extra>",
        )
    )
    _money_axis(fig, amounts, currency)
    fig.update_layout(title=f"What the target scenario recovers {PER.get(period, period)}", showlegend=False)
    fig.update_yaxes(title=f"{currency} {PER.get(period, period)}")
    return _layout(fig)


@escaped
def tornado(table: pd.DataFrame, currency: str = "USD") -> go.Figure:
    """Sensitivity: change of the annual total leak when one input moves -10% / +10%."""
    low = table["gap_change_low"] + table["waste_change_low"]
    high = table["gap_change_high"] + table["waste_change_high"]
    fig = go.Figure()
    for name, values, color in (("input -10%", low, "#1565c0"), ("input +10%", high, LOSS_COLOR)):
        fig.add_bar(
            y=table["label"],
            x=values,
            orientation="h",
            name=name,
            marker_color=color,
            customdata=[fmt.money(v, currency) for v in values],
            hovertemplate="%{y}: %{customdata}<extra>" + name + "</extra>",
        )
    fig.update_layout(barmode="overlay", title="Sensitivity of the annual leak (revenue gap + marketing waste)")
    fig.update_yaxes(autorange="reversed")
    _money_axis(fig, [*low, *high], currency, axis="x")
    fig.update_xaxes(title=f"Change of the annual leak ({currency})")
    return _layout(fig, 420)
