"""Text from data reaches a Plotly figure escaped: a team named like a link shows as text.

Plotly renders a subset of HTML (`<a href>`, `<b>`, `<br>`, `<span style>`) in titles,
ticks, legends and hovers; every chart builder escapes the text of its frames first.
"""

from __future__ import annotations

import inspect
import json

import pandas as pd
import pytest

from handoff.policy import Policy
from handoff.ui import charts

LINK = '<a href="https://x">CLICKME</a>'
BOLD = "<b>bold</b>"
IMAGE = "<img src=x onerror=alert(1)>"
ESCAPED_LINK = "&lt;a href=&quot;https://x&quot;&gt;CLICKME&lt;/a&gt;"
TAGS = ("<a", "<b>", "<img")
WEEKS = list(pd.to_datetime(["2026-03-02", "2026-03-09"]).date)


def builders() -> dict:
    """Each public chart builder with arguments whose every text cell is hostile."""
    bands = Policy().bands
    return {
        "sla_by_team": (pd.DataFrame({
            "team_name": [LINK, BOLD], "sla_compliance": [0.5, 0.9], "met": [1, 9], "breached": [1, 1],
            "pending": [0, 0]}), 0.8),
        "compliance_trend": (pd.DataFrame({
            "week": WEEKS, "sla_compliance": [0.5, 0.6], "group": [LINK, IMAGE], "met": [1, 2],
            "breached": [1, 1], "pending": [0, 0]}), "team", 0.8),
        "speed_distribution": (pd.DataFrame({"speed_bucket": [LINK, BOLD], "handoffs": [3, 4], "share": [0.4, 0.6]}),),
        "routing_delay": (pd.DataFrame({
            "team": [LINK, IMAGE], "p90_routing_business_minutes": [3.0, 4.0], "assigned_late_share": [0.1, 0.2],
            "routing_known": [5, 6], "p90_rep_business_minutes": [5.0, 6.0]}), "team"),
        "rep_spread": (pd.DataFrame({
            "owner_id": [LINK, "r2"], "owner_name": [BOLD, None], "p10": [1.0, 1.0], "q1": [2.0, 2.0],
            "median": [3.0, 3.0], "q3": [4.0, 4.0], "p90": [5.0, 5.0], "contacted": [10, 12]}),),
        "disposition_trend": (pd.DataFrame({"week": WEEKS, "handoffs": [3, 4], "disposition": [LINK, BOLD]}),),
        "rejections": (pd.DataFrame({
            "group": [LINK, BOLD], "reason": [IMAGE, LINK], "handoffs": [2, 3],
            "share_of_rejections": [0.4, 0.6]}), "team"),
        "meeting_rate": (pd.DataFrame({
            "team": [LINK, IMAGE], "label": [LINK, BOLD], "handoffs": [5, 6], "meeting_decided": [4, 5],
            "meetings_in_window": [1, 2], "handoff_to_meeting_rate": [0.25, None],
            "meeting_band": ["acceptable", None], "mature": [True, False], "booked_so_far": [0.2, 0.33],
            "projected": [None, 0.4], "matures_at": [None, pd.Timestamp("2026-03-20", tz="UTC")]}), "team", bands),
        "weekly_bars": (pd.DataFrame({"week": WEEKS, "pipeline_amount": [5.0, 3.0], "pipeline_final": [True, False]}),
                        "pipeline_amount", "pipeline_final", "Pipeline created", "Pipeline"),
        "weekly_share": (pd.DataFrame({"week": WEEKS, "acceptance_rate": [0.5, 0.4],
                                       "dispositions_final": [True, False]}),
                         "acceptance_rate", "dispositions_final", "Acceptance rate", 0.7),
        "conversion_by_speed": (pd.DataFrame({
            "speed_bucket": [LINK, BOLD], "handoffs": [10, 12], "meeting_decided": [8, 9],
            "meeting_rate": [0.3, 0.2], "meeting_rate_low": [0.1, 0.1], "meeting_rate_high": [0.5, 0.4],
            "sql_rate": [0.2, 0.1], "sql_rate_low": [0.05, 0.02], "sql_rate_high": [0.4, 0.3]}),),
        "tornado": (pd.DataFrame({
            "label": [LINK, IMAGE], "gap_change_low": [-1.0, -2.0], "waste_change_low": [-1.0, 0.0],
            "gap_change_high": [1.0, 2.0], "waste_change_high": [1.0, 0.0]}),),
        "leak_waterfall": ({k: 1.0 for k in (*charts.LEAK_LABELS, "revenue_gap")}, "monthly"),
        "recovery_bars": ({k: 1.0 for k in charts.LEAK_LABELS}, "monthly"),
    }


def public_builders() -> set[str]:
    return {
        name for name, fn in inspect.getmembers(charts, inspect.isfunction)
        if fn.__module__ == charts.__name__ and not name.startswith("_") and name not in ("escape_text", "escaped")
    }


def strings(node):
    """Every string in a figure's JSON (trace x/y/text/name/hovertext/customdata, titles...)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)


def test_every_builder_is_covered_and_escapes():
    assert public_builders() == set(builders())
    for name in public_builders():
        assert hasattr(getattr(charts, name), "__wrapped__"), f"{name} is not @escaped"


@pytest.mark.parametrize("name", sorted(builders()))
def test_no_markup_from_data_reaches_a_figure(name):
    fig = getattr(charts, name)(*builders()[name])
    texts = list(strings(json.loads(fig.to_json())))
    leaks = [t for t in texts if any(tag in t.lower() for tag in TAGS)]
    assert leaks == [], leaks
    if name not in ("leak_waterfall", "recovery_bars", "weekly_bars", "weekly_share"):
        # (those have no text from data)
        assert any(ESCAPED_LINK in t or "&lt;b&gt;bold" in t for t in texts)


def test_escaping_keeps_numbers_and_dates():
    frame = pd.DataFrame({"team": [LINK], "rate": [0.5], "week": WEEKS[:1]})
    safe = charts.escape_text(frame)
    assert safe.loc[0, "team"] == ESCAPED_LINK
    assert safe.loc[0, "rate"] == 0.5 and safe.loc[0, "week"] == WEEKS[0]
    assert frame.loc[0, "team"] == LINK  # the caller's frame is left alone
