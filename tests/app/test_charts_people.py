"""The charts read by people: tiers never in status colours and in tier order, SLA by team as
a percentage against its target line, every time axis naming its clock, the spread per rep
on major ticks only, the disposition stack in the legend's order."""

from __future__ import annotations

import pandas as pd
import pytest

from handoff.policy import Policy
from handoff.ui import charts

WEEKS = list(pd.to_datetime(["2026-03-02", "2026-03-09"]).date)


def trend(groups: list[str]) -> pd.DataFrame:
    rows = [
        {"week": w, "group": g, "sla_compliance": 0.5, "met": 1, "breached": 1, "pending": 0}
        for w in WEEKS
        for g in groups
    ]
    return pd.DataFrame(rows)


def test_tier_colours_are_not_status_colours_and_come_in_tier_order():
    fig = charts.compliance_trend(trend(["medium", "low", "high"]), "tier", 0.9)  # alphabetical in the data
    names = [t.name for t in fig.data]
    assert names == ["high", "medium", "low"]
    colours = [t.line.color for t in fig.data]
    assert len(set(colours)) == 3
    assert not set(colours) & set(charts.STATUS_COLORS.values())


def test_other_groups_avoid_status_colours_too():
    fig = charts.compliance_trend(trend(["Webinar", "Event", "Demo request"]), "source", 0.9)
    assert not {t.line.color for t in fig.data} & set(charts.STATUS_COLORS.values())


def test_team_adherence_is_a_percentage_with_the_target_line():
    frame = pd.DataFrame(
        {"team_name": ["East", "West"], "handoffs": [10, 20], "met": [9, 5], "breached": [1, 15], "pending": [0, 0],
         "sla_compliance": [0.9, 0.25]}
    )
    fig = charts.sla_by_team(frame, 0.9)
    assert list(fig.data[0].y) == [0.9, 0.25]  # shares, not stacked counts
    assert fig.layout.yaxis.tickformat.endswith("%")
    assert "%" in fig.layout.yaxis.title.text
    lines = [s for s in fig.layout.shapes if s.y0 == s.y1]
    assert [s.y0 for s in lines] == [0.9]
    # the value is written on each bar, not told by colour alone; on and below target differ
    assert list(fig.data[0].text) == ["90.0%", "25.0%"]
    assert fig.data[0].marker.color[0] != fig.data[0].marker.color[1]


def test_time_axes_name_their_clock():
    speed = charts.speed_distribution(pd.DataFrame({"speed_bucket": ["0-5m", "never"], "handoffs": [3, 4],
                                                    "share": [0.4, 0.6]}))
    assert "wall-clock" in speed.layout.xaxis.title.text
    routing = charts.routing_delay(
        pd.DataFrame({"team": ["East"], "p90_routing_business_minutes": [3.0], "assigned_late_share": [0.1],
                      "routing_known": [5], "p90_rep_business_minutes": [50.0]}),
        "team",
    )
    assert "business" in routing.layout.xaxis.title.text and "business" in routing.layout.xaxis2.title.text
    trend_fig = charts.compliance_trend(trend(["high"]), "tier", 0.9)
    assert "business time" in trend_fig.layout.title.text


def spread(p90: float) -> pd.DataFrame:
    return pd.DataFrame({"owner_id": ["r1", "r2"], "owner_name": ["Ann", None], "p10": [1.0, 2.0],
                         "q1": [3.0, 4.0], "median": [10.0, 30.0], "q3": [60.0, 100.0], "p90": [300.0, p90],
                         "contacted": [10, 1200]})


def test_the_spread_per_rep_is_horizontal_on_major_ticks_in_business_time():
    fig = charts.rep_spread(spread(2000.0), day_minutes=480.0)
    box = fig.data[0]
    assert box.orientation == "h"
    assert list(box.y) == ["Ann", "r2"]  # a rep without a name by their id
    axis = fig.layout.xaxis
    assert axis.type == "log"
    assert axis.title.text.startswith("business minutes (log scale")
    assert list(axis.ticktext) == ["1 min", "5 min", "15 min", "1 h", "4 h", "1 day", "2 days", "5 days"]
    assert list(axis.tickvals)[5] == 480.0
    assert axis.minor.ticks == ""  # no minor labels (2 5 2 5)


def test_a_business_day_of_another_length_moves_the_day_tick():
    fig = charts.rep_spread(spread(2000.0), day_minutes=600.0)
    ticks = dict(zip(fig.layout.xaxis.ticktext, fig.layout.xaxis.tickvals, strict=True))
    assert ticks["1 day"] == 600.0 and ticks["2 days"] == 1200.0


def test_the_slowest_rep_is_on_top():
    fig = charts.rep_spread(spread(2000.0))
    # plotly draws the first category at the bottom of a horizontal axis: the slowest comes last
    assert list(fig.data[0].y)[-1] == "r2"


@pytest.mark.parametrize("codes", [tuple(Policy().disposition_codes)])
def test_the_disposition_stack_reads_like_its_legend(codes):
    frame = pd.DataFrame(
        [{"week": w, "disposition": c, "handoffs": 1 + i} for w in WEEKS for i, c in enumerate(sorted(codes))]
    )
    fig = charts.disposition_trend(frame, list(codes))
    drawn = [t.name for t in fig.data]
    assert drawn == list(codes)[::-1]  # the first code drawn last: the top of the stack
    assert fig.layout.legend.traceorder == "reversed"  # so the legend, top down, is the policy's order
    assert fig.layout.barmode in (None, "relative", "stack")
