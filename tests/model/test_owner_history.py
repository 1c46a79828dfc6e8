"""Owner history (DESIGN "Owner history"): assigned_at, routing delay, reassignments, breach_at,
the breach owner, accountability per rep and the escalation share, worked by hand.

Calendar: every rep is in New York (EDT = UTC-4 in June 2026, US holidays, none that week),
business hours 09:00-17:00 EDT = 13:00-21:00Z. MQLs at T0 = Tue 2026-06-02 14:00Z (10:00 EDT).
Tiers: Webinar -> low (480 business minutes), Free trial -> medium (60), Demo request -> high (5).
A low lead from T0 reaches its target at 420 (Tue 10:00-17:00) + 60 (Wed 09:00-10:00) =
Wed 2026-06-03 10:00 EDT = 14:00Z; its escalation time (240 business minutes) ends Wed 14:00 EDT
= 18:00Z. as_of is Fri 2026-06-05 20:00Z (16:00 EDT) unless a test says otherwise.
"""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest
from handmade import T0, act, build_store, frame, lead

from handoff.cli import main
from handoff.model import LEAD_COLUMNS, Model, checks, views
from handoff.model.dimensions import UNASSIGNED
from handoff.policy import Policy
from handoff.sources.files import import_dir
from handoff.store import Store

AS_OF = "2026-06-05T20:00:00Z"
BREACH = pd.Timestamp("2026-06-03T14:00:00Z")  # a low lead from T0 reaches 480 business minutes
REPS = [
    {"rep_id": r, "name": n, "team": "East", "timezone": "America/New_York", "country": "US"}
    for r, n in (("r1", "Ann"), ("r2", "Bob"), ("r3", "Cy"))
]


def change(change_id: str, lead_id: str, at: str, from_owner: str | None, to_owner: str | None) -> dict:
    return {"change_id": change_id, "lead_id": lead_id, "changed_at": at, "from_owner_id": from_owner,
            "to_owner_id": to_owner}


def history_model(leads, changes=(), activities=(), as_of: str = AS_OF) -> Model:
    store = build_store(reps=REPS, leads=leads, activities=list(activities))
    if changes:
        store.upsert("owner_changes", frame(list(changes)))
    return Model(store.con, Policy(), pd.Timestamp(as_of).to_pydatetime())


def facts(model: Model) -> dict[str, dict]:
    return {r["lead_id"]: r for r in model.lead_handoff().to_dict(orient="records")}


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# -- assigned_at and the routing delay ----------------------------------------------------------
def test_queue_at_mql_then_a_rep():
    # Q1 (a queue, no rep) holds the lead at its MQL (change at 13:00Z); r1 takes it at 14:25Z:
    # assigned_at 14:25Z, routing 25 business minutes (all inside Tue's hours). The file's
    # assigned_at (13:00Z) is not used. Touch 14:40Z: response 40, rep delay 40 - 25 = 15.
    # Reassignments in [14:00Z, 14:40Z]: the Q1 -> r1 change (the NULL -> Q1 one is before mql).
    model = history_model(
        [lead("L", source="Free trial", assigned_at="2026-06-02T13:00:00Z")],
        [change("c1", "L", "2026-06-02T13:00:00Z", None, "Q1"), change("c2", "L", "2026-06-02T14:25:00Z", "Q1", "r1")],
        [act("a1", "L", "2026-06-02T14:40:00Z")],
    )
    out = facts(model)["L"]
    assert out["assigned_at"] == ts("2026-06-02T14:25:00Z")
    assert out["routing_business_minutes"] == 25.0
    assert out["rep_business_minutes"] == 15.0
    assert out["reassignments"] == 1
    assert out["sla_status"] == "met" and pd.isna(out["breach_at"]) and out["breach_owner_id"] is None


