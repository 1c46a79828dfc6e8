"""A database file that is not a database: the app says so, and does not call it busy."""

from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest

from conftest import APP


def test_a_corrupt_database_is_named_as_such(tmp_path, monkeypatch):
    path = tmp_path / "handoff.duckdb"
    path.write_bytes(os.urandom(64 * 1024))
    monkeypatch.setenv("HANDOFF_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    assert any("is not a DuckDB database" in e for e in errors), errors
    assert not any("in use" in e for e in errors), errors
