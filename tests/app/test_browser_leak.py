"""The revenue-leak page in a real browser (Playwright driving Debian's chromium) at 1280x720:
the leak's headline and its waterfall are on the first screen without scrolling, the money
carries the currency's symbol, and a copied link opens the same scenario. Screenshots go to
test-artifacts/."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from test_browser import wait_until_drawn

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
SCREEN = {"width": 1280, "height": 720}
MONEY = re.compile(r"^-?\$\d[\d,.]*[KMBT]?$")


def open_leak(browser, url: str, query: str = ""):
    page = browser.new_page(viewport=SCREEN)
    page.goto(f"{url}/revenue_leak{query}")
    page.get_by_text("Revenue leak a month").first.wait_for(timeout=90_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    wait_until_drawn(page, timeout=120_000)
    page.wait_for_timeout(1000)
    return page


def inside_screen(box) -> bool:
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SCREEN["height"]


def test_the_answer_and_the_waterfall_fit_the_first_screen(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_leak(browser, server)
    page.screenshot(path=str(ARTIFACTS / "revenue_leak_1280x720.png"))
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.evaluate("window.scrollY") == 0
    metrics = page.locator("[data-testid='stMetric']")
    labels = [metrics.nth(i).locator("[data-testid='stMetricLabel']").inner_text() for i in range(4)]
    assert labels == [
        "Revenue leak a month",
        "Revenue leak a year",
        "Recovered by the target, a month",
        "Recovered by the target, a year",
    ]
    for i in range(4):
        assert inside_screen(metrics.nth(i).bounding_box()), labels[i]
        value = metrics.nth(i).locator("[data-testid='stMetricValue']").inner_text().strip()
        assert MONEY.match(value), value
    waterfall = page.locator(".js-plotly-plot").first
    assert inside_screen(waterfall.bounding_box()), waterfall.bounding_box()
    assert "Revenue leak a year" in waterfall.inner_text()
    ticks = waterfall.locator(".ytick text").evaluate_all("els => els.map(e => e.textContent)")
    assert ticks and all(MONEY.match(t) for t in ticks), ticks
    page.close()


def test_a_copied_link_opens_the_same_scenario(server, browser):
    page = open_leak(browser, server, "?leak_start=gentle&leak_mqls_per_month=800&leak_never_contacted_share=40")
    first = page.locator("[data-testid='stMetricValue']").first.inner_text()
    page.get_by_text("Change the inputs", exact=False).first.click()
    field = page.get_by_label("Never-contacted share (%)", exact=True)
    field.wait_for(timeout=90_000)
    assert field.input_value() == "40.0"
    link = page.url
    assert "leak_mqls_per_month=800" in link and "leak_start=gentle" in link
    page.screenshot(path=str(ARTIFACTS / "revenue_leak_inputs.png"), full_page=True)
    page.close()
    again = browser.new_page(viewport=SCREEN)
    again.goto(link)
    value = again.locator("[data-testid='stMetricValue']").first
    value.wait_for(timeout=90_000)
    again.wait_for_function(
        "([sel, want]) => { const e = document.querySelector(sel); return e && e.innerText === want; }",
        arg=["[data-testid='stMetricValue']", first],
        timeout=60_000,
    )
    again.close()
