"""Data without a single handoff: every page says why there is nothing to show."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from conftest import APP, PAGES
from handoff.cli import main


def test_every_page_says_the_data_has_no_handoffs(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "leads.csv").write_text("lead_id,created_at,mql_at\nL1,2026-06-02T13:00:00Z,\n")
    db = tmp_path / "handoff.duckdb"
    assert main(["import", str(folder), "--db", str(db)]) == 0
    monkeypatch.setenv("HANDOFF_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        if "data" not in page:
            assert any("no lead has an MQL date" in i.value for i in at.info), page
