"""File import: each kind of bad row gives its reason, good rows load, re-import changes nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from handoff.policy import Policy
from handoff.sources.files import ImportError_, import_dir
from handoff.store import Store


def write(folder: Path, name: str, text: str, bom: bool = False) -> None:
    data = text.strip().encode("utf-8") + b"\n"
    (folder / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


@pytest.fixture
def messy(tmp_path: Path) -> Path:
    write(tmp_path, "reps.csv", """
rep_id,name,team,timezone,country
r1,Ann,East,America/New_York,US
r2,Bob,West,Mars/Olympus,US
r3,Cy,UK,Europe/London,XX
""", bom=True)
    write(tmp_path, "leads.csv", """
lead_id,created_at,mql_at,owner_id,source,tier,disposition,score,custom_note
L1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Demo request,,qualified,10,keep me
L2,2026-06-02T13:00:00Z,2026-06-02 10:00,r1,Webinar,,WRONG_PERSONA,,
L3,yesterday,2026-06-02T14:00:00Z,r1,Webinar,,,,
L4,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar,urgent,,,
L1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Demo request,,,,
,2026-06-02T13:00:00Z,,,,,,,
L5,2026-06-02T13:00:00Z,2026-03-08T02:30:00,r1,Webinar,,Maybe,abc,
""")
    write(tmp_path, "activities.csv", """