def test_a_rep_at_mql_is_assigned_at_mql():
    # r1 got the lead on Mon 2026-06-01 13:00Z, before its MQL: assigned at mql_at, routing 0.
    model = history_model([lead("L")], [change("c1", "L", "2026-06-01T13:00:00Z", None, "r1")])
    out = facts(model)["L"]
    assert out["assigned_at"] == ts(T0)
    assert out["routing_business_minutes"] == 0.0
    assert out["reassignments"] == 0


def test_no_history_keeps_the_files_assigned_at():
    # No owner change: the file's assigned_at 15:30Z stands, routing 90 business minutes; the
    # breach owner of this untouched low lead is its owner_id.
    model = history_model([lead("L", assigned_at="2026-06-02T15:30:00Z"), lead("M")],
                          [change("c1", "M", "2026-06-01T13:00:00Z", None, "r1")])
    out = facts(model)["L"]
    assert out["assigned_at"] == ts("2026-06-02T15:30:00Z")
    assert out["routing_business_minutes"] == 90.0
    assert out["reassignments"] == 0
    assert out["breach_at"] == BREACH and out["breach_owner_id"] == "r1"
    assert not out["has_owner_history"] and facts(model)["M"]["has_owner_history"]


def test_no_rep_ever_leaves_assigned_at_empty():
    # Only queues: never assigned, so no routing delay even though the file says 14:10Z.
    model = history_model([lead("L", assigned_at="2026-06-02T14:10:00Z")],
                          [change("c1", "L", "2026-06-02T14:30:00Z", "Q1", "Q2")])
    out = facts(model)["L"]
    assert pd.isna(out["assigned_at"]) and pd.isna(out["routing_business_minutes"])


# -- the owner at an instant ------------------------------------------------------------------------
def test_equal_times_the_greater_change_id_wins():
    # e2 and e1 at the same instant (13:00Z, before mql): e2 (the greater id) -> r2 holds at the
    # breach (Wed 14:00Z), though the file's owner is r1 and e1 went to r1.
    model = history_model([lead("L")], [change("e2", "L", "2026-06-02T13:00:00Z", None, "r2"),
                                        change("e1", "L", "2026-06-02T13:00:00Z", None, "r1")])
    out = facts(model)["L"]
    assert out["owner_id"] == "r1"
    assert out["breach_at"] == BREACH and out["breach_owner_id"] == "r2"
    assert out["assigned_at"] == ts(T0)


def test_before_the_first_change_its_from_owner_holds():
    # The only change (Thu 14:00Z, after the breach) moves the lead r2 -> r3: r2 held it at the
    # MQL (assigned at mql_at) and at the breach; it is the breach owner, r3 the owner now.
    model = history_model([lead("L", owner_id="r3")], [change("c1", "L", "2026-06-04T14:00:00Z", "r2", "r3")])
    out = facts(model)["L"]
    assert out["assigned_at"] == ts(T0)
    assert out["breach_owner_id"] == "r2"
    assert out["reassignments"] == 1


def test_reassigned_before_and_after_the_breach():
    # B: r1 -> r2 on Tue 18:00Z, before the breach at Wed 14:00Z: r2 owns the breach.
    # A: r1 -> r2 on Wed 16:00Z, after it: r1 owns the breach, though r2 owns the lead now.
    model = history_model(
        [lead("B", owner_id="r2"), lead("A", owner_id="r2")],
        [change("b1", "B", "2026-06-02T13:00:00Z", None, "r1"), change("b2", "B", "2026-06-02T18:00:00Z", "r1", "r2"),
         change("a1", "A", "2026-06-02T13:00:00Z", None, "r1"), change("a2", "A", "2026-06-03T16:00:00Z", "r1", "r2")],
    )
    out = facts(model)
    assert out["B"]["breach_owner_id"] == "r2" and out["A"]["breach_owner_id"] == "r1"
    assert out["B"]["breach_at"] == BREACH and out["A"]["breach_at"] == BREACH
    assert out["B"]["reassignments"] == 1 and out["A"]["reassignments"] == 1


