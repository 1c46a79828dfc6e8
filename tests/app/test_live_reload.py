"""A load from the command line while the app is open: it works, and the app shows it."""

from __future__ import annotations

import os
import time

from streamlit.testing.v1 import AppTest

from handoff.cli import main
from handoff.ui import state

from conftest import APP

LEADS = "lead_id,created_at,mql_at,source\n{rows}"


def write_leads(folder, ids):
    folder.mkdir(exist_ok=True)
    rows = "".join(f"{i},2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,Webinar\n" for i in ids)
    (folder / "leads.csv").write_text(LEADS.format(rows=rows))


def app_on_database(tmp_path, monkeypatch) -> tuple:
    """A database file with two handoffs (A1, A2) and the app open on it, on the Data page."""
    db = tmp_path / "live.duckdb"
    write_leads(tmp_path / "one", ["A1", "A2"])
    assert main(["import", str(tmp_path / "one"), "--db", str(db)]) == 0
    monkeypatch.setenv("HANDOFF_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.switch_page("pages/7_data.py")
    at.run()
    assert not at.exception, at.exception
    assert state.current().model.metrics("all").iloc[0]["handoffs"] == 2
    return db, at


def test_import_while_the_app_is_open_shows_up(tmp_path, monkeypatch):
    db, at = app_on_database(tmp_path, monkeypatch)

    write_leads(tmp_path / "two", ["B1", "B2", "B3"])
    time.sleep(0.01)
    assert main(["import", str(tmp_path / "two"), "--db", str(db)]) == 0  # the app holds no lock
    os.utime(db)  # make sure the modification time moves on coarse clocks
    at.run()
    assert not at.exception, at.exception
    assert state.current().model.metrics("all").iloc[0]["handoffs"] == 5


def test_while_another_process_holds_the_file_the_last_data_stays(tmp_path, monkeypatch):
    import subprocess
    import sys

    db, at = app_on_database(tmp_path, monkeypatch)
    holder = subprocess.Popen(  # a sync in another process: holds the file read-write
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "c.execute('CREATE TABLE busy (x INT)'); print('ready', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        os.utime(db)
        at.run()
        assert not at.exception, at.exception
        assert any("in use by another process" in w.value for w in at.warning)
        assert state.current().model.metrics("all").iloc[0]["handoffs"] == 2
    finally:
        holder.kill()
        holder.wait()