activity_id,lead_id,type,direction,occurred_at,is_automated
a1,L1,call,outbound,2026-06-02T14:03:00Z,false
a2,L404,call,outbound,2026-06-02T14:03:00Z,false
a3,L1,fax,outbound,2026-06-02T14:03:00Z,maybe
a4,L2,email,sideways,,no
""")
    return tmp_path


def reasons(store: Store) -> set[tuple]:
    return {tuple(r) for r in store.con.execute('SELECT file, line, "column", reason FROM rejects').fetchall()}


def test_each_bad_row_has_its_reason_and_good_rows_load(messy, tmp_path):
    store = Store()
    report = import_dir(store, messy, Policy(timezone="America/New_York"), rejects_path=tmp_path / "rejects.csv")
    got = reasons(store)
    expected = {
        ("reps.csv", 3, "timezone", "unknown IANA timezone"),
        ("reps.csv", 4, "country", "unknown ISO 3166 alpha-2 country code"),
        ("leads.csv", 4, "created_at", "unparseable timestamp (use ISO 8601)"),
        ("leads.csv", 5, "tier", "unknown value (expected one of: high, medium, low)"),
        ("leads.csv", 6, "lead_id", "duplicate id (first on line 2)"),
        ("leads.csv", 7, "lead_id", "missing required value"),
        ("leads.csv", 8, "mql_at", "local time does not exist in America/New_York (daylight-saving gap)"),
        ("leads.csv", 8, "disposition", "unknown disposition (expected one of: Qualified, Wrong Persona, Wrong Timing, Bad Fit, Unresponsive)"),
        ("leads.csv", 8, "score", "not a number"),
        ("activities.csv", 3, "lead_id", "unknown lead"),
        ("activities.csv", 4, "type", "unknown value (expected one of: call, email, meeting, sms, linkedin, other)"),
        ("activities.csv", 4, "is_automated", "not a boolean (use true or false)"),
        ("activities.csv", 5, "direction", "unknown value (expected one of: outbound, inbound)"),
        ("activities.csv", 5, "occurred_at", "missing required value"),
    }
    assert got == expected
    assert store.counts() == {"reps": 1, "leads": 2, "activities": 1, "meetings": 0, "opportunities": 0, "owner_changes": 0}
    assert [(f.file, f.rows, f.added, f.rejected) for f in report.files] == [
        ("reps.csv", 3, 1, 2), ("leads.csv", 7, 2, 5), ("activities.csv", 4, 1, 3)]
    assert report.exit_code == 1
    # the rejects file has every problem with file, line, column and reason
    with open(tmp_path / "rejects.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(expected) and rows[0].keys() >= {"file", "line", "column", "reason", "value"}


def test_values_are_parsed_and_normalised(messy):
    store = Store()
    report = import_dir(store, messy, Policy(timezone="America/New_York"))
    rows = dict(store.con.execute("SELECT lead_id, mql_at FROM leads").fetchall())
    # the BOM'd reps file read its first column; a naive time is company-local (EDT, UTC-4)
    assert store.con.execute("SELECT rep_id FROM reps").fetchall() == [("r1",)]
    assert pd.Timestamp(rows["L2"]) == pd.Timestamp("2026-06-02T14:00:00Z")
    assert any("without an offset" in n for n in report.notes)
    disp = dict(store.con.execute("SELECT lead_id, disposition FROM leads").fetchall())
    assert disp == {"L1": "Qualified", "L2": "Wrong Persona"}
    extra = store.con.execute("SELECT extra->>'custom_note' FROM leads WHERE lead_id = 'L1'").fetchall()
    assert extra == [("keep me",)]


def test_reimport_changes_nothing(messy):
    store = Store()
    import_dir(store, messy)
    before = {t: store.con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("reps", "leads", "activities")}
    again = import_dir(store, messy)
    after = {t: store.con.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in ("reps", "leads", "activities")}
    assert before == after
    assert sum(f.added + f.changed for f in again.files) == 0


def test_fatal_error_leaves_store_unchanged(messy, tmp_path):
    path = tmp_path / "store.duckdb"
    with Store(path) as store:
        import_dir(store, messy)
    bad = tmp_path / "bad"
    bad.mkdir()
    write(bad, "leads.csv", "lead_id,created_at\nL9,2026-06-02T13:00:00Z")
    (bad / "activities.csv").write_bytes(b"activity_id,lead_id,occurred_at\nx1,L9,\xff\xfe2026\n")
    with Store(path) as store:
        with pytest.raises(ImportError_, match="activities.csv"):
            import_dir(store, bad)
        assert store.con.execute("SELECT count(*) FROM leads WHERE lead_id = 'L9'").fetchall() == [(0,)]
    write(bad, "activities.csv", "activity_id,occurred_at\nx1,2026-06-02T13:00:00Z")
    with Store(path) as store:
        with pytest.raises(ImportError_, match="missing required column.*lead_id"):
            import_dir(store, bad)
        assert store.counts()["leads"] == 2


def test_parquet_with_typed_columns(tmp_path):
    pd.DataFrame({
        "lead_id": ["P1"], "created_at": [pd.Timestamp("2026-06-02T13:00:00Z")],
        "mql_at": [pd.Timestamp("2026-06-02T14:00:00Z")], "score": [3.5],
    }).to_parquet(tmp_path / "leads.parquet")
    pd.DataFrame({
        "activity_id": ["x"], "lead_id": ["P1"], "occurred_at": [pd.Timestamp("2026-06-02T14:01:00Z")],
        "is_automated": [True],
    }).to_parquet(tmp_path / "activities.parquet")
    store = Store()
    report = import_dir(store, tmp_path)
    assert report.rejected == 0
    assert store.con.execute("SELECT mql_at, score FROM leads").fetchall()[0][1] == 3.5
    assert store.con.execute("SELECT is_automated FROM activities").fetchall() == [(True,)]


def test_folder_without_data_is_an_error(tmp_path):
    with pytest.raises(ImportError_, match="no data files"):
        import_dir(Store(), tmp_path)


def test_parquet_naive_timestamps_are_company_local(tmp_path):
    # A naive Parquet TIMESTAMP is read in the company timezone, like a naive CSV value
    # (Parquet rows are numbered from 1, there is no header line):
    # 10:00 in New York on 2026-06-02 (EDT, UTC-4) is 14:00Z; 02:30 on 2026-03-08 does not exist.
    pd.DataFrame({
        "lead_id": ["N1", "N2"],
        "created_at": [pd.Timestamp("2026-06-02 10:00"), pd.Timestamp("2026-03-08 02:30")],
    }).to_parquet(tmp_path / "leads.parquet")
    store = Store()
    report = import_dir(store, tmp_path, Policy(timezone="America/New_York"))
    assert store.con.execute("SELECT lead_id, created_at FROM leads").fetchall()[0][1] == pd.Timestamp("2026-06-02T14:00:00Z")
    assert reasons(store) == {("leads.parquet", 2, "created_at", "local time does not exist in America/New_York (daylight-saving gap)")}
    assert report.files[0].naive_timestamps == 2


def test_upsert_of_a_batch_keeps_the_last_row_of_each_id():
    store = Store()
    result = store.upsert("leads", pd.DataFrame({
        "lead_id": ["a", "b", "a"], "created_at": ["2026-01-01T00:00:00Z"] * 3, "source": ["x", "y", "z"],
    }))
    assert (result.added, result.changed) == (2, 0)
    assert dict(store.con.execute("SELECT lead_id, source FROM leads").fetchall()) == {"a": "z", "b": "y"}
    again = store.upsert("leads", pd.DataFrame({"lead_id": ["a", "b"], "created_at": ["2026-01-01T00:00:00Z"] * 2,
                                                "source": ["z", "changed"]}))
    assert (again.added, again.changed) == (0, 1)
