"""The file import against hostile and careless files: headers that try SQL, partial and
renamed files, absurd values, malformed rows. Nothing outside the store may change, and
every bad row is rejected with its line and the real reason while the good rows load."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd
import pytest

from handoff.cli import main
from handoff.policy import Policy
from handoff.sources.files import ImportError_, import_dir
from handoff.store import Store

GOOD_LEAD = "L1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z"
HOSTILE_HEADERS = [
    '"x"" := 1)) as extra from good; copy (select 42 as v) to \'pwned.csv\'; --"',
    "\"read_text('/etc/hostname')\"",
    '"a""b"',
    "extra",
    "_line",
    '"x""); DROP TABLE leads; --"',
    "\"'); copy (select 1) to 'pwned2.csv' (format csv); --\"",
]


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.write_bytes(text.strip().encode(encoding) + b"\n")
    return path


def rejects(store: Store) -> dict[tuple[str, int], tuple[str, str]]:
    rows = store.con.execute('SELECT file, line, "column", reason FROM rejects').fetchall()
    return {(f, line): (col, reason) for f, line, col, reason in rows}


def files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    header = "lead_id,created_at,mql_at," + ",".join(HOSTILE_HEADERS)
    values = ",".join(f"v{i}" for i in range(len(HOSTILE_HEADERS)))
    write(data, "leads.csv", f"{header}\n{GOOD_LEAD},{values}")
    return data


def test_hostile_headers_create_no_file_and_land_in_extra(hostile, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    before = files_under(tmp_path)
    store = Store()
    report = import_dir(store, hostile)
    assert report.rejected == 0
    assert files_under(tmp_path) == before  # no pwned.csv anywhere, nothing else written
    extra = store.con.execute("SELECT extra FROM leads").fetchall()[0][0]
    parsed = json.loads(extra)
    # every hostile header is a plain key of `extra`, holding its own value
    assert parsed == {h.strip('"').replace('""', '"'): f"v{i}" for i, h in enumerate(HOSTILE_HEADERS)}
    assert store.counts()["leads"] == 1


def test_hostile_headers_through_the_command_line(hostile, tmp_path, monkeypatch):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    assert main(["import", str(hostile), "--db", str(work / "h.duckdb")]) == 0
    assert sorted(os.listdir(work)) == ["h.duckdb"]
    assert sorted(os.listdir(hostile)) == ["leads.csv"]


def test_hostile_parquet_column_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    frame = pd.DataFrame({"lead_id": ["P1"], "created_at": ["2026-06-02T13:00:00Z"]})
    for i, name in enumerate(HOSTILE_HEADERS):
        frame[name.strip('"').replace('""', '"')] = f"v{i}"
    data = tmp_path / "data"
    data.mkdir()
    frame.to_parquet(data / "leads.parquet")
    before = files_under(tmp_path)
    store = Store()
    assert import_dir(store, data).rejected == 0
    assert files_under(tmp_path) == before
    assert store.con.execute("SELECT extra->>'extra' FROM leads").fetchall() == [("v3",)]


def test_a_plain_quote_in_a_header_does_not_crash(tmp_path):
    write(tmp_path, "leads.csv", f'lead_id,created_at,mql_at,"say ""hi"""\n{GOOD_LEAD},hello')
    store = Store()
    import_dir(store, tmp_path)
    extra = store.con.execute("SELECT extra FROM leads").fetchall()[0][0]
    assert json.loads(extra) == {'say "hi"': "hello"}


