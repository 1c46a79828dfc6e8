"""What a person waits for in a real browser (Debian's chromium driven by Playwright): from
`streamlit run` to the first chart, for the app and, in the same run, for a bare Streamlit
page with one Plotly chart (the floor); then a filter change.

    .venv/bin/python benchmarks/bench_browser.py [--db FILE] [--repeat 3]

Without --db the app shows the bundled sample; with it, that DuckDB file (e.g. the one
`bench_engine.py --keep DIR` leaves in DIR/bench.duckdb). Cold starts alternate bare / app
and the best of each is compared. Prints figures and the ratio; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "app"))
from test_browser import CHROMIUM_ARGS, chromium, free_port, wait_healthy  # noqa: E402

BARE = """\
import plotly.express as px
import streamlit as st

st.title("Bare page")
st.plotly_chart(px.bar(x=["a", "b", "c"], y=[1, 3, 2]))
"""


def wait_idle(page) -> None:
    """Until the app has finished its run (Streamlit's running indicator is gone)."""
    page.wait_for_function("() => !document.querySelector(\"[data-testid='stStatusWidget']\")", timeout=600_000)


def wait_for_chart(page) -> None:
    page.locator(".js-plotly-plot").first.wait_for(timeout=600_000)


def start(script: Path, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
        "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    full_env = {**{k: v for k, v in os.environ.items() if k != "HANDOFF_DB"}, **env}
    proc = subprocess.Popen(cmd, cwd=ROOT / "tests", env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    wait_healthy(url, proc, timeout=300)
    return proc, url


def stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def cold_start(browser, script: Path, env: dict, path: str, keep: bool = False):
    """Seconds from `streamlit run` to the first chart drawn; with `keep`, the page and the
    server are returned open."""
    t = time.perf_counter()
    proc, url = start(script, env)
    page = browser.new_page(viewport={"width": 1400, "height": 1600})
    page.goto(f"{url}{path}")
    wait_for_chart(page)
    seconds = time.perf_counter() - t
    if keep:
        return seconds, page, proc
    page.close()
    stop(proc)
    return seconds, None, None


def filter_changes(page) -> list[float]:
    wait_idle(page)
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
            arg=before,
            timeout=300_000,
        )
        wait_idle(page)
        changes.append(time.perf_counter() - t)
        page.keyboard.press("Escape")
    return changes


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", help="DuckDB file the app shows (default: the sample)")
    parser.add_argument("--repeat", type=int, default=3, help="cold starts of each (the best is compared)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    env = {"HANDOFF_DB": str(Path(args.db).resolve())} if args.db else {}
    bare_times, app_times = [], []
    with tempfile.TemporaryDirectory(prefix="handoff-bare-") as tmp, sync_playwright() as p:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE, encoding="utf-8")
        browser = p.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
        for i in range(args.repeat):
            bare_times.append(cold_start(browser, bare, {}, "/")[0])
            last = i == args.repeat - 1
            seconds, page, proc = cold_start(browser, ROOT / "app.py", env, "/sla_compliance", keep=last)
            app_times.append(seconds)
            print(f"  cold start {i + 1}: bare {bare_times[-1]:6.2f} s, app {app_times[-1]:6.2f} s", flush=True)
        try:
            changes = filter_changes(page)
        finally:
            stop(proc)
        browser.close()
    bare_best, app_best = min(bare_times), min(app_times)
    print(f"data: {args.db or 'bundled sample'}; {os.cpu_count()} cores")
    print(f"bare Streamlit + one Plotly chart, first chart:   {bare_best:6.2f} s (best of {args.repeat})")
    print(f"app, first chart of SLA compliance:               {app_best:6.2f} s (best of {args.repeat})")
    target = "1.5" if args.db else "1.2"
    print(f"ratio app / bare:                                 {app_best / bare_best:6.2f} x   (target <= {target})")
    print(f"filter change tier=high, until the page is idle:  {changes[0]:6.2f} s")
    print(f"filter change tier=high+medium:                   {changes[1]:6.2f} s")


if __name__ == "__main__":
    main()
