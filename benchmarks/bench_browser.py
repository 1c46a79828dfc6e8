"""What a person waits for in a real browser: the first page with its charts, then a filter
change, against `streamlit run` (Debian's chromium driven by Playwright).

    .venv/bin/python benchmarks/bench_browser.py [--db FILE]

Without --db the app shows the bundled sample; with it, that DuckDB file (e.g. one made by
`handoff generate` + `handoff import` at 1M leads). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "app"))
from test_browser import CHROMIUM_ARGS, chromium, start_server  # noqa: E402


def wait_idle(page) -> None:
    """Until the app has finished its run (Streamlit's running indicator is gone)."""
    page.wait_for_function(
        "() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=300_000)


def wait_for_chart(page) -> None:
    page.locator(".js-plotly-plot").first.wait_for(timeout=300_000)
    wait_idle(page)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="DuckDB file the app shows (default: the sample)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = {"HANDOFF_DB": str(Path(args.db).resolve())} if args.db else {}
    proc, url = start_server(ROOT / "tests", env)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1600})
            t = time.perf_counter()
            page.goto(f"{url}/sla_compliance")
            wait_for_chart(page)
            first = time.perf_counter() - t
            metric = page.locator("[data-testid='stMetricValue']").first
            changes = []
            for name in ("high", "medium"):
                before = metric.inner_text()
                tier = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']").nth(1)
                tier.click()
                option = page.get_by_role("option", name=name)
                t = time.perf_counter()
                option.click()
                page.wait_for_function(
                    "b => document.querySelector(\"[data-testid='stMetricValue']\")?.innerText !== b",
                    arg=before, timeout=300_000)
                wait_idle(page)
                changes.append(time.perf_counter() - t)
                print(f"  tier {name}: {changes[-1]:.2f} s", flush=True)
                page.keyboard.press("Escape")
            browser.close()
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    print(f"data: {args.db or 'bundled sample'}")
    print(f"first page with charts (server cold, data loaded): {first:6.2f} s")
    print(f"filter change tier=high, until the page is idle:    {changes[0]:6.2f} s")
    print(f"filter change tier=high+medium:                     {changes[1]:6.2f} s")
    print(f"ratio first page / filter change:                   {first / changes[0]:6.1f} x")


if __name__ == "__main__":
    main()
