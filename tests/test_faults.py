"""Environment faults and empty data: one line on stderr naming the cause, a documented exit code.

Exit codes: 0 done, 1 loaded with rejects, 2 nothing loaded / bad input / fault,
3 stopped at an API limit, 4 the database is in use by another process.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from handoff import store as store_module
from handoff.cli import main
from handoff.store import Store, StoreBusy, StoreError, open_error

LEADS = """lead_id,created_at,mql_at,owner_id,source
L1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Demo request
L2,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar
"""
AS_OF = ["--as-of", "2026-06-30T00:00:00Z"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "reps.csv").write_text("rep_id,name,team,timezone,country\nr1,Ann,East,America/New_York,US\n")
    (d / "leads.csv").write_text(LEADS)
    return d


@pytest.fixture
def db(folder: Path, tmp_path: Path, capsys) -> Path:
    path = tmp_path / "h.duckdb"
    assert main(["import", str(folder), "--db", str(path)]) == 0
    capsys.readouterr()
    return path


def one_line(capsys) -> str:
    """The command's stderr, which must be exactly one line starting `handoff: `."""
    err = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("[")]
    assert len(err) == 1 and err[0].startswith("handoff: "), err
    assert "Traceback" not in err[0]
    return err[0]


def leads_in(path: Path) -> int:
    with Store(path) as store:
        return store.counts()["leads"]


# -- busy: another process holds the database --------------------------------------------------
@pytest.fixture
def held(db: Path):
    """The database held read-write by another process (an import or a sync running)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('ready', flush=True); time.sleep(60)", str(db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield db
    finally:
        holder.kill()
        holder.wait()


def test_a_second_import_while_one_runs_is_busy(held, folder, capsys):
    assert main(["import", str(folder), "--db", str(held)]) == 4
    err = one_line(capsys)
    assert "in use by another process" in err and str(held) in err and "try again" in err


@pytest.mark.parametrize("command", ["metrics", "leads"])
def test_reading_during_an_import_is_busy(held, capsys, command):
    assert main([command, "--db", str(held)]) == 4
    assert "in use by another process" in one_line(capsys)


# -- not a database ------------------------------------------------------------------------------
@pytest.fixture(params=["random bytes", "empty"])
def not_a_database(request, tmp_path: Path) -> Path:
    path = tmp_path / "h.duckdb"
    path.write_bytes(os.urandom(64 * 1024) if request.param == "random bytes" else b"")
    return path


@pytest.mark.parametrize("command", ["metrics", "leads", "import"])
def test_a_corrupt_or_empty_database_is_named_as_such_not_busy(not_a_database, folder, capsys, command):
    before = not_a_database.read_bytes()
    argv = ["import", str(folder)] if command == "import" else [command]
    assert main(argv + ["--db", str(not_a_database)]) == 2
    err = one_line(capsys)
    assert f"{not_a_database} is not a DuckDB database" in err and "in use" not in err
    assert not_a_database.read_bytes() == before


@pytest.mark.parametrize("command", ["metrics", "import"])
def test_a_folder_named_as_the_database(tmp_path, folder, capsys, command):
    path = tmp_path / "h.duckdb"
    path.mkdir()
    argv = ["import", str(folder)] if command == "import" else [command]
    assert main(argv + ["--db", str(path)]) == 2
    err = one_line(capsys)
    assert "is a folder" in err and "in use" not in err


# -- read-only, unwritable, full disk -------------------------------------------------------------
def writes_anyway(folder: Path) -> bool:
    try:
        (folder / ".probe").touch()
    except OSError:
        return False
    (folder / ".probe").unlink()
    return True


@pytest.fixture
def unwritable_folder(tmp_path: Path):
    """A folder this process cannot create files in: a 0555 folder, or (for root, whom
    permissions do not stop) sysfs, which refuses new files to everyone."""
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        if not writes_anyway(folder):
            yield folder
        elif Path("/sys").is_dir() and not writes_anyway(Path("/sys")):
            yield Path("/sys")
        else:
            pytest.skip("no folder here refuses this user's writes")
    finally:
        folder.chmod(0o755)


def test_an_unwritable_folder_for_the_database(unwritable_folder, folder, capsys):
    target = unwritable_folder / "h.duckdb"
    assert main(["import", str(folder), "--db", str(target)]) == 2
    err = one_line(capsys)
    assert err == f"handoff: cannot write {target}: permission denied"


def test_an_unwritable_folder_for_out(unwritable_folder, db, capsys):
    target = unwritable_folder / "leads.csv"
    assert main(["leads", "--db", str(db), "--out", str(target)]) == 2
    assert one_line(capsys) == f"handoff: cannot write {target}: permission denied"


def test_out_in_a_missing_folder(db, tmp_path, capsys):
    target = tmp_path / "missing" / "leads.csv"
    assert main(["leads", "--db", str(db), "--out", str(target)]) == 2
    assert one_line(capsys) == f"handoff: cannot write {target}: its folder does not exist"


def test_a_read_only_database_file(db, folder, monkeypatch, capsys):
    """chmod 0444 stops every user but root; for root, DuckDB's own refusal is replayed."""
    db.chmod(0o444)
    if writes_anyway(db.parent) and os.geteuid() == 0:
        real_connect = duckdb.connect

        def refuse(path, read_only=False, **kwargs):
            if str(path) == str(db) and not read_only:
                raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Permission denied')
            return real_connect(path, read_only=read_only, **kwargs)

        monkeypatch.setattr(store_module.duckdb, "connect", refuse)
    try:
        assert main(["import", str(folder), "--db", str(db)]) == 2
        assert one_line(capsys) == f"handoff: cannot write {db}: permission denied"
        assert main(["metrics", "--db", str(db), "--json"]) == 0  # reading it is fine
        assert json.loads(capsys.readouterr().out)["overall"]["handoffs"] == 2
    finally:
        db.chmod(0o644)


