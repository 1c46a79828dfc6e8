"""Shared set-up for the app tests: the app's path and the data it shows."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))


@pytest.fixture(autouse=True)
def _sample_data(monkeypatch):
    """The app tests run on the bundled sample, whatever database the checkout holds."""
    monkeypatch.delenv("HANDOFF_DB", raising=False)
    monkeypatch.chdir(ROOT / "tests")  # no handoff.duckdb or handoff.toml here


@pytest.fixture(autouse=True)
def _navigation_app(monkeypatch):
    """AppTest resets `PagesManager.uses_pages_directory` before every run, so from the
    second run on an app that lists its `pages/` with st.navigation is run the old way (the
    page alone, without app.py and its sidebar). The real server keeps the flag False once
    st.navigation ran; keep it so in tests too."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)


# One app server (`streamlit run` on the bundled sample) and one chromium for all the real-browser
# tests a worker runs, started when the first one needs them. Every page a test opens is a new
# browser page, so a new session of the app (its own websocket, session state and query string);
# the server keeps nothing between them but its caches of the same data.
@pytest.fixture(scope="session")
def server():
    from test_browser import start_server

    proc, url = start_server(ROOT / "tests")  # without HANDOFF_DB, whatever the environment says
    yield url
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM_ARGS, chromium

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()
