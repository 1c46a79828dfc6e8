"""A load that needs more memory than DuckDB's limit stops with one line naming the setting,
and is rolled back whole."""

from __future__ import annotations

import duckdb

from handoff.cli import main
from handoff.data import sample_dir


def test_an_import_over_the_memory_limit_names_the_setting_and_changes_nothing(tmp_path, monkeypatch, capsys):
    db = tmp_path / "h.duckdb"
    monkeypatch.setenv("HANDOFF_MEMORY_LIMIT", "16MB")
    code = main(["import", str(sample_dir()), "--db", str(db)])
    err = capsys.readouterr().err
    assert code == 2
    assert "ran out of memory within its limit (16MB)" in err
    assert "HANDOFF_MEMORY_LIMIT" in err
    assert "Traceback" not in err and "TransactionContext" not in err
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT (SELECT count(*) FROM reps) + (SELECT count(*) FROM leads)").fetchall()[0][0] == 0
