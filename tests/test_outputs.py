"""Files the commands write: never over one of their inputs, never half written, never a formula."""

from __future__ import annotations

import csv
import errno
import io
import os
from pathlib import Path

import pandas as pd
import pytest

from handoff.cli import main
from handoff.store import Store

LEADS = """lead_id,created_at,mql_at,owner_id,source
L1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Demo request
L2,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar
L3,2026-06-02T13:00:00Z,soon,r1,Webinar
"""
FORMULAS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder whose import loads two leads and rejects one (L3's mql_at)."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "reps.csv").write_text("rep_id,name,team,timezone,country\nr1,Ann,East,America/New_York,US\n")
    (d / "leads.csv").write_text(LEADS)
    return d


@pytest.fixture
def db(folder: Path, tmp_path: Path, capsys) -> Path:
    path = tmp_path / "h.duckdb"
    assert main(["import", str(folder), "--db", str(path), "--rejects", str(tmp_path / "r.csv")]) == 1
    capsys.readouterr()
    return path


def leads_in(path: Path) -> int:
    with Store(path) as store:
        return store.counts()["leads"]


def refused(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "input" in err, err
    return err


# -- no command writes over one of its own inputs ---------------------------------------------
def test_leads_out_never_replaces_the_database(db, tmp_path, capsys):
    assert main(["leads", "--db", str(db), "--out", str(db)]) == 2
    refused(capsys)
    assert leads_in(db) == 2


@pytest.mark.parametrize("link", [os.symlink, os.link], ids=["symlink", "hard link"])
def test_leads_out_never_replaces_the_database_through_a_link(db, tmp_path, capsys, link):
    other = tmp_path / "other.duckdb"
    link(db, other)
    assert main(["leads", "--db", str(other), "--out", str(db)]) == 2
    refused(capsys)
    assert main(["leads", "--db", str(db), "--out", str(other)]) == 2
    refused(capsys)
    assert leads_in(db) == 2


def test_leads_out_never_replaces_a_data_file_or_the_policy(folder, tmp_path, capsys):
    before = (folder / "leads.csv").read_text()
    assert main(["leads", "--data", str(folder), "--out", str(folder / "leads.csv")]) == 2
    refused(capsys)
    assert main(["leads", "--data", str(folder / "." / ".." / "in"), "--out", str(folder / "reps.csv")]) == 2
    refused(capsys)
    policy = tmp_path / "policy.toml"
    policy.write_text('timezone = "UTC"\n')
    assert main(["leads", "--data", str(folder), "--config", str(policy), "--out", str(policy)]) == 2
    refused(capsys)
    assert (folder / "leads.csv").read_text() == before and policy.read_text() == 'timezone = "UTC"\n'


def test_leads_out_never_replaces_the_default_database(db, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    os.replace(db, tmp_path / "handoff.duckdb")
    assert main(["leads", "--out", "handoff.duckdb"]) == 2
    refused(capsys)
    assert leads_in(tmp_path / "handoff.duckdb") == 2


def test_import_rejects_never_replace_a_source_the_database_or_the_policy(folder, tmp_path, capsys):
    db = tmp_path / "h.duckdb"
    policy = tmp_path / "policy.toml"
    policy.write_text('timezone = "UTC"\n')
    before = (folder / "leads.csv").read_text()
    for target in (folder / "leads.csv", db, policy):
        code = main(["import", str(folder), "--db", str(db), "--config", str(policy), "--rejects", str(target)])
        assert code == 2, target
        refused(capsys)
    assert (folder / "leads.csv").read_text() == before and policy.read_text() == 'timezone = "UTC"\n'
    assert main(["import", str(folder), "--db", str(folder / "leads.csv")]) == 2
    refused(capsys)
    assert (folder / "leads.csv").read_text() == before


# -- written to a temporary file, then renamed ----------------------------------------------------
def no_temporary_files(folder: Path) -> bool:
    return not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_a_failed_leads_write_leaves_the_old_file(db, tmp_path, monkeypatch, capsys):
    out = tmp_path / "leads.csv"
    out.write_text("the previous export\n")

    def half_then_full_disk(self, path=None, **kwargs):
        Path(path).write_text("lead_id,own")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(pd.DataFrame, "to_csv", half_then_full_disk)
    assert main(["leads", "--db", str(db), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"handoff: disk full while writing {out}"
    assert out.read_text() == "the previous export\n"
    assert no_temporary_files(tmp_path)


def test_a_failed_rejects_write_leaves_the_old_file(folder, tmp_path, monkeypatch, capsys):
    rejects = tmp_path / "rejects.csv"
    rejects.write_text("the previous rejects\n")
    real_writer = csv.writer

    class HalfWriter:
        def __init__(self, fh, *args, **kwargs):
            self.inner = real_writer(fh, *args, **kwargs)

        def writerow(self, row):
            self.inner.writerow(row)

        def writerows(self, rows):
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(csv, "writer", HalfWriter)
    db = tmp_path / "h.duckdb"
    assert main(["import", str(folder), "--db", str(db), "--rejects", str(rejects)]) == 1
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert err.startswith(f"handoff: disk full while writing {rejects}") and "loaded" in err
    assert rejects.read_text() == "the previous rejects\n"
    assert no_temporary_files(tmp_path)
    assert leads_in(db) == 2


def test_outputs_keep_the_usual_file_mode(db, tmp_path):
    out = tmp_path / "leads.csv"
    assert main(["leads", "--db", str(db), "--out", str(out)]) == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


# -- formula guard ------------------------------------------------------------------------------
def hostile_leads(monkeypatch) -> None:
    """`Model.leads` answers rows whose text starts with each formula character."""
    from handoff.model import Model

    frame = pd.DataFrame({
        "lead_id": [f"L{i}" for i in range(len(FORMULAS))],
        "owner_id": FORMULAS,
        "disposition": FORMULAS[::-1],
        "response_minutes": [-5.5] * len(FORMULAS),
        "mql_at": pd.Timestamp("2026-06-02T14:00:00Z"),
    })
    monkeypatch.setattr(Model, "leads", lambda self, **options: frame)


def read_csv_text(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_csv_file(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def assert_guarded(rows: list[dict]) -> None:
    assert [r["owner_id"] for r in rows] == ["'" + v for v in FORMULAS]
    assert [r["disposition"] for r in rows] == ["'" + v for v in FORMULAS[::-1]]
    assert {r["response_minutes"] for r in rows} == {"-5.5"}  # a number stays a number
    assert {r["mql_at"] for r in rows} == {"2026-06-02T14:00:00Z"}


def test_leads_out_csv_is_formula_guarded(db, tmp_path, monkeypatch):
    hostile_leads(monkeypatch)
    out = tmp_path / "leads.csv"
    assert main(["leads", "--db", str(db), "--out", str(out)]) == 0
    assert_guarded(read_csv_file(out))


def test_leads_on_stdout_is_formula_guarded(db, monkeypatch, capsys):
    hostile_leads(monkeypatch)
    assert main(["leads", "--db", str(db)]) == 0
    assert_guarded(read_csv_text(capsys.readouterr().out))


def test_leads_from_real_data_are_formula_guarded(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    rows = ["lead_id,created_at,mql_at,owner_id"]
    for i, value in enumerate(FORMULAS[:4]):
        rows.append(f'"{value.replace(chr(34), 2 * chr(34))}",2026-06-02T13:00:00Z,2026-06-02T14:0{i}:00Z,"r{i}"')
    (d / "leads.csv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "leads.csv"
    assert main(["leads", "--data", str(d), "--out", str(out)]) == 0
    assert [r["lead_id"] for r in read_csv_file(out)] == ["'" + v for v in FORMULAS[:4]]


def test_the_rejects_file_is_formula_guarded(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    with (d / "leads.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["lead_id", "created_at", "mql_at"])
        for i, value in enumerate(FORMULAS):
            writer.writerow([f"L{i}", "2026-06-02T13:00:00Z", value])
    rejects = tmp_path / "rejects.csv"
    assert main(["import", str(d), "--db", str(tmp_path / "h.duckdb"), "--rejects", str(rejects)]) == 1
    rows = read_csv_file(rejects)
    assert [r["value"] for r in rows] == ["'" + v for v in FORMULAS]
    assert [r["line"] for r in rows] == ["2", "3", "4", "5", "6", "7"]


def test_the_apps_csv_downloads_are_formula_guarded():
    from handoff.ui.format import csv_bytes

    frame = pd.DataFrame({"owner_id": FORMULAS, "sla_minutes_left": [-3.0] * len(FORMULAS)})
    rows = read_csv_text(csv_bytes(frame).decode("utf-8"))
    owner, minutes_left = list(rows[0])  # the downloads carry headers for people
    assert [r[owner] for r in rows] == ["'" + v for v in FORMULAS]
    assert {r[minutes_left] for r in rows} == {"-3.0"}  # a negative number is a number, not a formula
