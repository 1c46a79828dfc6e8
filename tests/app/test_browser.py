"""A real browser (Playwright driving Debian's chromium) against `streamlit run`: every page
opens and draws its charts, a filter changes the numbers, no data text becomes HTML.
Screenshots of each page go to test-artifacts/."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"
PAGES = [  # (url path, a text the page shows)
    ("", "This week"),
    ("sla_compliance", "Call list"),
    ("rep_response", "Rep scorecard"),
    ("dispositions", "Rejection reasons"),
    ("handoff_to_meeting", "Why speed matters"),
    ("revenue_leak", "Sensitivity"),
    ("data", "Rows loaded"),
]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-extensions"]


def chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("chromium not found: run `make browser` (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("streamlit did not become healthy")


def start_server(cwd: Path, env: dict | None = None):
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none"]
    env = {**{k: v for k, v in os.environ.items() if k != "HANDOFF_DB"}, **(env or {})}
    proc = subprocess.Popen(cmd, cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc)
    except Exception:
        proc.kill()
        raise
    return proc, url


def wait_until_drawn(page, timeout: int) -> None:
    """Until the app's script has finished its run and nothing is still a placeholder, so a
    layout measured after it is the final one."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]') "
        "&& !document.querySelector('[data-testid=\"stSkeleton\"]')",
        timeout=timeout,
    )


def open_page(browser, url: str):
    page = browser.new_page(viewport={"width": 1400, "height": 2400})
    page.goto(url)
    return page


def test_every_page_shows_its_charts(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    page = open_page(browser, server)
    for path, text in PAGES:
        page.goto(f"{server}/{path}")
        page.get_by_text(text, exact=False).first.wait_for(timeout=60_000)
        if path != "data":
            page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
        page.wait_for_timeout(500)
        assert page.locator("[data-testid='stException']").count() == 0, path
        page.screenshot(path=str(ARTIFACTS / f"page_{path or 'this_week'}.png"), full_page=True)
    page.close()


def test_a_filter_changes_the_numbers_and_the_url(server, browser):
    page = open_page(browser, server)
    metric = page.locator("[data-testid='stMetricValue']").first
    metric.wait_for(timeout=60_000)
    page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
    before = metric.inner_text()
    tier = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(1)
    tier.click()
    page.get_by_role("option", name="high").click()
    page.keyboard.press("Escape")
    page.wait_for_url("**tier=high**", timeout=90_000)
    page.wait_for_function(
        "([sel, old]) => { const e = document.querySelector(sel); return e && e.innerText !== old; }",
        arg=["[data-testid='stMetricValue']", before], timeout=90_000,
    )
    assert metric.inner_text() != before
    page.locator(".js-plotly-plot").first.wait_for(timeout=90_000)
    page.screenshot(path=str(ARTIFACTS / "filter_tier_high.png"), full_page=True)
    page.goto(f"{server}/sla_compliance?tier=high")  # a shared link keeps the filter
    page.get_by_text("Call list").first.wait_for(timeout=60_000)
    chips = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(1).inner_text()
    assert "high" in chips
    page.close()


def test_a_bookmarked_page_opened_first_after_a_restart(browser):
    """The first request a fresh server gets is a shared link: it still runs through app.py
    (sidebar filters, banner) and keeps the link's filter."""
    proc, url = start_server(ROOT / "tests")
    try:
        page = open_page(browser, f"{url}/sla_compliance?tier=high")
        page.get_by_text("Call list").first.wait_for(timeout=60_000)
        tier = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(1)
        tier.wait_for(timeout=60_000)
        assert "high" in tier.inner_text()
        assert page.get_by_text("sample data", exact=False).count() > 0
        page.close()
    finally:
        proc.terminate()
        proc.wait(10)
