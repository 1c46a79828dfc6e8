"""`handoff calls`: the call list on the command line (CSV, --by-rep, --json, --warn-minutes).

Reps r1 (Ann) and r2 (Bo) in New York (EDT, UTC-4), 09:00-17:00. --as-of Thu 2026-06-04
14:00 EDT (18:00Z). Elapsed business minutes by hand:
- a: medium (60), MQL Thu 13:30 -> 30: warning, 30 min left; its company looks like a formula
- e: low (480), r2, MQL Wed 14:30 -> 150 Wed + 300 Thu = 450: warning, 30 min left
- b: high (5), MQL Thu 13:00 -> 60: breached, 55 over
- c: high (5), r2, MQL Thu 09:00 -> 300: escalated, 295 over (> 240)
- d: medium, MQL Thu 13:31 -> 29: not yet (< 60 - 30)
Calling order: a, e (warnings, 30 left each: medium before low), then b, c (high, newest first).
By rep: Ann (a, b) and Bo (e, c) both have two; Ann's first lead comes first.
"""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from handoff.cli import main
from handoff.store import Store

AS_OF = "2026-06-04T18:00:00Z"
FORMULA = '=HYPERLINK("http://evil.example")'


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "calls.duckdb"
    store = Store(path)
    tz = "America/New_York"
    store.upsert("reps", pd.DataFrame([
        {"rep_id": "r1", "name": "Ann", "timezone": tz, "country": "US"},
        {"rep_id": "r2", "name": "Bo", "timezone": tz, "country": "US"},
    ], dtype="object"))
    rows = [
        ("a", "2026-06-04T17:30:00Z", "r1", "Free trial", FORMULA),
        ("e", "2026-06-03T18:30:00Z", "r2", "Webinar", "Echo"),
        ("b", "2026-06-04T17:00:00Z", "r1", "Demo request", "Bravo"),
        ("c", "2026-06-04T13:00:00Z", "r2", "Demo request", "Charlie"),
        ("d", "2026-06-04T17:31:00Z", "r1", "Free trial", "Delta"),
    ]
    store.upsert("leads", pd.DataFrame([
        {"lead_id": i, "created_at": t, "mql_at": t, "owner_id": o, "source": s, "company": c}
        for i, t, o, s, c in rows
    ], dtype="object"))
    store.set_meta("origin", "salesforce")
    store.set_meta("salesforce_instance_url", "https://acme.my.salesforce.com")
    store.close()
    return str(path)


def run_csv(capsys, *args: str) -> list[dict]:
    assert main(["calls", "--as-of", AS_OF, *args]) == 0
    return list(csv.DictReader(io.StringIO(capsys.readouterr().out)))


def test_csv_in_calling_order_with_the_columns(db, capsys):
    rows = run_csv(capsys, "--db", db)
    assert [r["lead_id"] for r in rows] == ["a", "e", "b", "c"]
    assert [r["stage"] for r in rows] == ["warning", "warning", "breached", "escalated"]
    assert list(rows[0]) == ["lead_id", "owner_id", "owner_name", "company", "title", "source", "tier", "stage",
                             "mql_at", "elapsed_business_minutes", "sla_target_business_minutes", "minutes_left",
                             "due", "crm_url"]
    a = rows[0]
    assert a["mql_at"] == "2026-06-04T17:30:00Z" and float(a["minutes_left"]) == 30
    assert a["due"] == "30 min business time left" and rows[3]["due"] == "overdue by 4 h 55 min business"
    assert a["crm_url"] == "https://acme.my.salesforce.com/lightning/r/Lead/a/view"
    assert a["company"] == "'" + FORMULA  # a spreadsheet would run it: guarded


def test_by_rep_groups_the_rows(db, capsys):
    assert [r["lead_id"] for r in run_csv(capsys, "--db", db, "--by-rep")] == ["a", "b", "e", "c"]


def test_warn_minutes_reaches_the_list(db, capsys):
    assert "d" in [r["lead_id"] for r in run_csv(capsys, "--db", db, "--warn-minutes", "31")]
    # W = 0: only a lead at or past its target
    assert [r["lead_id"] for r in run_csv(capsys, "--db", db, "--warn-minutes", "0")] == ["b", "c"]


def test_json(db, capsys):
    assert main(["calls", "--db", db, "--as-of", AS_OF, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["as_of"] == AS_OF and out["warn_minutes"] == 30 and out["escalation_minutes"] == 240
    assert out["counts"] == {"warning": 2, "breached": 1, "escalated": 1}
    assert [c["lead_id"] for c in out["calls"]] == ["a", "e", "b", "c"]
    assert out["calls"][1]["owner_name"] == "Bo" and out["calls"][1]["elapsed_business_minutes"] == 450
    assert main(["calls", "--db", db, "--as-of", AS_OF, "--json", "--by-rep"]) == 0
    reps = json.loads(capsys.readouterr().out)["reps"]
    assert [(r["owner_name"], [c["lead_id"] for c in r["calls"]]) for r in reps] == [("Ann", ["a", "b"]),
                                                                                   ("Bo", ["e", "c"])]
    assert reps[1]["counts"] == {"warning": 1, "breached": 0, "escalated": 1}


def test_a_negative_warning_is_refused(db, capsys):
    assert main(["calls", "--db", db, "--warn-minutes", "-5"]) == 2
    assert "warning time" in capsys.readouterr().err