def test_reassignments_count_only_from_mql_to_the_first_touch():
    # k1 13:00Z is before mql (no); k2 15:00Z r1 -> r2 (yes); k3 15:30Z r2 -> r2 is no change of
    # owner (no); k4 16:00Z r2 -> r3 at the first touch (yes: closed interval); k5 17:00Z after
    # the touch (no). U, untouched: u1 Thu 14:00Z (yes, before as_of), u2 Mon 06-08 after as_of (no).
    model = history_model(
        [lead("K"), lead("U")],
        [change("k1", "K", "2026-06-02T13:00:00Z", None, "r1"), change("k2", "K", "2026-06-02T15:00:00Z", "r1", "r2"),
         change("k3", "K", "2026-06-02T15:30:00Z", "r2", "r2"), change("k4", "K", "2026-06-02T16:00:00Z", "r2", "r3"),
         change("k5", "K", "2026-06-02T17:00:00Z", "r3", "r1"),
         change("u1", "U", "2026-06-04T14:00:00Z", "r1", "r2"), change("u2", "U", "2026-06-08T14:00:00Z", "r2", "r3")],
        [act("a1", "K", "2026-06-02T16:00:00Z")],
    )
    out = facts(model)
    assert out["K"]["reassignments"] == 2
    assert out["U"]["reassignments"] == 1


# -- breach_at --------------------------------------------------------------------------------------
def test_breach_at_is_the_earliest_instant_the_target_is_reached():
    # D: low, MQL Tue 09:00 EDT (13:00Z): 480 minutes are all of Tuesday, so the breach is at
    # Tue 17:00 EDT = 21:00Z, not Wed 09:00. A change exactly then (r1 -> r2) is at or before
    # the breach: r2 owns it. H: high (5 min), MQL Tue 16:58 EDT (20:58Z): 2 minutes on Tuesday,
    # 3 on Wednesday: Wed 09:03 EDT = 13:03Z. M: medium, touched at 59 minutes: met, no breach.
    model = history_model(
        [lead("D", mql_at="2026-06-02T13:00:00Z"), lead("H", mql_at="2026-06-02T20:58:00Z", source="Demo request"),
         lead("M", source="Free trial")],
        [change("d1", "D", "2026-06-02T21:00:00Z", "r1", "r2")],
        [act("a1", "M", "2026-06-02T14:59:00Z")],
    )
    out = facts(model)
    assert out["D"]["breach_at"] == ts("2026-06-02T21:00:00Z") and out["D"]["breach_owner_id"] == "r2"
    assert out["H"]["breach_at"] == ts("2026-06-03T13:03:00Z") and out["H"]["breach_owner_id"] == "r1"
    assert out["M"]["sla_status"] == "met" and pd.isna(out["M"]["breach_at"])


def test_a_late_touch_is_a_breach_at_the_target_too():
    # Medium (60), touched at 14:00Z + 61 minutes: breached; the breach came at 15:00Z.
    model = history_model([lead("L", source="Free trial")], activities=[act("a1", "L", "2026-06-02T15:01:00Z")])
    out = facts(model)["L"]
    assert out["sla_status"] == "breached" and out["breach_at"] == ts("2026-06-02T15:00:00Z")


# -- accountability per rep -------------------------------------------------------------------------
ACCOUNTABLE = dict(
    leads=[
        lead("A1", owner_id="r2"),  # breached; r1 -> r2 after the breach: r1 owns it
        lead("A2", owner_id="r2"),  # breached, no history: r2 owns it
        lead("A3", owner_id="r3"),  # r1 -> r3 at 14:30Z, touched 15:00Z: met
        lead("A4", owner_id="r1"),  # breached while in queue Q1 (before its first change): unassigned
    ],
    changes=[
        change("a1", "A1", "2026-06-02T13:00:00Z", None, "r1"),  # before mql: not counted
        change("a2", "A1", "2026-06-03T16:00:00Z", "r1", "r2"),
        change("a3", "A3", "2026-06-02T14:30:00Z", "r1", "r3"),
        change("a4", "A4", "2026-06-03T15:00:00Z", "Q1", "r1"),
    ],
    activities=[act("t3", "A3", "2026-06-02T15:00:00Z")],
)


