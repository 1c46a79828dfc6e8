"""An upload on the Data page asks for confirmation, says what it replaces, keeps the replaced
data, and one click (confirmed too) brings it back; a revert can itself be reverted. The
numbers on This week are the model's for the data shown after each step. The load log
says who loaded what and when, in words."""

from __future__ import annotations

import os
import re
from pathlib import Path

from conftest import APP
from streamlit.testing.v1 import AppTest

from handoff import data as datasets
from handoff.model import Filters, Model, views
from handoff.policy import Policy
from handoff.ui import page as page_helpers
from handoff.ui import state

REPS = "rep_id,name,team,role,timezone\nR1,Ann Rep,SDR East,SDR,America/New_York\n"
LEADS = (
    "lead_id,created_at,mql_at,owner_id,source,tier\n"
    "U1,2026-06-01T13:00:00Z,2026-06-01T14:00:00Z,R1,Demo request,high\n"
    "U2,2026-06-02T13:00:00Z,2026-06-02 10:00,R1,Webinar,\n"  # no offset: read in the company timezone
    "U3,2026-06-03T13:00:00Z,2026-06-03T15:00:00Z,R1,Pricing page,high\n"
    "U4,not a date,2026-06-03T15:00:00Z,R1,Pricing page,high\n"  # rejected
)
ACTIVITIES = (
    "activity_id,lead_id,rep_id,type,direction,occurred_at\n"
    "A1,U1,R1,call,outbound,2026-06-01T14:03:00Z\n"
    "A2,U3,R1,email,outbound,2026-06-04T15:00:00Z\n"
)


def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page("pages/7_data.py")
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, files: dict[str, str]) -> None:
    at.file_uploader[0].set_value([(name, text.encode(), "text/csv") for name, text in files.items()])
    at.run()
    at.button(key="upload_start").click()
    at.run()
    assert not at.exception, at.exception


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.success]
    return "\n".join(parts).replace("\\", "").replace("**", "")


def this_week_matches_the_model(at: AppTest) -> None:
    """This week's headlines, as the page shows them, are the model's for the data shown now
    (a model built afresh on that data, not the app's cached one)."""
    at.switch_page("pages/1_this_week.py")
    at.run()
    assert not at.exception, at.exception
    shown = {m.label: m.value for m in at.metric}
    path = Path("handoff.duckdb")
    dataset = datasets.load(db=path) if path.exists() else datasets.sample(Policy())
    model = Model(dataset.store.con, Policy())
    week = at.selectbox[0].value
    summary = views.this_week(model, Filters(), week).set_index("metric")
    for name in ("handoffs", "contacted_share", "sla_compliance"):
        row = summary.loc[name]
        assert shown[row["label"]] == page_helpers.show(row["current"], row["unit"]), (name, shown)
    at.switch_page("pages/7_data.py")
    at.run()


def expected_mqls(store_model: Model) -> int:
    return int(views.overall(store_model, Filters())["handoffs"])


def test_an_upload_asks_first_then_replaces_and_a_revert_brings_the_data_back(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    at = app()
    sample_handoffs = expected_mqls(state.current().model)
    upload(at, {"reps.csv": REPS, "leads.csv": LEADS, "activities.csv": ACTIVITIES})

    # Asked first: nothing has changed yet, and the dialog says what goes and what comes.
    assert state.current().origin == "sample"
    assert not Path("handoff.duckdb").exists()
    shown = texts(at)
    assert "Will be imported: activities.csv, leads.csv, reps.csv" in shown
    assert "Will be replaced, and kept: the bundled sample data" in shown
    at.text_input(key="loader_name").set_value("Dana from RevOps")
    at.button(key="upload_yes").click()
    at.run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    shown = texts(at)
    assert "Imported" in shown and "1 rows rejected" in shown
    assert "leads.csv: 4 rows read, 3 added, 1 rejected" in shown

    # The database file now holds the upload, for every session; This week shows its numbers.
    assert Path("handoff.duckdb").exists()
    data = state.current()
    assert data.store.counts()["leads"] == 3
    assert expected_mqls(data.model) == 3
    log = texts(at)
    assert re.search(
        r"— files uploaded \(activities.csv, leads.csv, reps.csv\): reps.csv: 1 rows added; leads.csv: 3 rows added, "
        r"1 rejected; activities.csv: 2 rows added\. leads.csv: 1 timestamps without an offset were read in the "
        r"company timezone UTC\. Loaded by Dana from RevOps\.",
        log,
    ), log
    assert "load_id" not in log and "naive_timestamps" not in log and "{" not in log
    assert "Showing files uploaded (activities.csv, leads.csv, reps.csv) by Dana from RevOps on" in log
    assert "Revert to the bundled sample data" in [b.label for b in at.button]
    this_week_matches_the_model(at)

    # Revert: confirmed, then the sample is back and the upload is kept for a second revert.
    at.button(key="revert").click()
    at.run()
    shown = texts(at)
    assert "Will be shown again: the bundled sample data" in shown
    assert "Now shown, kept: files uploaded (activities.csv, leads.csv, reps.csv) by Dana from RevOps" in shown
    assert Path("handoff.duckdb").exists()  # not yet
    at.button(key="revert_yes").click()
    at.run()
    assert not at.exception, at.exception
    assert not Path("handoff.duckdb").exists()
    assert Path("handoff.previous.duckdb").exists()
    assert state.current().origin == "sample"
    assert expected_mqls(state.current().model) == sample_handoffs
    this_week_matches_the_model(at)
    labels = [b.label for b in at.button]
    undo = next(label for label in labels if label.startswith("Revert to the data loaded at"))

    # Revert the revert: the upload is back, the sample is one click away again.
    at.button(key="revert").click()
    at.run()
    at.button(key="revert_yes").click()
    at.run()
    assert not at.exception, at.exception
    assert undo.endswith("UTC")
    assert expected_mqls(state.current().model) == 3
    this_week_matches_the_model(at)
    assert "Revert to the bundled sample data" in [b.label for b in at.button]


def test_cancel_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    at = app()
    upload(at, {"leads.csv": LEADS})
    at.button(key="upload_no").click()
    at.run()
    assert not at.exception, at.exception
    assert os.listdir(tmp_path) == []
    assert state.current().origin == "sample"
    assert "upload_yes" not in [b.key for b in at.button]


def test_a_second_upload_keeps_the_first_and_the_file_names_say_which(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    at = app()
    upload(at, {"leads.csv": LEADS})
    at.button(key="upload_yes").click()
    at.run()
    upload(at, {"reps.csv": REPS})
    shown = texts(at)
    assert re.search(r"Will be replaced, and kept: files uploaded \(leads.csv\) by .* on .*: 3 leads", shown), shown
    at.button(key="upload_yes").click()
    at.run()
    assert not at.exception, at.exception
    assert state.current().store.counts()["leads"] == 0
    kept = datasets.describe("handoff.previous.duckdb")
    assert kept is not None and kept.what == "leads.csv" and kept.counts["leads"] == 3
    label = next(b.label for b in at.button if b.key == "revert")
    assert label.startswith("Revert to the data loaded at ")
    at.button(key="revert").click()
    at.run()
    at.button(key="revert_yes").click()
    at.run()
    assert state.current().store.counts()["leads"] == 3
