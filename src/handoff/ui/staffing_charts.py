"""The Coverage and staffing heatmaps: hours of the week (rows Monday..Sunday, columns the
hours of the day) in the company timezone. They draw the frames of
`handoff.model.staffing.heat` and compute nothing shown as a number; their text is
HTML-escaped before drawing (`charts.escaped`)."""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go

from handoff.ui.charts import escaped

DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
HOURS_OF_DAY = [f"{h:02d}" for h in range(24)]
STATUS_CODES = {"over": 0, "covered": 1, "short": 2}
STATUS_COLORS = {"over": "#90a4ae", "covered": "#7cb342", "short": "#c62828"}


def _grid(frame: pd.DataFrame, column: str) -> list[list]:
    """A 7 x 24 grid of one column, Monday first (the frame has all 168 hours)."""
    by_hour = frame.set_index("hour")[column]
    return [[by_hour.get(day * 24 + h) for h in range(24)] for day in range(7)]


def _layout(fig: go.Figure, title: str) -> go.Figure:
    fig.update_layout(title=title, height=330, margin=dict(l=10, r=10, t=50, b=10))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title="Hour of the day", dtick=1)
    return fig


@escaped
def arrivals(frame: pd.DataFrame, timezone: str, who: str) -> go.Figure:
    """MQLs a week per hour of the week (colour), with the SDRs on duty written in each cell."""
    who, timezone = html.escape(who), html.escape(timezone)
    hover = [
        f"{label}<br>{a:.1f} {who} a week<br>{n} SDR{'s' if n != 1 else ''} on duty"
        for label, a, n in zip(frame["label"], frame["arrivals_per_week"], frame["on_duty"], strict=True)
    ]
    shown = frame.assign(hover=hover, duty=[str(n) if n else "" for n in frame["on_duty"]])
    fig = _week_heatmap(
        shown, "arrivals_per_week", "duty", colorscale="Blues", colorbar=dict(title=dict(text="MQLs a week"))
    )
    return _layout(fig, f"{who[:1].upper() + who[1:]} a week by hour ({timezone}); in each cell, the SDRs on duty")


@escaped
def gap(frame: pd.DataFrame, timezone: str, title: str) -> go.Figure:
    """Short / covered / over per hour of the week, with the gap written in each cell."""
    hover = [
        f"{label}<br>needs {need} on duty, {n} on duty: {status}"
        for label, need, n, status in zip(
            frame["label"], frame["needed_on_duty"], frame["on_duty"], frame["status"], strict=True
        )
    ]
    shown = frame.assign(
        hover=hover,
        code=[STATUS_CODES[s] for s in frame["status"]],
        shown=[f"{g:+d}" if g else "" for g in frame["gap"]],
    )
    scale = []
    for status, code in STATUS_CODES.items():
        scale += [[code / 3, STATUS_COLORS[status]], [(code + 1) / 3, STATUS_COLORS[status]]]
    fig = _week_heatmap(
        shown,
        "code",
        "shown",
        colorscale=scale,
        zmin=-0.5,
        zmax=2.5,
        colorbar=dict(tickvals=list(STATUS_CODES.values()), ticktext=["over", "covered", "short"], title=None),
    )
    return _layout(fig, f"{html.escape(title)} ({html.escape(timezone)}); in each cell, SDRs short (+) or spare (-)")


def _week_heatmap(shown: pd.DataFrame, z: str, text: str, **style) -> go.Figure:
    """Hours of the day across, days of the week down: `z` coloured, `text` in each cell and
    the frame's `hover` on hovering."""
    return go.Figure(
        go.Heatmap(
            z=_grid(shown, z),
            x=HOURS_OF_DAY,
            y=DAYS,
            text=_grid(shown, text),
            texttemplate="%{text}",
            customdata=_grid(shown, "hover"),
            hovertemplate="%{customdata}<extra></extra>",
            xgap=1,
            ygap=1,
            **style,
        )
    )
