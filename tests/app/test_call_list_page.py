"""The call list in the app (AppTest): on the SLA compliance page with its stage counts, CRM
links and the "Group by rep" toggle kept in the URL; its top 5 on This week and in the
meeting mode are the model's first five; markup in the data stays text.

A hand-made Salesforce store: reps Ann (New York) and a rep whose name is markup; every lead
untouched, MQL'd on Mon 2026-11-16 from 09:00 EST (14:00Z). as_of is the latest MQL,
16:00 EST (21:00Z).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import APP
from streamlit.testing.v1 import AppTest

from handoff.model import Filters, Model, views
from handoff.policy import Policy
from handoff.store import Store
from handoff.ui import call_list

SLA_PAGE = "pages/2_sla_compliance.py"
PAYLOAD = "<img src=x onerror=alert(1)>"
MARKUP_NAME = "**Bold** [click](javascript:alert(1)) :red[red] <b>x</b>"
INSTANCE = "https://acme.my.salesforce.com"


@pytest.fixture(scope="module")
def call_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("calls") / "handoff.duckdb"
    store = Store(path)
    store.upsert("reps", pd.DataFrame([
        {"rep_id": "r1", "name": "Ann", "team": "East", "timezone": "America/New_York", "country": "US"},
        {"rep_id": "r2", "name": MARKUP_NAME, "team": "West", "timezone": "America/New_York", "country": "US"},
    ], dtype="object"))
    leads = []
    # 12 leads, one every 35 minutes from 14:00Z to 20:25Z, then one at 21:00Z (as_of); high
    # (Demo request, 5) and medium (Free trial, 60) and low (Webinar, 480) in turn
    sources = ["Demo request", "Free trial", "Webinar"]
    for i in range(13):
        at = pd.Timestamp("2026-11-16T14:00:00Z") + pd.Timedelta(minutes=35 * i if i < 12 else 420)
        leads.append({
            "lead_id": f"L{i:02d}/?x" if i == 1 else f"L{i:02d}", "created_at": at.isoformat(),
            "mql_at": at.isoformat(), "owner_id": "r2" if i % 4 == 0 else "r1", "source": sources[i % 3],
            "company": PAYLOAD if i % 2 else f"Company {i}", "title": MARKUP_NAME,
        })
    store.upsert("leads", pd.DataFrame(leads, dtype="object"))
    store.set_meta("origin", "salesforce")
    store.set_meta("salesforce_instance_url", INSTANCE)
    model = Model(store.con, Policy())
    expected = views.call_list(model, Filters())
    store.close()
    return path, expected


def open_page(monkeypatch, db, page: str | None = None, **params) -> AppTest:
    monkeypatch.setenv("HANDOFF_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def call_tables(at: AppTest) -> list:
    return [d for d in at.dataframe if "crm_url" in d.value.columns]


def link_config(frame) -> dict:
    return json.loads(frame.proto.columns)["crm_url"]


def test_the_page_shows_the_models_list_with_counts_and_links(call_db, monkeypatch):
    db, expected = call_db
    assert len(expected) >= 8 and expected["crm_url"].notna().all()
    at = open_page(monkeypatch, db, SLA_PAGE)
    (table,) = call_tables(at)
    assert list(table.value["lead_id"]) == list(expected["lead_id"])
    assert list(table.value["crm_url"]) == list(expected["crm_url"])
    # the lead id with / and ? is one quoted path segment of the link
    assert f"{INSTANCE}/lightning/r/Lead/L01%2F%3Fx/view" in set(table.value["crm_url"])
    config = link_config(table)
    assert config["type_config"]["display_text"] == "Open in Salesforce"
    counts = views.call_list_counts(expected)
    shown = {m.label: m.value for m in at.metric}
    assert {label: shown[label] for label in call_list.STAGE_MARKERS.values()} == {
        call_list.STAGE_MARKERS[stage]: str(n) for stage, n in counts.items()
    }
    assert list(table.value["stage"].str.split(" ").str[1]) == [s.capitalize() for s in expected["stage"]]


def test_markup_in_the_data_stays_text(call_db, monkeypatch):
    db, _ = call_db
    at = open_page(monkeypatch, db, SLA_PAGE, by_rep="1")
    tables = call_tables(at)
    assert any((t.value["company"] == PAYLOAD).any() for t in tables), "the company is shown as it is, in a cell"
    assert any((t.value["owner"] == MARKUP_NAME).any() for t in tables)
    for md in at.markdown:
        assert not md.proto.allow_html, md.value
        assert PAYLOAD not in md.value and "**Bold**" not in md.value and "](javascript" not in md.value, md.value
    # the rep's section line shows the name escaped: every markdown character is literal
    assert any(md.value.startswith("**\\*\\*Bold\\*\\* \\[click\\]") for md in at.markdown)


def test_group_by_rep_is_kept_in_the_url(call_db, monkeypatch):
    db, expected = call_db
    at = open_page(monkeypatch, db, SLA_PAGE)
    assert len(call_tables(at)) == 1 and "by_rep" not in at.query_params
    at.toggle(key="call_list_by_rep").set_value(True).run()
    assert at.query_params["by_rep"] == "1"
    groups = views.call_list_by_rep(expected)
    tables = call_tables(at)
    assert [list(t.value["lead_id"]) for t in tables] == [list(rows["lead_id"]) for _, _, rows in groups]
    at.toggle(key="call_list_by_rep").set_value(False).run()
    assert "by_rep" not in at.query_params and len(call_tables(at)) == 1


def test_a_link_with_by_rep_opens_the_list_grouped(call_db, monkeypatch):
    db, expected = call_db
    at = open_page(monkeypatch, db, SLA_PAGE, by_rep="1")
    assert at.toggle(key="call_list_by_rep").value is True
    assert len(call_tables(at)) == len(views.call_list_by_rep(expected)) == 2


def test_this_week_shows_the_first_five_of_the_models_list(call_db, monkeypatch):
    db, expected = call_db
    at = open_page(monkeypatch, db)
    (top,) = call_tables(at)
    assert list(top.value["lead_id"]) == list(expected["lead_id"][:5])
    assert any(f"{len(expected)} on the call list" in c.value for c in at.caption)


def test_the_meeting_mode_shows_the_same_five(call_db, monkeypatch):
    db, expected = call_db
    at = open_page(monkeypatch, db, meeting="1")
    (top,) = call_tables(at)
    assert list(top.value["lead_id"]) == list(expected["lead_id"][:5])


def test_a_files_store_shows_no_links(monkeypatch):
    # the bundled sample: no CRM, so the link column is empty and says so
    monkeypatch.delenv("HANDOFF_DB", raising=False)
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(SLA_PAGE)
    at.run()
    (table,) = call_tables(at)
    assert table.value["crm_url"].isna().all()
    assert "display_text" not in link_config(table).get("type_config", {})
