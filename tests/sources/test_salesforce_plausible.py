"""Salesforce records held to the file import's standard: an implausible timestamp, amount or
id is rejected with its object, record id, column and reason; the other records load."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fake_salesforce import sf_id  # noqa: E402
from reject_harness import INVISIBLE_ID, TOO_LARGE, rejects  # noqa: E402
from test_salesforce import CONFIG, NOW, at, creds, populate, write_secrets  # noqa: E402

from handoff.cli import main  # noqa: E402
from handoff.policy import Policy  # noqa: E402
from handoff.sources import salesforce as sfc  # noqa: E402
from handoff.sources.runner import run  # noqa: E402
from handoff.store import Store  # noqa: E402

MAY, MARCH_6 = date(2026, 5, 1), date(2026, 3, 6)


@pytest.fixture
def fake(salesforce_org):
    return salesforce_org

def hostile(fake) -> dict[str, str]:
    """The small org, and beside it: a lead created in 2999, an opportunity of 1e300, a lead
    whose id carries a zero-width space, and meetings planned 3 and 30 years ahead."""
    ids = populate(fake)
    fake.clock = at(6, 10)
    ids["future"] = fake.add("Lead", CreatedDate=datetime(2999, 1, 1, tzinfo=UTC), Company="Far", Status="Open")
    ids["huge"] = fake.add("Opportunity", Name="Huge", Amount=1e300, StageName="Prospecting", CloseDate=MAY)
    fake.update("Lead", ids["l5"], ConvertedDate=MARCH_6, ConvertedOpportunityId=ids["huge"], IsConverted=True)
    ids["zw"] = fake.add("Lead", id=sf_id("00Q", 900) + "\u200b", Company="Zero width", Status="Open")
    for key, year in (("soon", 2029), ("later", 2056)):
        start = datetime(year, 6, 1, tzinfo=UTC)
        ids[key] = fake.add("Event", WhoId=ids["l1"], OwnerId=ids["rep_a"], StartDateTime=start)
    fake.clock = at(6, 11)
    return ids


def test_implausible_records_are_rejected_with_their_reason_and_the_rest_load(fake):
    ids = hostile(fake)
    store = Store()
    summary = run(sfc.CONNECTOR, store, CONFIG, creds(fake), now=NOW, policy=Policy())
    found = rejects(store)
    assert set(found) == {ids["future"], ids["huge"], ids["zw"], ids["later"]}
    table, origin, column, reason, value = found[ids["future"]]
    assert (table, origin, column) == ("leads", "salesforce:Lead", "created_at")
    assert reason.startswith("implausible timestamp: outside 2000-01-01 to ") and value.startswith("2999-01-01")
    assert found[ids["huge"]][:4] == ("opportunities", "salesforce:Opportunity", "amount", TOO_LARGE)
    assert found[ids["zw"]][:4] == ("leads", "salesforce:Lead", "lead_id", INVISIBLE_ID)
    assert found[ids["later"]][2] == "scheduled_for" and found[ids["later"]][3].startswith("implausible timestamp")
    # The other records load: the five leads, the meeting three years ahead, the real deal.
    leads = {r[0] for r in store.con.execute("SELECT lead_id FROM leads").fetchall()}
    assert leads == {ids[k] for k in ("l1", "l2", "l3", "l4", "l5")}
    meetings = {r[0] for r in store.con.execute("SELECT meeting_id FROM meetings").fetchall()}
    assert ids["soon"] in meetings and ids["later"] not in meetings
    deals = {r[0] for r in store.con.execute("SELECT opportunity_id FROM opportunities").fetchall()}
    assert ids["o1"] in deals and ids["huge"] not in deals
    assert summary.rejected == {"leads": 2, "opportunities": 1, "meetings": 1}
    status = store.con.execute("SELECT status FROM loads ORDER BY load_id DESC LIMIT 1").fetchall()[0][0]
    assert status == "rejects"
    # A rerun rejects them again and changes nothing else.
    again = run(sfc.CONNECTOR, store, CONFIG, creds(fake), now=NOW, full=True, policy=Policy())
    assert again.total("added") == 0 and again.total("changed") == 0 and again.total("deleted") == 0


def test_the_policy_bounds_what_a_sync_accepts(fake):
    ids = populate(fake)
    store = Store()
    summary = run(sfc.CONNECTOR, store, CONFIG, creds(fake), now=NOW, policy=Policy(valid_from=date(2026, 3, 3)))
    # Every lead was created on 2 March: before valid_from, each is rejected by name.
    leads = {ids[k] for k in ("l1", "l2", "l3", "l4", "l5")}
    found = rejects(store)
    assert leads <= set(found)
    assert {found[i][3] for i in leads} == {"implausible timestamp: outside 2026-03-03 to " + found[ids["l1"]][3][-20:]}
    assert summary.rejected["leads"] == 5 and store.counts()["leads"] == 0


def test_negative_and_non_finite_amounts_are_rejected(fake):
    ids = populate(fake)
    neg = fake.add("Opportunity", Name="Neg", Amount=-5.0, StageName="Prospecting", CloseDate=MAY)
    inf = fake.add("Opportunity", Name="Inf", Amount="Infinity", StageName="Prospecting", CloseDate=MAY)
    fake.update("Lead", ids["l5"], ConvertedDate=MARCH_6, ConvertedOpportunityId=neg, IsConverted=True)
    fake.update("Lead", ids["l3"], ConvertedDate=MARCH_6, ConvertedOpportunityId=inf, IsConverted=True)
    store = Store()
    run(sfc.CONNECTOR, store, CONFIG, creds(fake), now=NOW)
    found = rejects(store)
    assert found[neg][2:4] == ("amount", "must be at least 0")
    assert found[inf][2:4] == ("amount", "not a finite number")


def test_the_cli_exits_1_when_records_were_rejected(fake, tmp_path, capsys, monkeypatch):
    hostile(fake)
    for k in [k for k in __import__("os").environ if k.startswith("SALESFORCE_")]:
        monkeypatch.delenv(k)
    cfg = tmp_path / "handoff.toml"
    cfg.write_text('[salesforce]\nmql_statuses = ["MQL"]\nbackoff_seconds = 0\nbulk_poll_seconds = 0\n')
    db = tmp_path / "h.duckdb"
    secrets = write_secrets(tmp_path, fake)
    args = ["sync", "salesforce", "--db", str(db), "--config", str(cfg), "--secrets", str(secrets)]
    assert main([*args, "--quiet"]) == 1
    out = capsys.readouterr().out
    assert "4 rejected" in out