def test_breaches_are_owned_by_the_breach_owner_not_the_final_owner():
    model = history_model(**ACCOUNTABLE)
    table = views.rep_accountability(model, None)
    rows = {(r["owner_id"] if isinstance(r["owner_id"], str) else None): r for r in table.to_dict(orient="records")}
    # r1: breach A1; held A1 and A3 untouched and lost them; received A4 (Q1 -> r1).
    # r2: breach A2; received A1. r3: received A3. Unassigned: breach A4, lost A4 to r1.
    got = {k: (v["breaches_owned"], v["reassigned_away"], v["reassigned_in"]) for k, v in rows.items()}
    assert got == {"r1": (1, 2, 1), "r2": (1, 0, 1), "r3": (0, 0, 1), None: (1, 1, 0)}
    assert rows[None]["owner_name"] == UNASSIGNED and rows["r1"]["owner_name"] == "Ann"
    assert list(table["owner_id"].fillna("-")) == ["r1", "-", "r2", "r3"]  # most breaches, then most lost
    # by the final owner the same breaches fall elsewhere: r1 has A4, r2 has A1 and A2
    by_owner = model.metrics("rep").set_index("group")["breached"].to_dict()
    assert by_owner == {"r1": 1, "r2": 2, "r3": 0}


# -- escalation: breaches reassigned within the escalation time -------------------------------------
def test_the_escalation_share_counts_decided_breaches():
    # Breaches at Wed 14:00Z (low leads from T0), escalation time up to Wed 18:00Z:
    # C  r1 -> r2 Tue 18:00Z, before the breach           -> decided, not escalated
    # D  r1 -> r2 Wed 16:00Z, 120 minutes after it        -> escalated
    # E  r1 -> r3 Thu 14:00Z, after the escalation time    -> decided, not escalated
    # F  r1 -> r2 at Wed 18:00:00Z exactly                 -> escalated (closed interval)
    # F2 r1 -> r2 at Wed 18:00:01Z                         -> decided, not escalated
    # G  no history                                         -> decided, not escalated
    # H  MQL Thu 13:00 EDT: breach Fri 13:00 EDT, escalation ends Fri 17:00 EDT, after as_of
    #    (Fri 16:00 EDT): not decided yet
    # escalated 2 (D, F), decided 6, share 2 / 6; 7 breaches.
    leads = [lead(x) for x in ("C", "D", "E", "F", "F2", "G")] + [lead("H", mql_at="2026-06-04T17:00:00Z")]
    moves = {"C": "2026-06-02T18:00:00Z", "D": "2026-06-03T16:00:00Z", "E": "2026-06-04T14:00:00Z",
             "F": "2026-06-03T18:00:00Z", "F2": "2026-06-03T18:00:01Z"}
    model = history_model(leads, [change(f"m{x}", x, at, "r1", "r2") for x, at in moves.items()])
    out = facts(model)
    assert {x: out[x]["escalated"] for x in out} == {
        "C": False, "D": True, "E": False, "F": True, "F2": False, "G": False, "H": None}
    esc = views.escalation(model, None)
    assert (esc["breached"], esc["escalated"], esc["escalation_decided"], esc["escalation_open"]) == (7, 2, 6, 1)
    assert esc["escalation_rate"] == pytest.approx(2 / 6)
    assert checks.run(model) == []


def test_an_escalation_beyond_the_calendar_is_cut_at_as_of():
    # A policy with escalation after 100 business days: nothing is decided by as_of, and the
    # reassignment of D (120 minutes after its breach) is escalation all the same.
    store = build_store(reps=REPS, leads=[lead("D"), lead("G")])
    store.upsert("owner_changes", frame([change("d", "D", "2026-06-03T16:00:00Z", "r1", "r2")]))
    model = Model(store.con, Policy(escalation_minutes=48_000), pd.Timestamp(AS_OF).to_pydatetime())
    out = facts(model)
    assert out["D"]["escalated"] is True and out["G"]["escalated"] is None


