"""The command line: import, leads and metrics agree with the model on a hand-made folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from handoff.cli import main

LEADS = """lead_id,created_at,mql_at,owner_id,source,disposition,disposition_at
L1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Demo request,Qualified,2026-06-02T16:00:00Z
L2,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar,,
L3,2026-06-02T13:00:00Z,,r1,Webinar,,
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "reps.csv").write_text("rep_id,name,team,timezone,country\nr1,Ann,East,America/New_York,US\n")
    (d / "leads.csv").write_text(LEADS)
    (d / "activities.csv").write_text(
        "activity_id,lead_id,type,occurred_at\n"
        "a1,L1,call,2026-06-02T14:04:00Z\n"  # 4 minutes: met (high, 5)
        "a2,L2,email,2026-06-03T14:00:00Z\n"  # Tue 10:00 -> Wed 10:00 EDT = 480 business minutes: met (low)
    )
    return d


def test_import_then_leads_and_metrics(folder, tmp_path, capsys):
    db = tmp_path / "h.duckdb"
    assert main(["import", str(folder), "--db", str(db)]) == 0
    assert "leads.csv" in capsys.readouterr().out
    out = tmp_path / "leads.csv"
    assert main(["leads", "--db", str(db), "--as-of", "2026-06-30T00:00:00Z", "--out", str(out)]) == 0
    leads = pd.read_csv(out)
    assert list(leads.columns) == [
        "lead_id", "owner_id", "tier", "mql_at", "first_touch_at", "response_minutes",
        "response_business_minutes", "sla_target_business_minutes", "sla_status", "speed_bucket",
        "window_end", "meeting_in_window", "touches_in_window", "disposition", "disposition_on_time",
    ]
    rows = leads.set_index("lead_id")
    assert list(rows.index) == ["L1", "L2"]  # L3 was never handed off
    assert rows.loc["L1", "mql_at"] == "2026-06-02T14:00:00Z"
    assert rows.loc["L1", "response_business_minutes"] == 4 and rows.loc["L1", "sla_status"] == "met"
    assert rows.loc["L2", "response_business_minutes"] == 480 and rows.loc["L2", "speed_bucket"] == "4-24h"
    assert rows.loc["L2", "meeting_in_window"] == False  # noqa: E712 (window closed, no meeting)

    assert main(["metrics", "--db", str(db), "--as-of", "2026-06-30T00:00:00Z", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["overall"]["handoffs"] == 2
    assert report["overall"]["sla_compliance"] == 1.0
    assert report["overall"]["acceptance_rate"] == 1.0
    assert {r["tier"] for r in report["by_tier"]} == {"high", "low"}
    assert [r["owner_id"] for r in report["by_rep"]] == ["r1"]
    assert report["by_week"][0]["week"] == "2026-06-01"


def test_data_flag_reads_files_into_memory(folder, capsys):
    assert main(["metrics", "--data", str(folder), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["overall"]["handoffs"] == 2


def test_import_errors_exit_codes(folder, tmp_path, capsys):
    (folder / "activities.csv").write_text("activity_id,lead_id,occurred_at\nx,L404,2026-06-02T14:00:00Z\n")
    db = tmp_path / "h.duckdb"
    assert main(["import", str(folder), "--db", str(db)]) == 1
    out = capsys.readouterr().out
    assert "activities.csv:2 [lead_id] unknown lead" in out
    assert Path(f"{db}.rejects.csv").exists()
    assert main(["import", str(tmp_path / "missing"), "--db", str(db)]) == 2
    assert "nothing was loaded" in capsys.readouterr().err


def test_bad_as_of_is_a_clear_error(folder, capsys):
    assert main(["leads", "--data", str(folder), "--as-of", "soon"]) == 2
    assert "--as-of" in capsys.readouterr().err


def test_generate_then_metrics(tmp_path, capsys):
    out = tmp_path / "gen"
    assert main(["generate", "--out", str(out), "--leads", "400", "--seed", "3"]) == 0
    capsys.readouterr()
    assert main(["metrics", "--data", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert 300 < report["overall"]["handoffs"] <= 400
    assert {r["speed_bucket"] for r in report["by_speed_bucket"]} >= {"0-5m", "never"}


def test_as_of_without_offset_is_company_local():
    from handoff.model import parse_as_of

    assert pd.Timestamp(parse_as_of("2026-06-02T10:00", "America/New_York")) == pd.Timestamp("2026-06-02T14:00Z")
    assert pd.Timestamp(parse_as_of("2026-06-02T10:00+02:00", "America/New_York")) == pd.Timestamp("2026-06-02T08:00Z")


def test_metrics_for_people(folder, capsys):
    assert main(["metrics", "--data", str(folder), "--as-of", "2026-06-30T00:00:00Z"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^sla_compliance\s+100\.0%$", out, re.M)
    assert re.search(r"^median_response_business_minutes\s+242\.0$", out, re.M)  # (4 + 480) / 2
