"""CRM and file text is shown as text, never as HTML: a lead named like an HTML tag stays text."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from handoff.store import Store

from conftest import APP, PAGES

PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("xss") / "handoff.duckdb"
    store = Store(path)
    store.upsert("reps", pd.DataFrame([{"rep_id": "r1", "name": PAYLOAD, "team": PAYLOAD}], dtype="object"))
    leads = []
    for i in range(12):
        leads.append({
            "lead_id": f"L{i}", "created_at": "2026-03-02T09:00:00Z", "mql_at": f"2026-03-{2 + i % 5:02d}T10:00:00Z",
            "owner_id": "r1", "source": PAYLOAD, "campaign": PAYLOAD, "company": PAYLOAD, "segment": PAYLOAD,
            "disposition": "Bad Fit" if i % 2 else "Qualified", "disposition_at": "2026-03-09T10:00:00Z",
        })
    store.upsert("leads", pd.DataFrame(leads, dtype="object"))
    store.upsert("activities", pd.DataFrame([
        {"activity_id": f"A{i}", "lead_id": f"L{i}", "rep_id": "r1", "type": "call",
         "occurred_at": "2026-03-09T12:00:00Z", "subject": PAYLOAD} for i in range(0, 12, 3)
    ], dtype="object"))
    store.close()
    return path


def test_hostile_text_is_never_rendered_as_html(hostile_db, monkeypatch):
    monkeypatch.setenv("HANDOFF_DB", str(hostile_db))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    seen_as_text = False
    for page in PAGES:
        at.switch_page(page)
        at.run()
        assert not at.exception, (page, [e.value for e in at.exception])
        for md in at.markdown:
            assert not md.proto.allow_html, (page, md.value)
            assert PAYLOAD not in md.value, (page, md.value)  # data never goes into markdown
        for frame in at.dataframe:
            if frame.value.astype(str).apply(lambda col: col.str.contains(PAYLOAD, regex=False)).any().any():
                seen_as_text = True
    assert seen_as_text, "the hostile value should be shown, as text, in a table"


@pytest.mark.browser
def test_no_injected_element_reaches_the_dom(hostile_db, tmp_path, browser):
    from test_browser import start_server

    proc, url = start_server(tmp_path, env={"HANDOFF_DB": str(hostile_db)})
    try:
        page = browser.new_page(viewport={"width": 1400, "height": 2400})
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for path in ("", "sla_compliance", "rep_response", "dispositions"):
            page.goto(f"{url}/{path}")
            page.locator(".js-plotly-plot").first.wait_for(timeout=60_000)
            page.wait_for_timeout(500)
            assert page.locator("img[src='x']").count() == 0, path
        assert dialogs == []
        page.close()
    finally:
        proc.terminate()
        proc.wait(10)