# -- the command line and the import --------------------------------------------------------------
@pytest.fixture
def folder(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "reps.csv").write_text(
        "rep_id,name,team,timezone,country\nr1,Ann,East,America/New_York,US\nr2,Bob,East,America/New_York,US\n"
    )
    (d / "leads.csv").write_text(
        "lead_id,created_at,mql_at,owner_id,source,assigned_at\n"
        "L1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r2,Webinar,\n"
        "L2,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,\"Webinar, EMEA\",2026-06-02T15:00:00Z\n"
    )
    (d / "activities.csv").write_text("activity_id,lead_id,type,occurred_at\n")
    (d / "owner_changes.csv").write_text(
        "change_id,lead_id,changed_at,from_owner_id,to_owner_id\n"
        "c1,L1,2026-06-02T14:20:00Z,,r1\n"
        "c2,L1,2026-06-03T16:00:00Z,r1,r2\n"
        "c3,L404,2026-06-02T14:20:00Z,,r1\n"
        "c1,L1,2026-06-02T14:30:00Z,,r2\n"
    )
    return d


def test_import_loads_owner_changes_and_rejects_bad_rows(folder, tmp_path):
    # c3 names no lead; the second c1 repeats an id: both rejected, c1 (line 2) and c2 loaded.
    store = Store()
    report = import_dir(store, folder, Policy(), rejects_path=tmp_path / "rejects.csv")
    got = {tuple(r) for r in store.con.execute(
        "SELECT file, line, \"column\", reason FROM rejects WHERE file = 'owner_changes.csv'").fetchall()}
    assert got == {("owner_changes.csv", 4, "lead_id", "unknown lead"),
                   ("owner_changes.csv", 5, "change_id", "duplicate id (first on line 2)")}
    assert store.con.execute("SELECT change_id FROM owner_changes ORDER BY 1").fetchall() == [("c1",), ("c2",)]
    assert report.exit_code == 1


def test_leads_extended_appends_the_owner_history_columns(folder, capsys):
    (folder / "owner_changes.csv").write_text(
        "change_id,lead_id,changed_at,from_owner_id,to_owner_id\n"
        "c1,L1,2026-06-02T14:20:00Z,,r1\n"
        "c2,L1,2026-06-03T16:00:00Z,r1,r2\n"
    )
    args = ["leads", "--data", str(folder), "--as-of", AS_OF]
    assert main(args) == 0
    plain = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert main([*args, "--extended"]) == 0
    extended = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    extra = ["assigned_at", "routing_business_minutes", "reassignments", "breach_at", "breach_owner_id"]
    assert plain[0] == LEAD_COLUMNS and extended[0] == LEAD_COLUMNS + extra
    assert [row[:15] for row in extended] == plain
    rows = {row[0]: dict(zip(extended[0], row, strict=True)) for row in extended[1:]}
    # L1: unassigned at its MQL, r1 at 14:20Z (20 business minutes); r1 -> r2 after the breach
    # (Wed 14:00Z): r1 owns the breach, 2 reassignments (empty -> r1, r1 -> r2) while untouched.
    assert {k: rows["L1"][k] for k in extra} == {
        "assigned_at": "2026-06-02T14:20:00Z", "routing_business_minutes": "20.0", "reassignments": "2",
        "breach_at": "2026-06-03T14:00:00Z", "breach_owner_id": "r1"}
    # L2, no history: the file's assigned_at (60 minutes), its owner owns the breach
    assert {k: rows["L2"][k] for k in extra} == {
        "assigned_at": "2026-06-02T15:00:00Z", "routing_business_minutes": "60.0", "reassignments": "0",
        "breach_at": "2026-06-03T14:00:00Z", "breach_owner_id": "r1"}
