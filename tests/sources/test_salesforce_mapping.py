"""Salesforce records -> canonical rows, on fake records (no server): tasks and segments.

DESIGN (Connectors, Salesforce): TaskSubtype Call, Email, LinkedIn, ListEmail, Cadence, Task
-> type call, email, linkedin, email, email, other; ListEmail and Cadence-sent tasks (or a
true `salesforce.automated_field`) are automated. NumberOfEmployees -> segment: < 200 SMB,
< 1,000 Mid-market, else Enterprise.
"""

from __future__ import annotations

import pandas as pd
import pytest

from handoff.sources import salesforce_mapping as m
from handoff.sources.convert import disposition_mapper, segment_of

LEAD = "00Q8c0000000001AAA"
REP = "0058c0000000001AAA"


def task(tid: str, subtype: str | None, **extra) -> dict:
    return {"Id": tid, "WhoId": LEAD, "OwnerId": REP, "TaskSubtype": subtype, "Type": None, "CallType": None,
            "CompletedDateTime": "2026-03-02T14:12:00.000+0000", "CreatedDate": "2026-03-02T14:00:00.000+0000",
            "CallDisposition": None, "Subject": tid} | extra


def mapped_tasks(records: list[dict], automated_field: str | None = None) -> pd.DataFrame:
    return m.rows("Task", pd.DataFrame(records), m.Context(automated_field=automated_field)).set_index("activity_id")


def test_cadence_tasks_are_automated_emails():
    out = mapped_tasks([task("cadence", "Cadence")]).loc["cadence"]
    assert out["type"] == "email"
    assert bool(out["is_automated"]) is True, "a Cadence-sent task is automated (not a rep's touch)"
    assert out["direction"] == "outbound"


@pytest.mark.parametrize("subtype,kind,automated", [
    ("Call", "call", False),
    ("Email", "email", False),
    ("LinkedIn", "linkedin", False),
    ("ListEmail", "email", True),
    ("Cadence", "email", True),
    ("CADENCE", "email", True),
    ("Task", "other", False),
])
def test_task_subtypes(subtype, kind, automated):
    out = mapped_tasks([task("t", subtype)]).loc["t"]
    assert (out["type"], bool(out["is_automated"])) == (kind, automated)


def test_generic_tasks_take_their_type_and_are_not_automated():
    out = mapped_tasks([task("typed", "Task", Type="Call"), task("plain", None)])
    assert (out.loc["typed", "type"], bool(out.loc["typed", "is_automated"])) == ("call", False)
    assert (out.loc["plain", "type"], bool(out.loc["plain", "is_automated"])) == ("other", False)


def test_the_automated_field_flags_any_task():
    out = mapped_tasks([task("flagged", "Email", Auto__c=True), task("bulk", "Call", Auto__c="true"),
                        task("human", "Email", Auto__c=False), task("cadence", "Cadence", Auto__c=None)],
                       automated_field="Auto__c")
    assert out["is_automated"].astype(bool).to_dict() == {
        "flagged": True, "bulk": True, "human": False, "cadence": True}


def test_a_cadence_email_is_not_a_first_touch(ny_rep):
    """The mapped rows in the model: the Cadence email at 14:01 is automated, so the first
    touch is the rep's call at 14:12 (12 minutes after the 14:00 handoff), not 1 minute."""
    from handmade import build_model, facts, lead

    rows = m.rows("Task", pd.DataFrame([
        task("cad", "Cadence", CompletedDateTime="2026-06-02T14:01:00.000+0000"),
        task("call", "Call", CompletedDateTime="2026-06-02T14:12:00.000+0000"),
    ]))
    out = facts(build_model(reps=[ny_rep | {"rep_id": REP}],
                            leads=[lead(LEAD, "2026-06-02T14:00:00Z", owner_id=REP)],
                            activities=rows.to_dict(orient="records")))[LEAD]
    assert out["response_minutes"] == 12
    assert out["touches_in_window"] == 1


# -- segments ---------------------------------------------------------------------------------
SEGMENTS = [
    (0, "SMB"), (199, "SMB"), (200, "Mid-market"), (999, "Mid-market"), (1000, "Enterprise"),
    (250_000, "Enterprise"), (None, None),
]


@pytest.mark.parametrize("employees,segment", SEGMENTS)
def test_segment_boundaries(employees, segment):
    got = segment_of(pd.Series([employees], dtype=object)).iloc[0]
    assert (None if pd.isna(got) else got) == segment


def test_segments_from_bulk_text_values():
    # Bulk API 2.0 CSV gives numbers as text and an empty string for null.
    got = segment_of(pd.Series(["199", "200", "999", "1000", ""], dtype=object))
    assert [None if pd.isna(s) else s for s in got] == ["SMB", "Mid-market", "Mid-market", "Enterprise", None]


def test_map_leads_sets_the_segment():
    frame = pd.DataFrame([
        {"Id": f"00Q8c000000000{i}AAA", "CreatedDate": "2026-03-02T14:00:00.000+0000", "Status": "Open",
         "NumberOfEmployees": n}
        for i, (n, _) in enumerate(SEGMENTS)
    ])
    out = m.rows("Lead", frame, m.Context(mql_field=None, mql_statuses=None, disposition_field="Status",
                                          disposition=disposition_mapper(["Qualified"], None)))
    expected = [s for _, s in SEGMENTS]
    assert [None if pd.isna(s) else s for s in out["segment"]] == expected