def test_connector_frames_with_hostile_column_names_go_to_extra(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    store = Store()
    frame = pd.DataFrame({"lead_id": ["C1"], "created_at": ["2026-06-02T13:00:00Z"],
                          HOSTILE_HEADERS[0]: ["boom"]})
    store.upsert("leads", frame)
    assert os.listdir(tmp_path) == []
    assert json.loads(store.con.execute("SELECT extra FROM leads").fetchall()[0][0]) == {HOSTILE_HEADERS[0]: "boom"}


# -- partial and renamed files -----------------------------------------------------------

FULL = """
lead_id,created_at,mql_at,owner_id,source,disposition,company,note
L1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Demo request,Qualified,Acme,first
L2,2026-06-02T13:00:00Z,2026-06-02T15:00:00Z,r2,Webinar,Bad Fit,Beta,second
"""


def test_a_narrower_reimport_keeps_the_columns_it_does_not_carry(tmp_path):
    full, narrow = tmp_path / "full", tmp_path / "narrow"
    full.mkdir(), narrow.mkdir()
    write(full, "leads.csv", FULL)
    # L1 gets a new MQL time; L2 is the same; L3 is new; no owner, source, disposition, note
    write(narrow, "leads.csv", """
lead_id,created_at,mql_at
L1,2026-06-02T13:00:00Z,2026-06-02T16:00:00Z
L2,2026-06-02T13:00:00Z,2026-06-02T15:00:00Z
L3,2026-06-02T13:00:00Z,2026-06-02T17:00:00Z
""")
    store = Store()
    import_dir(store, full)
    report = import_dir(store, narrow)
    assert (report.files[0].added, report.files[0].changed) == (1, 1)
    rows = store.con.execute(
        "SELECT lead_id, owner_id, source, disposition, company, extra->>'note', hour(mql_at) FROM leads ORDER BY 1"
    ).fetchall()
    assert rows == [
        ("L1", "r1", "Demo request", "Qualified", "Acme", "first", 16),
        ("L2", "r2", "Webinar", "Bad Fit", "Beta", "second", 15),
        ("L3", None, None, None, None, None, 17),
    ]


def test_an_empty_value_in_a_carried_column_does_blank_it(tmp_path):
    write(tmp_path, "leads.csv", FULL)
    store = Store()
    import_dir(store, tmp_path)
    write(tmp_path, "leads.csv", "lead_id,created_at,owner_id,note\nL1,2026-06-02T13:00:00Z,,")
    import_dir(store, tmp_path)
    assert store.con.execute(
        "SELECT owner_id, extra->>'note', source FROM leads WHERE lead_id = 'L1'").fetchall() == [(None, None, "Demo request")]


@pytest.mark.parametrize("header, canonical", [
    ("MQL Date", "mql_at"),
    ("mql_date", "mql_at"),
    ("Lead ID", "lead_id"),
    ("CreateDate", "created_at"),
    ("Owner", "owner_id"),
    ("Date MQL", "mql_at"),
    ("MQL Date (UTC)", "mql_at"),
    ("mql_at_utc", "mql_at"),
])
def test_renamed_canonical_headers_stop_the_import(tmp_path, header, canonical):
    columns = {"lead_id": "L1", "created_at": "2026-06-02T13:00:00Z", "mql_at": "2026-06-02T14:00:00Z",
               "owner_id": "r1"}
    columns[header] = columns.pop(canonical)
    write(tmp_path, "leads.csv", ",".join(columns) + "\n" + ",".join(columns.values()))
    store = Store()
    with pytest.raises(ImportError_, match=re.escape(f"'{header}' looks like {canonical}")):
        import_dir(store, tmp_path)
    assert store.counts()["leads"] == 0


def test_unrelated_extra_columns_are_not_taken_for_renamed_ones(tmp_path):
    write(tmp_path, "leads.csv", "lead_id,created_at,mql_at,mql_score,lead_source_detail,region\n"
                                 f"{GOOD_LEAD},7,web,EMEA")
    assert import_dir(Store(), tmp_path).rejected == 0


def test_a_file_without_handoffs_says_so(tmp_path):
    write(tmp_path, "leads.csv", "lead_id,created_at\nL1,2026-06-02T13:00:00Z")
    report = import_dir(Store(), tmp_path)
    assert report.handoffs == 0
    assert any("0 handoffs" in note for note in report.notes)
    assert "0 handoffs" in report.format()


# -- implausible values -------------------------------------------------------------------

@pytest.mark.parametrize("value", ["2999-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
                                   "1999-12-31T23:59:59Z", "infinity", "-infinity"])
def test_absurd_timestamps_are_rejected(tmp_path, value):
    write(tmp_path, "leads.csv", f"lead_id,created_at,mql_at\n{GOOD_LEAD}\nL2,2026-06-02T13:00:00Z,{value}")
    store = Store()
    report = import_dir(store, tmp_path)
    assert report.rejected == 1
    column, reason = rejects(store)[("leads.csv", 3)]
    assert column == "mql_at"
    assert reason.startswith("implausible timestamp") or reason.startswith("unparseable")
    # the data's latest event, which sets as_of by default, stays the good lead's
    assert store.con.execute("SELECT max(mql_at) FROM leads").fetchall()[0][0] == pd.Timestamp("2026-06-02T14:00:00Z")


def test_typed_parquet_timestamps_are_bounded_too(tmp_path):
    pd.DataFrame({
        "lead_id": ["P1", "P2"],
        "created_at": [pd.Timestamp("2026-06-02T13:00:00Z"), pd.Timestamp("2999-06-02T13:00:00Z")],
    }).to_parquet(tmp_path / "leads.parquet")
    store = Store()
    import_dir(store, tmp_path)
    assert rejects(store)[("leads.parquet", 2)][1].startswith("implausible timestamp")  # rows count from 1


def test_the_policy_sets_the_plausible_range(tmp_path):
    write(tmp_path, "leads.csv", "lead_id,created_at\nL1,2019-06-02T13:00:00Z\nL2,2021-06-02T13:00:00Z")
    store = Store()
    import_dir(store, tmp_path, Policy.model_validate({"valid_from": "2020-01-01"}))
    assert set(rejects(store)) == {("leads.csv", 2)}


def test_a_meeting_may_be_scheduled_in_the_future_but_not_in_3026(tmp_path):
    write(tmp_path, "leads.csv", f"lead_id,created_at,mql_at\n{GOOD_LEAD}")
    next_year = pd.Timestamp.now(tz="UTC") + pd.Timedelta(days=365)
    write(tmp_path, "meetings.csv", f"""
meeting_id,lead_id,booked_at,scheduled_for
m1,L1,2026-06-02T14:10:00Z,{next_year.isoformat()}
m2,L1,2026-06-02T14:10:00Z,3026-06-03T14:00:00Z
""")
    store = Store()
    import_dir(store, tmp_path)
    assert set(rejects(store)) == {("meetings.csv", 3)}


@pytest.mark.parametrize("amount, reason", [
    ("nan", "not a finite number"), ("NaN", "not a finite number"), ("inf", "not a finite number"),
    ("-Infinity", "not a finite number"), ("-5", "must be at least 0"), ("abc", "not a number"),
])
def test_amounts_must_be_finite_and_not_negative(tmp_path, amount, reason):
    write(tmp_path, "leads.csv", f"lead_id,created_at,mql_at\n{GOOD_LEAD}")
    write(tmp_path, "opportunities.csv", f"""
opportunity_id,lead_id,created_at,amount
o1,L1,2026-06-03T10:00:00Z,1000
o2,L1,2026-06-03T10:00:00Z,{amount}
""")
    store = Store()
    import_dir(store, tmp_path)
    assert rejects(store) == {("opportunities.csv", 3): ("amount", reason)}
    assert store.con.execute("SELECT sum(amount) FROM opportunities").fetchall() == [(1000.0,)]


def test_implausibly_large_amounts_are_rejected(tmp_path):
    write(tmp_path, "leads.csv", f"lead_id,created_at,mql_at\n{GOOD_LEAD}")
    write(tmp_path, "opportunities.csv", """
opportunity_id,lead_id,created_at,amount
o1,L1,2026-06-03T10:00:00Z,999999999999
o2,L1,2026-06-03T10:00:00Z,1e300
""")
    store = Store()
    import_dir(store, tmp_path)
    assert rejects(store) == {("opportunities.csv", 3): ("amount", "implausibly large (over 1,000,000,000,000)")}


def test_non_finite_scores_are_rejected(tmp_path):
    write(tmp_path, "leads.csv", f"lead_id,created_at,mql_at,score\n{GOOD_LEAD},-3\nL2,2026-06-02T13:00:00Z,,NaN")
    store = Store()
    import_dir(store, tmp_path)
    assert rejects(store) == {("leads.csv", 3): ("score", "not a finite number")}


@pytest.mark.parametrize("bad_id", ["L\t2", "L\u200b2", "L\x002", "\ufeffL2", "L\u202e2"])
def test_ids_with_control_or_invisible_characters_are_rejected(tmp_path, bad_id):
    (tmp_path / "leads.csv").write_text(
        f'lead_id,created_at,mql_at\n{GOOD_LEAD}\n"{bad_id}",2026-06-02T13:00:00Z,\n', encoding="utf-8")
    store = Store()
    import_dir(store, tmp_path)
    column, reason = rejects(store)[("leads.csv", 3)]
    assert (column, reason.split(" (")[0]) == ("lead_id", "id contains control or invisible characters")
    assert store.con.execute("SELECT lead_id FROM leads").fetchall() == [("L1",)]


def test_owner_ids_with_invisible_characters_are_rejected(tmp_path):
    (tmp_path / "leads.csv").write_text(f"lead_id,created_at,mql_at,owner_id\n{GOOD_LEAD},r\u200b1\n", encoding="utf-8")
    store = Store()
    import_dir(store, tmp_path)
    assert rejects(store)[("leads.csv", 2)][0] == "owner_id"


# -- instants --------------------------------------------------------------------------------

def test_a_date_alone_is_midnight_in_the_company_timezone(tmp_path):
    # 2025-11-20 00:00 in Los Angeles (PST, UTC-8) is 08:00Z, not midnight UTC
    write(tmp_path, "leads.csv", "lead_id,created_at,mql_at\nL1,2025-11-20,2025-11-20")
    store = Store()
    report = import_dir(store, tmp_path, Policy(timezone="America/Los_Angeles"))
    assert report.rejected == 0
    assert store.con.execute("SELECT mql_at FROM leads").fetchall()[0][0] == pd.Timestamp("2025-11-20T08:00:00Z")
    assert report.files[0].naive_timestamps == 2


@pytest.mark.parametrize("value", ["2025-11-20T12:00:00 America/Los_Angeles", "2025-11-20 12:00 UTC",
                                   "2025-11-20T12:00:00 PST", "2025-11-20 Europe/London"])
def test_a_zone_name_is_rejected_not_ignored(tmp_path, value):
    write(tmp_path, "leads.csv", f"lead_id,created_at,mql_at\n{GOOD_LEAD}\nL2,2026-06-02T13:00:00Z,{value}")
    store = Store()
    import_dir(store, tmp_path)
    assert rejects(store)[("leads.csv", 3)] == (
        "mql_at", "time zone names are not read: write an offset such as -08:00, or Z")


@pytest.mark.parametrize("value", ["2025-11-20 12:00:00 AM", "2025-11-20T09:15 pm", "2025-11-20 12:00 a.m."])
def test_twelve_hour_times_are_rejected_with_their_own_reason(tmp_path, value):
    write(tmp_path, "leads.csv", f"lead_id,created_at,mql_at\n{GOOD_LEAD}\nL2,2026-06-02T13:00:00Z,{value}")
    store = Store()
    import_dir(store, tmp_path)
    assert rejects(store)[("leads.csv", 3)] == (
        "mql_at", "12-hour time (AM/PM) is not read: write 24-hour ISO 8601 such as 2026-01-05T00:00:00")


@pytest.mark.parametrize("value, expected", [
    ("2025-11-20T12:00:00Z", "2025-11-20T12:00:00Z"),
    ("2025-11-20T12:00:00+0530", "2025-11-20T06:30:00Z"),
    ("2025-11-20T12:00:00-08:00", "2025-11-20T20:00:00Z"),
    ("2025-11-20 12:00:00.250+00", "2025-11-20T12:00:00.25Z"),
    ("2025-11-20T12:00", "2025-11-20T12:00:00Z"),
])
def test_iso_forms_are_read_exactly(tmp_path, value, expected):
    write(tmp_path, "leads.csv", f"lead_id,created_at\nL1,{value}")
    store = Store()
    assert import_dir(store, tmp_path).rejected == 0
    assert store.con.execute("SELECT created_at FROM leads").fetchall()[0][0] == pd.Timestamp(expected)


# -- malformed rows ---------------------------------------------------------------------------

def test_malformed_rows_are_rejected_one_by_one_with_their_line(tmp_path):
    write(tmp_path, "leads.csv", f"""
lead_id,created_at,mql_at
{GOOD_LEAD}
L2,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,surplus
L3,2026-06-02T13:00:00Z
"L4,2026-06-02T13:00:00Z,x
L5,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z
L6,2026-06-02T13:00:00Z,"2026-06-02T14:00:00Z"tail
L7,2026-06-02T13:00:00Z,not a time
L8,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z
""")
    store = Store()
    report = import_dir(store, tmp_path)
    got = rejects(store)
    assert got[("leads.csv", 3)][1].startswith("extra field(s)")
    assert got[("leads.csv", 4)][1].startswith("missing field(s)")
    assert got[("leads.csv", 5)][1].startswith("bad quoting")
    assert got[("leads.csv", 8)] == ("mql_at", "unparseable timestamp (use ISO 8601)")
    # the unclosed quote of line 5 swallows line 6; later lines keep their numbers
    loaded = {r[0] for r in store.con.execute("SELECT lead_id FROM leads").fetchall()}
    assert {"L1", "L8"} <= loaded and not loaded & {"L2", "L3", "L7"}
    assert report.files[0].rows == report.files[0].added + report.files[0].rejected


def test_the_line_numbers_of_later_rejects_follow_the_malformed_rows(tmp_path):
    write(tmp_path, "leads.csv", """
lead_id,created_at
L1,2026-06-02T13:00:00Z,x
L2,2026-06-02T13:00:00Z
L3,2026-06-02T13:00:00Z,y
L4,2026-06-02T13:00:00Z
L5,yesterday
L1,2026-06-02T13:00:00Z
""")
    store = Store()
    import_dir(store, tmp_path)
    assert rejects(store) == {
        ("leads.csv", 2): (None, "extra field(s): the row has more values than the header"),
        ("leads.csv", 4): (None, "extra field(s): the row has more values than the header"),
        ("leads.csv", 6): ("created_at", "unparseable timestamp (use ISO 8601)"),
    }  # line 7 repeats L1, whose line 2 was rejected: it is the first good L1, not a duplicate
    assert sorted(r[0] for r in store.con.execute("SELECT lead_id FROM leads").fetchall()) == ["L1", "L2", "L4"]


def test_bytes_that_are_not_utf8_stop_the_import_naming_the_line(tmp_path):
    (tmp_path / "leads.csv").write_bytes(
        b"lead_id,created_at,company\nL1,2026-06-02T13:00:00Z,Acme\nL2,2026-06-02T13:00:00Z,Caf\xe9\n")
    store = Store()
    with pytest.raises(ImportError_, match=r"leads.csv: line 3 is not UTF-8 text"):
        import_dir(store, tmp_path)
    assert store.counts()["leads"] == 0


def test_a_header_that_is_not_utf8_names_the_cause(tmp_path):
    (tmp_path / "leads.csv").write_bytes("lead_id,created_at,Société\nL1,2026-06-02T13:00:00Z,x\n".encode("latin-1"))
    with pytest.raises(ImportError_, match="not UTF-8"):
        import_dir(Store(), tmp_path)


def test_an_overlong_line_is_rejected_with_its_cause(tmp_path):
    long = "x" * 1_100_000
    write(tmp_path, "leads.csv", f"lead_id,created_at,company\nL1,2026-06-02T13:00:00Z,{long}\nL2,2026-06-02T13:00:00Z,ok")
    store = Store()
    import_dir(store, tmp_path)
    assert rejects(store)[("leads.csv", 2)][1].startswith("line longer than")
    assert store.con.execute("SELECT lead_id FROM leads").fetchall() == [("L2",)]


def test_an_empty_file_names_the_cause(tmp_path):
    (tmp_path / "leads.csv").write_bytes(b"")
    with pytest.raises(ImportError_, match="empty"):
        import_dir(Store(), tmp_path)


def test_a_repeated_canonical_column_stops_the_import(tmp_path):
    write(tmp_path, "leads.csv", "lead_id,created_at,Lead_ID\nL1,2026-06-02T13:00:00Z,L2")
    with pytest.raises(ImportError_, match="lead_id appears twice"):
        import_dir(Store(), tmp_path)


def test_semicolon_separated_files_are_read(tmp_path):
    write(tmp_path, "leads.csv", "lead_id;created_at;mql_at\nL1;2026-06-02T13:00:00Z;2026-06-02T14:00:00Z")
    store = Store()
    assert import_dir(store, tmp_path).rejected == 0
    assert store.counts()["leads"] == 1


def test_quoted_headers_are_read(tmp_path):
    write(tmp_path, "leads.csv", '"lead_id","created_at","mql_at","Company; Inc"\n"L1","2026-06-02T13:00:00Z",,"Acme"')
    store = Store()
    assert import_dir(store, tmp_path).rejected == 0
    assert store.con.execute("SELECT lead_id, extra->>'Company; Inc' FROM leads").fetchall() == [("L1", "Acme")]


def test_generated_csv_files_import_cleanly(tmp_path):
    from handoff.sources.generator import generate

    counts = generate(tmp_path, leads=300, seed=3, fmt="csv")
    store = Store()
    report = import_dir(store, tmp_path)
    assert report.rejected == 0, report.format()
    assert store.counts()["leads"] == counts["leads"]


# -- files that are not what their name says ------------------------------------------

@pytest.mark.parametrize("endings", [
    [b"\r\n", b"\n", b"\r\n", b"\n"],
    [b"\n", b"\r\n", b"\n", b"\r\n"],
    [b"\n", b"\r", b"\n", b"\r"],
    [b"\r", b"\r\n", b"\r", b"\n"],
])
def test_mixed_line_endings_are_read_with_their_lines(tmp_path, endings):
    rows = [b"lead_id,created_at,mql_at", b"L1,2026-06-02T13:00:00Z,", b"L2,not a date,",
            b"L3,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z"]
    (tmp_path / "leads.csv").write_bytes(b"".join(r + e for r, e in zip(rows, endings, strict=True)))
    store = Store()
    report = import_dir(store, tmp_path)
    assert store.con.execute("SELECT lead_id FROM leads ORDER BY 1").fetchall() == [("L1",), ("L3",)]
    assert report.rejected == 1
    assert rejects(store) == {("leads.csv", 3): ("created_at", "unparseable timestamp (use ISO 8601)")}
    assert not list(tmp_path.glob("handoff-*.csv"))


def test_a_parquet_column_named_file_row_number_is_an_extra(tmp_path):
    pd.DataFrame({"lead_id": ["L1", "L2"], "created_at": ["2026-06-02T13:00:00Z", "nope"],
                  "file_row_number": [7, 8]}).to_parquet(tmp_path / "leads.parquet")
    store = Store()
    report = import_dir(store, tmp_path)
    assert rejects(store) == {("leads.parquet", 3): ("created_at", "unparseable timestamp (use ISO 8601)")}
    assert report.rejected == 1
    assert store.con.execute("SELECT lead_id, extra->>'file_row_number' FROM leads").fetchall() == [("L1", "7")]


@pytest.mark.parametrize("content, cause", [
    (b"PK\x03\x04\x14\x00\x06\x00rest of a workbook", "Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", "old Excel"),
    (b"PAR1\x15\x04parquet bytes", "Parquet file: name it .parquet"),
    (b"%PDF-1.4\n%binary", "PDF"),
    (b"\x1f\x8b\x08\x00gzip", "gzip"),
])
def test_a_file_that_is_not_csv_names_what_it_is(tmp_path, content, cause):
    (tmp_path / "leads.csv").write_bytes(content)
    with pytest.raises(ImportError_, match=cause):
        import_dir(Store(), tmp_path)


def test_a_quoted_header_spanning_lines_names_the_cause(tmp_path):
    write(tmp_path, "leads.csv", 'lead_id,"created\n_at",mql_at\n' + GOOD_LEAD)
    with pytest.raises(ImportError_, match="unclosed quote, or a quoted column name that runs onto the next line"):
        import_dir(Store(), tmp_path)


def test_a_header_naming_no_known_column_says_which_file_it_expected(tmp_path):
    write(tmp_path, "leads.csv", "Name,Email,Phone\nAda,ada@example.com,123")
    with pytest.raises(ImportError_, match="the header names none of the leads columns"):
        import_dir(Store(), tmp_path)