def test_a_full_disk_during_an_import_changes_nothing(db, folder, monkeypatch, capsys):
    (folder / "leads.csv").write_text(LEADS + "L3,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar\n")

    def disk_full(self, table_name, *args, **kwargs):
        raise duckdb.IOException(f'IO Error: Could not write file "{db}.wal": No space left on device')

    monkeypatch.setattr(Store, "upsert", disk_full)
    assert main(["import", str(folder), "--db", str(db)]) == 2
    assert one_line(capsys) == f"handoff: disk full while writing {db}"
    monkeypatch.undo()
    assert leads_in(db) == 2


# -- Ctrl-C -------------------------------------------------------------------------------------------
def test_ctrl_c_during_an_import_loads_nothing(db, folder, monkeypatch, capsys):
    (folder / "leads.csv").write_text(LEADS + "L3,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar\n")
    real_upsert = Store.upsert
    calls = []

    def interrupted(self, table_name, *args, **kwargs):
        calls.append(table_name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_upsert(self, table_name, *args, **kwargs)

    monkeypatch.setattr(Store, "upsert", interrupted)
    assert main(["import", str(folder), "--db", str(db)]) == 2
    assert one_line(capsys) == "handoff: interrupted; nothing was loaded"
    monkeypatch.undo()
    assert leads_in(db) == 2


def stop_a_real_import(db, tmp_path, capsys, sig: signal.Signals) -> None:
    """Send `sig` in the middle of a real import, wherever it lands (Python or a DuckDB
    query): the import rolls back, says so in one line and exits 2."""
    big = tmp_path / "big"
    assert main(["generate", "--out", str(big), "--leads", "10000", "--format", "csv"]) == 0
    capsys.readouterr()
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from handoff.cli import main; sys.exit(main(sys.argv[1:]))",
         "import", str(big), "--db", str(db)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert child.stderr.readline().startswith("[0/")
    child.send_signal(sig)
    out, err = child.communicate(timeout=60)
    lines = [line for line in err.splitlines() if not line.startswith("[")]
    assert child.returncode == 2 and lines == ["handoff: interrupted; nothing was loaded"], (out, err)
    assert leads_in(db) == 2


def test_a_real_ctrl_c_during_an_import(db, tmp_path, capsys):
    stop_a_real_import(db, tmp_path, capsys, signal.SIGINT)


def test_sigterm_during_an_import_is_handled_like_ctrl_c(db, tmp_path, capsys):
    """A service manager stopping the import (SIGTERM) rolls it back and says so, exit 2."""
    stop_a_real_import(db, tmp_path, capsys, signal.SIGTERM)


def test_the_sigterm_handler_is_put_back_after_a_command(db, folder, capsys):
    before = signal.getsignal(signal.SIGTERM)
    assert main(["import", str(folder), "--db", str(db)]) == 0
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.fixture
def terminal_ctrl_c():
    """Ctrl-C handled as in a terminal (a test runner may start with SIGINT ignored)."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


def test_ctrl_c_during_a_duckdb_query(db, folder, monkeypatch, capsys, terminal_ctrl_c):
    """DuckDB answers Ctrl-C during a query with an error of its own, not KeyboardInterrupt."""
    (folder / "leads.csv").write_text(LEADS + "L3,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar\n")

    def long_query(self, table_name, *args, **kwargs):
        self.con.register("_batch", pd.DataFrame({"x": [1]}))
        try:
            threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
            self.con.execute("SELECT count(*) FROM range(500000000) WHERE range % 7 = 3").fetchall()
        finally:
            self.con.unregister("_batch")  # a statement after the interrupt, as upsert's cleanup

    monkeypatch.setattr(Store, "upsert", long_query)
    assert main(["import", str(folder), "--db", str(db)]) == 2
    assert one_line(capsys) == "handoff: interrupted; nothing was loaded"
    monkeypatch.undo()
    assert leads_in(db) == 2


def test_ctrl_c_while_writing_leaves_the_old_output(db, tmp_path, monkeypatch, capsys):
    out = tmp_path / "leads.csv"
    out.write_text("the previous export\n")

    def interrupted(self, path=None, **kwargs):
        Path(path).write_text("lead_id,")
        raise KeyboardInterrupt

    monkeypatch.setattr(pd.DataFrame, "to_csv", interrupted)
    assert main(["leads", "--db", str(db), "--out", str(out)]) == 2
    assert one_line(capsys) == "handoff: interrupted; nothing was changed"
    assert out.read_text() == "the previous export\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_ctrl_c_during_metrics(db, monkeypatch, capsys):
    from handoff.commands import metrics

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(metrics, "metrics_report", interrupted)
    assert main(["metrics", "--db", str(db)]) == 2
    assert one_line(capsys) == "handoff: interrupted; nothing was changed"


# -- the classification itself ----------------------------------------------------------------------
@pytest.mark.parametrize("message, kind, words", [
    ('IO Error: Could not set lock on file "h.duckdb": Conflicting lock is held in python (PID 7)',
     StoreBusy, "in use by another process"),
    ('IO Error: The file "h.duckdb" exists, but it is not a valid DuckDB database file!',
     StoreError, "is not a DuckDB database"),
    ('IO Error: Could not read from file "h.duckdb": Is a directory', StoreError, "is a folder"),
    ('IO Error: Cannot open file "h.duckdb": Permission denied', StoreError, "cannot write h.duckdb: permission denied"),
    ('IO Error: Could not write file "h.duckdb.wal": No space left on device', StoreError, "disk full while writing"),
])
def test_open_error_tells_the_causes_apart(message, kind, words):
    error = open_error(duckdb.IOException(message), "h.duckdb")
    assert type(error) is kind and words in str(error)


# -- no handoffs ----------------------------------------------------------------------------------------
@pytest.fixture(params=["no mql_at", "no leads"])
def no_handoffs(request, tmp_path: Path) -> Path:
    d = tmp_path / "none"
    d.mkdir()
    rows = "L1,2026-06-02T13:00:00Z,\n" if request.param == "no mql_at" else ""
    (d / "leads.csv").write_text("lead_id,created_at,mql_at\n" + rows)
    return d


def test_metrics_without_handoffs_says_so(no_handoffs, capsys):
    assert main(["metrics", "--data", str(no_handoffs)]) == 0
    out = capsys.readouterr().out
    assert "no handoffs" in out and ("mql_at" in out or "no leads" in out)


def test_metrics_json_without_handoffs_has_empty_tables(no_handoffs, capsys):
    assert main(["metrics", "--data", str(no_handoffs), "--json"]) == 0
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["overall"] == {} and report["by_tier"] == [] and report["by_week"] == []
    assert "no handoffs" in captured.err


def test_leads_without_handoffs_is_just_the_header(no_handoffs, tmp_path, capsys):
    assert main(["leads", "--data", str(no_handoffs)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("lead_id,owner_id,tier,mql_at")
    out = tmp_path / "leads.csv"
    assert main(["leads", "--data", str(no_handoffs), "--out", str(out)]) == 0
    frame = pd.read_csv(out)
    assert frame.empty and list(frame.columns)[:3] == ["lead_id", "owner_id", "tier"]


def test_an_import_without_handoffs_says_so_loudly(no_handoffs, tmp_path, capsys):
    assert main(["import", str(no_handoffs), "--db", str(tmp_path / "h.duckdb")]) == 0
    out = capsys.readouterr().out
    notes = [line for line in out.splitlines() if "0 handoffs" in line]
    assert len(notes) == 1 and "mql_at" in notes[0]
