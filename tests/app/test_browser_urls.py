"""A copied link reproduces the view, in chromium: change a page's own choice (This week's
week, a breakdown on SLA compliance and Handoff to meeting, a rep clicked on Rep response),
then open the page's URL in a new browser context (no shared session, cookies or storage)
and find the same choice and the same numbers. The revenue-leak inputs have their own case
in test_browser_leak.py."""

from __future__ import annotations

import pytest
from test_browser import ARTIFACTS, wait_until_drawn

pytestmark = pytest.mark.browser

GRID = "[data-testid='stDataFrame']"
HEADLINES = """() => Array.from(document.querySelectorAll('[data-testid="stMetric"]')).map(m =>
  ((m.querySelector('[data-testid="stMetricLabel"]') || {}).innerText || '') + ' = ' +
  ((m.querySelector('[data-testid="stMetricValue"]') || {}).innerText || ''))"""


def settle(page, title: str) -> None:
    page.get_by_role("heading", name=title).first.wait_for(timeout=120_000)
    page.wait_for_timeout(500)
    wait_until_drawn(page, timeout=120_000)
    page.wait_for_timeout(1000)


def fresh(browser, url: str, title: str):  # noqa: F811 (fixture name)
    """The URL in a new browser context: nothing carried over but the address."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.goto(url)
    settle(page, title)
    return context, page


def test_a_copied_link_opens_the_same_week(server, browser):  # noqa: F811
    context, page = fresh(browser, f"{server}/", "This week")
    box = page.get_by_role("combobox", name="MQL week").first
    newest = box.input_value()
    box.click()
    options = page.get_by_role("option")
    options.nth(2).wait_for(timeout=90_000)
    picked = options.nth(2).inner_text().strip()
    options.nth(2).click()
    page.wait_for_url("**week=**", timeout=60_000)
    settle(page, "This week")
    assert box.input_value() == picked != newest
    numbers = page.evaluate(HEADLINES)
    url = page.url
    context.close()

    context, copy = fresh(browser, url, "This week")
    try:
        assert copy.get_by_role("combobox", name="MQL week").first.input_value() == picked
        assert copy.evaluate(HEADLINES) == numbers
        copy.screenshot(path=str(ARTIFACTS / "url_this_week.png"))
    finally:
        context.close()


@pytest.mark.parametrize(
    ("path", "title", "key", "choice"),
    [
        ("sla_compliance", "SLA compliance", "sla_by", "source"),
        ("handoff_to_meeting", "Handoff to meeting", "mtg_by", "rep"),
    ],
)
def test_a_copied_link_opens_the_same_breakdown(server, browser, path, title, key, choice):  # noqa: F811
    context, page = fresh(browser, f"{server}/{path}", title)
    page.get_by_role("radio", name=choice, exact=True).first.click()
    page.wait_for_url(f"**{key}={choice}**", timeout=60_000)
    settle(page, title)
    if path == "handoff_to_meeting":  # the mature-weeks toggle off too: all_weeks=1
        page.get_by_text("Only the handoffs of mature weeks").first.click()
        page.wait_for_url("**all_weeks=1**", timeout=60_000)
        settle(page, title)
    assert page.get_by_role("radio", name=choice, exact=True).first.get_attribute("aria-checked") == "true"
    numbers = page.evaluate(HEADLINES)
    url = page.url
    context.close()

    context, copy = fresh(browser, url, title)
    try:
        assert copy.get_by_role("radio", name=choice, exact=True).first.get_attribute("aria-checked") == "true"
        assert copy.evaluate(HEADLINES) == numbers
        if path == "handoff_to_meeting":
            assert not copy.get_by_label("Only the handoffs of mature weeks").first.is_checked()
        copy.screenshot(path=str(ARTIFACTS / f"url_{path}.png"))
    finally:
        context.close()


def test_a_copied_link_opens_the_same_reps_leads(server, browser):  # noqa: F811
    context, page = fresh(browser, f"{server}/rep_response", "Rep response times")
    grid = page.locator(GRID).first
    grid.wait_for(timeout=90_000)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 + 35 // 2)  # the second row's selection box
    page.wait_for_url("**leads_of=**", timeout=60_000)
    heading = page.get_by_role("heading", name="'s leads").first
    heading.wait_for(timeout=60_000)
    settle(page, "Rep response times")
    whose = heading.inner_text().strip()
    count = page.get_by_text("MQLs handed off to").first.inner_text()
    url = page.url
    context.close()

    context, copy = fresh(browser, url, "Rep response times")
    try:
        copy.get_by_role("heading", name="'s leads").first.wait_for(timeout=60_000)
        assert copy.get_by_role("heading", name="'s leads").first.inner_text().strip() == whose
        assert copy.get_by_text("MQLs handed off to").first.inner_text() == count
        copy.screenshot(path=str(ARTIFACTS / "url_rep_response.png"))
    finally:
        context.close()
