"""The main table of every page in chromium at 1440x900 and 1280x720: no header is cut off,
and the headers a person reads are the ones the page configures (never a column's name).

The widths come from the page itself: AppTest runs the same page on the same sample and
returns each table's column configs (header and, where the page sets one, a width in
pixels). In the browser each drawn header's text is measured with the grid's header font;
a column with a set width must hold it (with the padding and the sort arrow), a column
the grid sizes itself (it measures the header too) must need less than the grid's cap on
automatic widths. The rep scorecard's widths are checked the same way, and a click on a
rep opens their leads and puts them in the URL. Screenshots in test-artifacts/.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import APP
from streamlit.testing.v1 import AppTest
from test_browser import ARTIFACTS, wait_until_drawn
from test_browser_people import COLUMN_NAMES, SIZES

from handoff.policy import Policy
from handoff.ui import scorecard

pytestmark = pytest.mark.browser

# The grid draws a header in the theme's small font (14 px) with 8 px of padding each side;
# measure bolder than drawn and leave room for the sort arrow, so "fits" has a margin.
HEADER_FONT = "600 14px 'Source Sans', 'Source Sans Pro', sans-serif"
PADDING = 2 * 8 + 20
AUTO_CAP = 500  # the grid's widest automatic column (31.25rem)
AUTO_PADDING = 2 * 8 + 28  # what the grid adds to a header it measures (padding, a column icon)
GRID = "[data-testid='stDataFrame']"

MAIN_TABLES = [  # (url path, page file, a header only that table shows in view, an expander to open first)
    ("sla_compliance", "pages/2_sla_compliance.py", "Time left or overdue", None),
    ("rep_response", "pages/3_rep_response.py", "Median reply", None),
    ("rep_response", "pages/3_rep_response.py", "Still in window", None),
    ("dispositions", "pages/4_dispositions.py", "Owner (CRM id)", None),
    ("revenue_leak", "pages/6_revenue_leak.py", "Became SQL", None),
    ("coverage_staffing", "pages/8_coverage_staffing.py", "Local business hours", "The roster"),
    ("data", "pages/7_data.py", "Rows", None),
]

_configs: dict[str, list[dict[str, dict]]] = {}


def configured(page_file: str) -> list[dict[str, dict]]:
    """Each table's column configs as the page sends them (header -> config), from AppTest."""
    if page_file not in _configs:
        at = AppTest.from_file(APP, default_timeout=180)
        at.run()
        at.switch_page(page_file)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        tables = []
        for frame in at.dataframe:
            columns = json.loads(frame.proto.columns) if frame.proto.columns else {}
            tables.append({c["label"]: c for c in columns.values() if c and c.get("label")})
        _configs[page_file] = tables
    return _configs[page_file]


def text_widths(page, texts: list[str]) -> dict[str, float]:
    return page.evaluate(
        """([font, texts]) => { const c = document.createElement('canvas').getContext('2d'); c.font = font;
        return Object.fromEntries(texts.map(t => [t, c.measureText(t).width])); }""",
        [HEADER_FONT, texts],
    )


def drawn_headers(grid) -> list[str]:
    return [t.strip() for t in grid.locator("th, [role=columnheader]").all_inner_texts() if t.strip()]


def open_settled(browser, url: str, width: int, height: int):  # noqa: F811 (fixture name)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url)
    page.locator(GRID).first.wait_for(state="attached", timeout=120_000)  # maybe in a closed expander
    wait_until_drawn(page, timeout=120_000)
    page.wait_for_timeout(1000)
    page.evaluate("document.fonts.ready")
    return page


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize(
    ("path", "page_file", "marker", "expander"), MAIN_TABLES, ids=[f"{p}-{m}" for p, _, m, _ in MAIN_TABLES]
)
def test_main_table_headers_are_whole_and_for_people(server, browser, path, page_file, marker, expander, width, height):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    tables = [t for t in configured(page_file) if marker in t]
    assert tables, f"{page_file} configures no table with a {marker!r} header"
    config = tables[0]
    page = open_settled(browser, f"{server}/{path}", width, height)
    try:
        if expander:
            page.locator("[data-testid='stExpander'] summary", has_text=expander).first.click()
            page.wait_for_timeout(1500)
        grid = page.locator(GRID).filter(has=page.locator("th", has_text=marker)).first
        grid.wait_for(timeout=60_000)
        grid.scroll_into_view_if_needed()
        page.wait_for_timeout(800)
        slug = re.sub(r"\W+", "_", marker).strip("_").lower()
        page.screenshot(path=str(ARTIFACTS / f"table_{path}_{slug}_{width}x{height}.png"))
        drawn = drawn_headers(grid)
        assert marker in drawn, drawn
        unknown = [h for h in drawn if h not in config]
        assert not unknown, f"headers the page does not configure (a column's name?): {unknown}"
        raw = [h for h in drawn if h in COLUMN_NAMES or re.fullmatch(r"[a-z]+(_[a-z]+)*", h)]
        assert not raw, f"column names as headers: {raw}"
        measured = text_widths(page, list(config))  # every column's header, those scrolled out of view too
        cut = {}
        for h in config:
            set_width = config[h].get("width")
            if isinstance(set_width, int | float):
                if measured[h] + PADDING > set_width:
                    cut[h] = (round(measured[h] + PADDING), set_width)
            elif measured[h] + AUTO_PADDING > AUTO_CAP:
                cut[h] = (round(measured[h] + AUTO_PADDING), AUTO_CAP)
        assert not cut, f"headers wider than their columns (needed, available): {cut}"
    finally:
        page.close()


@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_scorecard_headers_fit_their_columns(server, browser, width, height):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(f"{server}/rep_response")
    grid = page.locator(GRID).first
    grid.wait_for(timeout=90_000)
    page.get_by_text("Rep scorecard").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / f"rep_scorecard_{width}x{height}.png"))
    page.evaluate("document.fonts.ready")
    configured_widths = scorecard.widths(Policy())
    drawn = drawn_headers(grid)
    assert drawn, "the grid shows no headers"
    assert set(drawn) <= set(configured_widths), set(drawn) - set(configured_widths)  # the scorecard's headers
    measured = text_widths(page, list(configured_widths))
    cut = {h: (round(measured[h] + PADDING), w) for h, w in configured_widths.items() if measured[h] + PADDING > w}
    assert not cut, f"headers wider than their columns (needed, configured): {cut}"
    page.close()


def test_a_click_on_a_rep_opens_their_leads(server, browser):  # noqa: F811
    # measured once the page has finished drawing: a grid found early moves as the rest of the page lands
    page = open_settled(browser, f"{server}/rep_response", 1440, 900)
    grid = page.locator(GRID).first
    grid.wait_for(timeout=90_000)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()  # in the viewport's coordinates, as the mouse clicks
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 // 2)  # the first row's selection box, under the header
    page.wait_for_url("**leads_of=**", timeout=90_000)
    page.get_by_text("'s leads").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "rep_scorecard_selected.png"))
    page.close()
