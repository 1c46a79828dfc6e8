"""File import: enum values are matched ignoring case and surrounding spaces, stored lower-case.

Spreadsheets and CRM exports write `Outbound`, `CALL`, `Held`, `NO_SHOW`, `High`: they name
the same values as the contract's lower-case ones, so the import accepts them (no reject)
and stores the canonical spelling the model compares against.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from handoff.model import Model
from handoff.policy import Policy
from handoff.sources.files import import_dir
from handoff.store import Store

LEADS = """\
lead_id,created_at,mql_at,owner_id,source,tier
L1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar,High
L2,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar, MEDIUM 
L3,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar,Low
"""
ACTIVITIES = """\
activity_id,lead_id,type,direction,occurred_at
a1,L1,CALL,Outbound,2026-06-02T14:03:00Z
a2,L1,Email,OUTBOUND,2026-06-02T14:04:00Z
a3,L2,LinkedIn,Inbound,2026-06-02T14:05:00Z
a4,L2,SMS,outbound,2026-06-02T14:06:00Z
a5,L3,Other,Outbound,2026-06-02T14:07:00Z
a6,L3,Meeting, Outbound ,2026-06-02T14:08:00Z
"""
MEETINGS = """\
meeting_id,lead_id,booked_at,status
m1,L1,2026-06-03T14:00:00Z,Held
m2,L2,2026-06-03T14:00:00Z,NO_SHOW
m3,L3,2026-06-03T14:00:00Z,Canceled
m4,L3,2026-06-04T14:00:00Z,SCHEDULED
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "reps.csv").write_text("rep_id,name,timezone,country\nr1,Ann,America/New_York,US\n")
    (tmp_path / "leads.csv").write_text(LEADS)
    (tmp_path / "activities.csv").write_text(ACTIVITIES)
    (tmp_path / "meetings.csv").write_text(MEETINGS)
    return tmp_path


def values(store: Store, sql: str) -> dict:
    return dict(store.con.execute(sql).fetchall())


def test_mixed_case_enum_values_are_accepted_and_stored_lower_case(folder):
    store = Store()
    report = import_dir(store, folder, Policy())
    rejects = store.con.execute('SELECT file, line, "column", reason FROM rejects').fetchall()
    assert rejects == [], "Outbound, CALL, Held, NO_SHOW, High ... are valid values in another case"
    assert report.rejected == 0 and report.exit_code == 0
    assert store.counts() == {"reps": 1, "leads": 3, "activities": 6, "meetings": 4, "opportunities": 0,
                              "owner_changes": 0}
    assert values(store, "SELECT lead_id, tier FROM leads") == {"L1": "high", "L2": "medium", "L3": "low"}
    assert values(store, "SELECT activity_id, type FROM activities") == {
        "a1": "call", "a2": "email", "a3": "linkedin", "a4": "sms", "a5": "other", "a6": "meeting"}
    assert values(store, "SELECT activity_id, direction FROM activities") == {
        "a1": "outbound", "a2": "outbound", "a3": "inbound", "a4": "outbound", "a5": "outbound", "a6": "outbound"}
    assert values(store, "SELECT meeting_id, status FROM meetings") == {
        "m1": "held", "m2": "no_show", "m3": "canceled", "m4": "scheduled"}


def test_the_model_reads_mixed_case_values_as_their_canonical_ones(folder):
    # L1 (tier High: 5 minutes): first touch the CALL/Outbound at 14:03: 3 minutes, met.
    # L2: the LinkedIn touch is Inbound (not a touch); the SMS at 14:06 is the first touch.
    # L3: `Other` is never a touch; the `Meeting` activity at 14:08 is. m3 (Canceled) does
    #     not count for the meeting window, m4 (SCHEDULED) does.
    store = Store()
    import_dir(store, folder, Policy())
    out = Model(store.con, Policy(), pd.Timestamp("2026-06-30T00:00:00Z").to_pydatetime()).lead_handoff()
    out = out.set_index("lead_id")
    assert out.loc["L1", "tier"] == "high" and out.loc["L1", "sla_target_business_minutes"] == 5
    assert out.loc["L1", "response_minutes"] == 3 and out.loc["L1", "sla_status"] == "met"
    assert out.loc["L2", "tier"] == "medium" and out.loc["L2", "response_minutes"] == 6
    assert out.loc["L3", "response_minutes"] == 8
    assert bool(out.loc["L1", "meeting_in_window"]) and bool(out.loc["L3", "meeting_in_window"])


def test_an_unknown_value_is_still_rejected_in_any_case(tmp_path):
    (tmp_path / "leads.csv").write_text(LEADS)
    (tmp_path / "activities.csv").write_text(
        "activity_id,lead_id,type,direction,occurred_at\n"
        "a1,L1,FAX,Outbound,2026-06-02T14:03:00Z\n"
        "a2,L1,Call,Sideways,2026-06-02T14:03:00Z\n")
    store = Store()
    import_dir(store, tmp_path, Policy())
    got = {tuple(r) for r in store.con.execute('SELECT line, "column" FROM rejects').fetchall()}
    assert got == {(2, "type"), (3, "direction")}
    assert store.counts()["activities"] == 0


def test_parquet_files_are_read_the_same_way(folder, tmp_path):
    parquet = tmp_path / "pq"
    parquet.mkdir()
    for name in ("reps", "leads", "activities", "meetings"):
        frame = pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)
        frame.to_parquet(parquet / f"{name}.parquet", index=False)
    store = Store()
    report = import_dir(store, parquet, Policy())
    assert report.rejected == 0
    assert values(store, "SELECT activity_id, direction FROM activities")["a1"] == "outbound"
    assert values(store, "SELECT meeting_id, status FROM meetings")["m2"] == "no_show"
