"""Hostile and careless input against the import, the command line and the outputs: each
test holds one behaviour that once went wrong (a value misread, a row lost without a word, a
file replaced or left behind, a hang, a traceback, a message that sent people the wrong way)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from handoff.cli import main
from handoff.policy import Policy
from handoff.sources.files import ImportError_, import_dir
from handoff.store import Store

HEADER = "lead_id,created_at,mql_at"
ROW = "L1,2025-11-20T13:00:00Z,2025-11-20T14:00:00Z"
NY = Policy(timezone="America/New_York")


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def loaded(store: Store, column: str = "mql_at") -> dict:
    return dict(store.con.execute(f'SELECT lead_id, "{column}" FROM leads').fetchall())


def reasons(store: Store) -> dict[str, str]:
    return dict(store.con.execute("SELECT record_id, reason FROM rejects").fetchall())


# -- timestamps ------------------------------------------------------------------------------


def test_an_ambiguous_local_time_takes_the_earlier_instant(tmp_path):
    # 2025-11-02 01:30 in New York happens twice: 05:30Z (EDT), then 06:30Z (EST)
    write(tmp_path, "leads.csv", f"{HEADER}\nL1,2025-11-01T00:00:00Z,2025-11-02 01:30:00\n")
    store = Store()
    report = import_dir(store, tmp_path, NY)
    assert report.files[0].ambiguous_timestamps == 1
    assert loaded(store)["L1"] == pd.Timestamp("2025-11-02T05:30:00Z")


def test_an_ambiguous_parquet_local_time_takes_the_earlier_instant(tmp_path):
    table = pa.table(
        {
            "lead_id": ["L1"],
            "created_at": ["2025-11-01T00:00:00Z"],
            "mql_at": pa.array([pd.Timestamp("2025-11-02 01:30:00")], pa.timestamp("us")),
        }
    )
    pq.write_table(table, tmp_path / "leads.parquet")
    store = Store()
    import_dir(store, tmp_path, NY)
    assert loaded(store)["L1"] == pd.Timestamp("2025-11-02T05:30:00Z")


@pytest.mark.parametrize(
    "value",
    ["2025-11-20T12:00:00+25:00", "2025-11-20T12:00:00-2400", "2025-11-20T12:00:00+15:00", "2025-11-20T12:00:00+05:75"],
)
def test_an_offset_no_clock_uses_is_rejected(tmp_path, value):
    write(tmp_path, "leads.csv", f"{HEADER}\nL1,2025-11-01T00:00:00Z,{value}\n")
    store = Store()
    assert import_dir(store, tmp_path).rejected == 1
    assert reasons(store)["L1"] == "unparseable timestamp (use ISO 8601)"


def test_the_widest_real_offsets_are_read(tmp_path):
    write(
        tmp_path,
        "leads.csv",
        f"{HEADER}\nL1,2025-11-01T00:00:00Z,2025-11-20T12:00:00+14:00\n"
        "L2,2025-11-01T00:00:00Z,2025-11-20T12:00:00-12:00\n",
    )
    store = Store()
    assert import_dir(store, tmp_path).rejected == 0
    assert loaded(store) == {"L1": pd.Timestamp("2025-11-19T22:00:00Z"), "L2": pd.Timestamp("2025-11-21T00:00:00Z")}


# -- outputs over inputs ----------------------------------------------------------------------


@pytest.fixture
def db(tmp_path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    write(data, "leads.csv", f"{HEADER}\n{ROW}\nL2,nope,\n")
    path = tmp_path / "h.duckdb"
    assert main(["import", str(data), "--db", str(path), "--rejects", str(tmp_path / "r.csv")]) == 1
    return path


def test_leads_out_never_names_the_databases_write_ahead_log(db, capsys):
    wal = Path(f"{db}.wal")
    assert main(["leads", "--db", str(db), "--out", str(wal)]) == 2
    assert "one of this command's inputs" in capsys.readouterr().err
    assert not wal.exists()


def test_import_rejects_never_name_the_databases_write_ahead_log(db, tmp_path, capsys):
    wal = Path(f"{db}.wal")
    assert main(["import", str(tmp_path / "data"), "--db", str(db), "--rejects", str(wal)]) == 2
    assert "one of this command's inputs" in capsys.readouterr().err
    assert not wal.exists()


# -- the database path -----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["import", "metrics"])
def test_a_pipe_named_as_the_database_is_refused_not_waited_on(tmp_path, command):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    write(tmp_path, "leads.csv", f"{HEADER}\n{ROW}\n")
    args = ["import", str(tmp_path)] if command == "import" else ["metrics"]
    proc = subprocess.run(
        [sys.executable, "-m", "handoff.cli", *args, "--db", str(fifo)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    assert "not a regular file" in proc.stderr and "Traceback" not in proc.stderr


def test_a_symlink_loop_named_as_the_database_is_one_line(tmp_path, capsys):
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    write(tmp_path, "leads.csv", f"{HEADER}\n{ROW}\n")
    assert main(["import", str(tmp_path), "--db", str(tmp_path / "a")]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err
    assert "symbolic links" in err


def test_a_database_path_ending_in_a_slash_is_refused(tmp_path, capsys):
    write(tmp_path, "leads.csv", f"{HEADER}\n{ROW}\n")
    assert main(["import", str(tmp_path), "--db", str(tmp_path / "new.duckdb") + "/"]) == 2
    assert "ends with a slash" in capsys.readouterr().err
    assert not (tmp_path / "new.duckdb").exists()


# -- CSV structure ---------------------------------------------------------------------------


def test_a_line_longer_than_the_read_buffer_is_not_dropped_silently(tmp_path):
    big = "x" * 40_000_000
    write(tmp_path, "leads.csv", f"{HEADER},company\n{ROW},{big}\nL2,2025-11-20T13:00:00Z,2025-11-20T14:00:00Z,ok\n")
    store = Store()
    with pytest.raises(ImportError_, match="line 2 is longer than"):
        import_dir(store, tmp_path)
    assert store.counts()["leads"] == 0


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def _parquet() -> bytes:
    buf = io.BytesIO()
    pq.write_table(pa.table({"lead_id": ["L1"], "created_at": ["2025-11-20T13:00:00Z"]}), buf)
    return buf.getvalue()


# -- renamed headers -------------------------------------------------------------------------
