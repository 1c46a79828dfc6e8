"""HubSpot records held to the file import's standard: an implausible timestamp, amount or id
is rejected with its object, record id, column and reason; the other records load."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from reject_harness import INVISIBLE_ID, TOO_LARGE, rejects  # noqa: E402
from test_hubspot import at, populate, run_sync  # noqa: E402
from test_hubspot_cli import sync  # noqa: E402

from handoff.policy import Policy  # noqa: E402
from handoff.store import Store  # noqa: E402


def hostile(fake) -> dict[str, str]:
    """The small portal, and beside it: a contact created on 0001-01-01, a deal of 1e300 and a
    contact whose id carries a zero-width space."""
    ids = populate(fake)
    fake.clock = at(6, 10)
    ids["ancient"] = fake.add("contacts", company="Old Co", lifecyclestage="lead")
    fake.update("contacts", ids["ancient"], createdate="0001-01-01T00:00:00.000Z")
    ids["huge"] = fake.add("deals", contacts=[ids["c2"]], amount="1e300", dealstage="appointmentscheduled")
    ids["zw"] = fake.add("contacts", id="4242\u200b", company="Zero width", lifecyclestage="lead")
    fake.clock = at(6, 11)
    return ids


def test_implausible_records_are_rejected_with_their_reason_and_the_rest_load(hubspot_portal):
    fake = hubspot_portal
    ids = hostile(fake)
    store = Store()
    summary = run_sync(fake, store, policy=Policy())
    found = rejects(store)
    assert set(found) == {ids["ancient"], ids["huge"], ids["zw"]}
    table, origin, column, reason, value = found[ids["ancient"]]
    assert (table, origin, column) == ("leads", "hubspot:contacts", "created_at")
    assert reason.startswith("implausible timestamp: outside 2000-01-01 to ") and value.startswith("0001-01-01")
    assert found[ids["huge"]][:4] == ("opportunities", "hubspot:deals", "amount", TOO_LARGE)
    assert found[ids["zw"]][:4] == ("leads", "hubspot:contacts", "lead_id", INVISIBLE_ID)
    leads = {r[0] for r in store.con.execute("SELECT lead_id FROM leads").fetchall()}
    assert leads == {ids[k] for k in ("c1", "c2", "c3", "c4", "c5")}
    deals = {r[0] for r in store.con.execute("SELECT opportunity_id FROM opportunities").fetchall()}
    assert deals == {ids["deal"]}
    assert summary.rejected == {"leads": 2, "opportunities": 1}


def test_the_cli_exits_1_when_records_were_rejected(hubspot_portal, hubspot_files, capsys):
    files = hubspot_files
    hostile(hubspot_portal)
    assert sync(files, "--quiet") == 1
    assert "HubSpot sync: 19 added, 0 changed, 0 deleted, 3 rejected" in capsys.readouterr().out
    assert sync(files, "--quiet") == 1  # still there: rejected again, nothing else changes
