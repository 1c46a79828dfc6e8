"""The Data page's upload goes through the same import as `handoff import`: a hostile
header creates no file but the database, reads none, and lands as a plain extra key; a file
name from the upload is drawn as text."""

from __future__ import annotations

import json
import os

from conftest import APP
from streamlit.testing.v1 import AppTest

from handoff.ui import state

HEADER = '"x"" := 1)) as extra from good; copy (select 42 as v) to \'pwned.csv\'; --"'
READER = "\"read_text('/etc/hostname')\""


def test_a_hostile_upload_writes_no_file_and_keeps_the_header_as_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    leads = (
        f"lead_id,created_at,mql_at,{HEADER},{READER}\n"
        "U1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,a,b\n"
    ).encode()
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("pages/7_data.py")
    at.run()
    at.file_uploader[0].set_value(("leads.csv", leads, "text/csv"))
    at.run()
    at.button(key="upload_start").click()
    at.run()
    at.text_input(key="loader_name").set_value("<img src=x onerror=alert(1)> **bold** :red[x] $x$")
    at.button(key="upload_yes").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Imported" in s.value for s in at.success), [e.value for e in at.error]
    assert os.listdir(tmp_path) == ["handoff.duckdb"]
    data = state.current()
    extra = json.loads(data.store.con.execute("SELECT extra FROM leads WHERE lead_id = 'U1'").fetchall()[0][0])
    assert extra == {HEADER.strip('"').replace('""', '"'): "a", READER.strip('"'): "b"}
    # The typed name is drawn as text wherever it shows: every Markdown character escaped.
    drawn = [m.value for m in at.markdown if "img" in m.value] + [c.value for c in at.caption if "img" in c.value]
    assert drawn, "the loader's name is not shown"
    escaped = r"\<img src\=x onerror\=alert\(1\)\> \*\*bold\*\* \:red\[x\] \$x\$"
    for text in drawn:
        assert escaped in text
        rest = text.replace(escaped, "")
        assert "<img" not in rest and "**bold**" not in rest and ":red[" not in rest and "$x$" not in rest
