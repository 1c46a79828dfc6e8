"""The rep scorecard in chromium at 1440x900 and 1280x720: no header is cut off (each column's
configured width holds its header's text, measured in the page with the grid's font), the
grid shows the headers the scorecard configures, and a click on a rep opens their leads and
puts them in the URL. Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from test_browser import ARTIFACTS, browser, server  # noqa: F401 (fixtures)

from handoff.policy import Policy
from handoff.ui import scorecard

pytestmark = pytest.mark.browser

# The grid draws a header in the theme's small font (14 px) with 8 px of padding each side;
# measure bolder than drawn and leave room for the sort arrow, so "fits" has a margin.
HEADER_FONT = "600 14px 'Source Sans', 'Source Sans Pro', sans-serif"
PADDING = 2 * 8 + 20
GRID = "[data-testid='stDataFrame']"


def text_widths(page, texts: list[str]) -> dict[str, float]:
    return page.evaluate(
        """([font, texts]) => { const c = document.createElement('canvas').getContext('2d'); c.font = font;
        return Object.fromEntries(texts.map(t => [t, c.measureText(t).width])); }""",
        [HEADER_FONT, texts],
    )


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1280, 720)])
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
    configured = scorecard.widths(Policy())
    drawn = [t.strip() for t in grid.locator("th, [role=columnheader]").all_inner_texts() if t.strip()]
    assert drawn, "the grid shows no headers"
    assert set(drawn) <= set(configured), set(drawn) - set(configured)  # the headers are the scorecard's
    measured = text_widths(page, list(configured))
    cut = {h: (round(measured[h] + PADDING), w) for h, w in configured.items() if measured[h] + PADDING > w}
    assert not cut, f"headers wider than their columns (needed, configured): {cut}"
    page.close()


def test_a_click_on_a_rep_opens_their_leads(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{server}/rep_response")
    grid = page.locator(GRID).first
    grid.wait_for(timeout=90_000)
    page.wait_for_timeout(1500)
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 // 2)  # the first row's selection box, under the header
    page.wait_for_url("**leads_of=**", timeout=30_000)
    page.get_by_text("'s leads").first.wait_for(timeout=60_000)
    page.screenshot(path=str(ARTIFACTS / "rep_scorecard_selected.png"))
    page.close()
