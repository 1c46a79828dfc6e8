"""The meeting mode and the pack in a real browser (Playwright driving Debian's chromium):
the meeting mode's headline block fits a 1280x720 projector without scrolling, the sidebar
and the sample banner are gone, and the pack prints to PDF. Screenshots, the PDF and a PNG of
its first page go to test-artifacts/."""

from __future__ import annotations

import re

import pytest
from conftest import ROOT
from test_browser import wait_until_drawn

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
PROJECTOR = {"width": 1280, "height": 720}


def open_meeting(browser, url: str):
    page = browser.new_page(viewport=PROJECTOR)
    page.goto(f"{url}/?meeting=1")
    page.locator(".st-key-meeting_headline [data-testid='stMetricValue']").first.wait_for(timeout=90_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    wait_until_drawn(page, timeout=120_000)  # nothing lands above the headline later
    page.wait_for_timeout(800)
    return page


def test_the_headline_block_fits_a_projector_without_scrolling(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_meeting(browser, server)
    assert page.locator("[data-testid='stException']").count() == 0
    block = page.locator(".st-key-meeting_headline")
    box = block.bounding_box()
    assert box is not None
    assert page.evaluate("window.scrollY") == 0
    assert box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"], box
    assert box["x"] >= 0 and box["x"] + box["width"] <= PROJECTOR["width"], box
    assert page.locator(".st-key-meeting_headline [data-testid='stMetric']").count() == 6
    # no sidebar, no sample banner; the title names the week
    sidebar = page.locator("[data-testid='stSidebar']")
    assert sidebar.count() == 0 or not sidebar.first.is_visible()
    assert page.get_by_text("You are looking at the", exact=False).count() == 0
    assert page.get_by_text("Weekly handoff alignment", exact=False).first.is_visible()
    page.screenshot(path=str(ARTIFACTS / "meeting_1280x720.png"))
    page.set_viewport_size({"width": PROJECTOR["width"], "height": 5200})  # the whole agenda, for people to look at
    page.get_by_text("The pack").first.wait_for(timeout=60_000)
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "meeting_agenda.png"))
    page.close()


def test_the_toggle_leaves_the_meeting_mode(server, browser):
    page = open_meeting(browser, server)
    page.get_by_text("Meeting mode").first.click()
    page.wait_for_function("() => !window.location.search.includes('meeting=1')", timeout=90_000)
    page.get_by_text("You are looking at the", exact=False).first.wait_for(timeout=60_000)
    page.close()


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_the_pack_prints_to_pdf(browser, tmp_path):
    """The pack of the sample's last complete week, printed by chromium through Playwright
    (print media, the @page size of the HTML); its first page as a PNG."""
    from handoff import pack
    from handoff.data import sample
    from handoff.model import Filters, Model, views
    from handoff.policy import Policy

    ARTIFACTS.mkdir(exist_ok=True)
    policy = Policy()
    model = Model(sample(policy).store.con, policy)
    week = views.last_complete_week(model, Filters())
    html = pack.build(model, Filters(), week, source="bundled sample data")
    source = tmp_path / "pack.html"
    source.write_text(html, encoding="utf-8")
    (ARTIFACTS / "pack.html").write_text(html, encoding="utf-8")

    page = browser.new_page()
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(source.as_uri())
    page.emulate_media(media="print")
    pdf = page.pdf(path=str(ARTIFACTS / "pack.pdf"), prefer_css_page_size=True, print_background=True)
    page.close()
    assert requests == [source.as_uri()], "the pack fetched something"
    assert pdf[:5] == b"%PDF-"
    count = pdf_pages(pdf)
    assert 6 <= count <= 12, count

    viewer = browser.new_page(viewport={"width": 1123, "height": 794})
    viewer.goto((ARTIFACTS / "pack.pdf").as_uri() + "#page=1&toolbar=0&navpanes=0&view=Fit")
    viewer.wait_for_timeout(2500)
    viewer.screenshot(path=str(ARTIFACTS / "pack_page1.png"))
    viewer.close()
    (ARTIFACTS / "pack_pages.txt").write_text(f"{count} pages, {len(pdf):,} bytes (PDF); {len(html):,} bytes (HTML)\n")


def test_the_report_command_writes_a_pdf(tmp_path, capsys):
    from handoff.cli import main

    out = tmp_path / "pack.pdf"
    assert main(["report", "--week", "2026-W46", "--out", str(out)]) == 0
    pdf = out.read_bytes()
    assert pdf[:5] == b"%PDF-" and pdf_pages(pdf) >= 6
    assert b"Weekly handoff alignment" in pdf  # the document title
