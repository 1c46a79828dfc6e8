"""Shared set-up for the app tests: the app's path and the data it shows."""

from __future__ import annotations

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
