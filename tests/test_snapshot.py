"""`store.snapshot`: a private copy of a database file that leaves the file free for a writer."""

from __future__ import annotations

import os
import subprocess
import sys

import pandas as pd
import pytest

from handoff import store as store_module
from handoff.store import Store, StoreError, snapshot


def _file_with_reps(path, names):
    with Store(path) as store:
        with store.transaction():
            store.upsert("reps", pd.DataFrame({"rep_id": [f"R{i}" for i in range(len(names))], "name": names}))


@pytest.fixture()
def temp_root(tmp_path, monkeypatch):
    root = tmp_path / "temp"
    root.mkdir()
    monkeypatch.setenv("HANDOFF_TEMP_DIR", str(root))
    return root


def test_a_writer_can_change_the_file_while_a_copy_is_open(tmp_path, temp_root):
    db = tmp_path / "h.duckdb"
    _file_with_reps(db, ["Ann", "Bo"])
    copy = snapshot(db)
    try:
        _file_with_reps(db, ["Ann", "Bo", "Cy"])  # opens the file read-write: not held by the copy
        assert copy.con.execute("SELECT count(*) FROM reps").fetchall()[0][0] == 2
        copy.con.execute("DELETE FROM reps")  # the copy is private: the file keeps its rows
    finally:
        copy.close()
    with Store(db) as store:
        assert store.con.execute("SELECT count(*) FROM reps").fetchall()[0][0] == 3


def test_the_copy_is_removed_on_close(tmp_path, temp_root):
    db = tmp_path / "h.duckdb"
    _file_with_reps(db, ["Ann"])
    copy = snapshot(db)
    folders = list(temp_root.glob("handoff-snapshot-*"))
    assert len(folders) == 1
    # the copy is unlinked once open: its space is freed whenever the connection closes
    assert not (folders[0] / "snapshot.duckdb").exists()
    assert copy.con.execute("SELECT name FROM reps").fetchall() == [("Ann",)]
    copy.con.execute("CREATE TABLE big AS SELECT * FROM range(200000) AS r(i)")
    copy.con.execute("CHECKPOINT")
    assert copy.con.execute("SELECT count(*) FROM big").fetchall()[0][0] == 200000
    copy.close()
    assert not list(temp_root.glob("handoff-snapshot-*"))


def test_a_copy_left_by_an_ended_process_is_removed_by_the_next(tmp_path, temp_root):
    db = tmp_path / "h.duckdb"
    _file_with_reps(db, ["Ann"])
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = temp_root / f"handoff-snapshot-{int(ended.stdout)}-abc"
    orphan.mkdir()
    (orphan / "snapshot.duckdb").write_bytes(b"x" * 10)
    mine = temp_root / f"handoff-snapshot-{os.getpid()}-live"
    mine.mkdir()
    copy = snapshot(db)
    copy.close()
    assert not orphan.exists()
    assert mine.exists()  # a live process's copy is left alone


def test_a_copy_made_at_exit_is_removed(tmp_path, temp_root):
    db = tmp_path / "h.duckdb"
    _file_with_reps(db, ["Ann"])
    code = "import sys; from handoff.store import snapshot; s = snapshot(sys.argv[1]); print(s.owned_folder)"
    out = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True)
    assert out.stdout.strip().startswith(str(temp_root))
    assert not list(temp_root.glob("handoff-snapshot-*"))


def test_an_unreadable_file_leaves_no_copy(tmp_path, temp_root):
    bad = tmp_path / "bad.duckdb"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(StoreError):
        snapshot(bad)
    assert not list(temp_root.glob("handoff-snapshot-*"))
    assert not [f for f in store_module._OWN_COPIES if f.parent == temp_root]
