"""The model's data tests (handoff.model.checks) hold on the sample and on hand-made data, and
each one fails when its rule is broken."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from handoff.model import Filters, Model, checks
from handoff.policy import Policy
from handoff.sources.files import import_dir
from handoff.store import Store
from handmade import act, build_model, lead, meet, minutes_after, opp

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = next(p for p in (ROOT / "src" / "handoff" / "sample_data", ROOT / "sample_data")
              if (p / "leads.parquet").exists())
NAMES = [c.name for c in checks.checks()] + ["counts_add_up"]

T0 = "2026-06-02T14:00:00Z"  # Tue 10:00 EDT
LATE = "2026-06-18T14:00:00Z"  # Thu 10:00 EDT: windows still open at AS_OF
AS_OF = "2026-06-20T00:00:00Z"


@pytest.fixture(scope="module")
def sample() -> Model:
    store = Store()
    import_dir(store, SAMPLE, Policy())
    return Model(store.con, Policy(), pd.Timestamp("2026-11-20T00:00:00Z").to_pydatetime())


@pytest.fixture
def handmade(ny_rep) -> Model:
    """A bit of everything: tiers, met / breached / pending, bookings (one canceled), open
    and closed windows, dispositions on time, late, missing and overdue, an unassigned lead,
    an owner who is no known rep, a routing delay, won and open opportunities."""
    reps = [ny_rep, {"rep_id": "r2", "name": "Bo", "team": "West", "timezone": "America/Los_Angeles"}]
    leads = [
        lead("met_high", source="Demo request", disposition="Qualified", disposition_at=minutes_after(T0, 60)),
        lead("late_low", disposition="Bad Fit", disposition_at=minutes_after(T0, 72 * 60)),
        lead("never_old", source="Free trial"),
        lead("booked", owner_id="r2", assigned_at=minutes_after(T0, 30), sql_at="2026-06-10T14:00:00Z"),
        lead("canceled", campaign="Spring", segment="SMB"),
        lead("pending_new", LATE, source="Webinar"),
        lead("touched_new", LATE, source="Demo request"),
        lead("nobody", owner_id=None, source=None),
        lead("ghost", owner_id="gone"),
        lead("not_handed_off", None),
    ]
    acts = [
        act("a1", "met_high", minutes_after(T0, 3)),
        act("a2", "late_low", "2026-06-05T14:00:00Z"),
        *[act(f"c{i}", "late_low", minutes_after("2026-06-05T14:00:00Z", 60 * i)) for i in range(1, 7)],
        act("a3", "touched_new", minutes_after(LATE, 2)),
        act("inbound", "never_old", minutes_after(T0, 5), direction="inbound"),
    ]
    meetings = [meet("m1", "booked", minutes_after(T0, 90)),
                meet("m2", "canceled", minutes_after(T0, 40), status="canceled")]
    opps = [opp("o1", "booked", "2026-06-10T14:00:00Z", amount=20000, is_won=True, is_closed=True,
                closed_at="2026-06-15T14:00:00Z"),
            opp("o2", "met_high", "2026-06-11T14:00:00Z", amount=5000)]
    return build_model(reps=reps, leads=leads, activities=acts, meetings=meetings, opportunities=opps,
                       as_of=AS_OF)


def test_there_is_a_check_of_each_kind():
    kinds = {c.on for c in checks.checks()}
    assert kinds == {checks.LEADS, checks.METRICS}
    assert {"lead_id_unique", "sla_partition", "contact_partition", "meeting_partition"} <= set(NAMES)


def test_every_check_holds_on_the_sample(sample):
    failures = checks.run(sample)
    assert not failures, checks.report(failures)


def test_every_check_holds_on_a_filtered_sample(sample):
    failures = checks.run(sample, Filters(tiers=("high", "medium"), owners=("(unassigned)", "R01", "R02")))
    assert not failures, checks.report(failures)


def test_every_check_holds_on_handmade_data(handmade):
    failures = checks.run(handmade)
    assert not failures, checks.report(failures)
    facts = handmade.lead_handoff().set_index("lead_id")
    # the fixture reaches every branch the checks look at
    assert set(facts["sla_status"]) == {"met", "breached", "pending"}
    meeting = facts["meeting_in_window"]
    assert meeting.isna().any() and (meeting == True).any() and (meeting == False).any()  # noqa: E712
    assert facts["disposition_overdue"].any() and facts["disposition_on_time"].notna().any()
    assert "not_handed_off" not in facts.index


BREAKS = {
    "lead_id_unique": "INSERT INTO lead_handoff SELECT * FROM lead_handoff WHERE lead_id = 'met_high'",
    "not_null": "UPDATE lead_handoff SET tier = NULL WHERE lead_id = 'met_high'",
    "one_row_per_handoff": "DELETE FROM lead_handoff WHERE lead_id = 'ghost'",
    "accepted_values": "UPDATE lead_handoff SET sla_status = 'late' WHERE lead_id = 'met_high'",
    "sla_status_by_touch": "UPDATE lead_handoff SET sla_status = 'pending' WHERE lead_id = 'met_high'",
    "contacted_is_first_touch": "UPDATE lead_handoff SET contacted = false WHERE lead_id = 'met_high'",
    "never_bucket_is_untouched": "UPDATE lead_handoff SET speed_bucket = 'never' WHERE lead_id = 'met_high'",
    "meeting_outcome_by_window": "UPDATE lead_handoff SET meeting_in_window = NULL WHERE lead_id = 'never_old'",
    "business_minutes_within_wall_clock":
        "UPDATE lead_handoff SET response_business_minutes = 99999 WHERE lead_id = 'met_high'",
    "cadence_met_by_target": "UPDATE lead_handoff SET cadence_met = true WHERE lead_id = 'met_high'",
    "disposition_timing": "UPDATE lead_handoff SET disposition_overdue = true WHERE lead_id = 'met_high'",
    "breach_at_iff_breached": "UPDATE lead_handoff SET breach_at = NULL WHERE lead_id = 'late_low'",
    "routing_from_assigned_at": "UPDATE lead_handoff SET routing_business_minutes = NULL WHERE lead_id = 'booked'",
    "sla_partition": "UPDATE lead_handoff SET sla_status = NULL WHERE lead_id = 'met_high'",
    "contact_partition": "UPDATE lead_handoff SET contacted = NULL WHERE lead_id = 'met_high'",
    "meeting_partition": None,  # a changed expression: see the test below
    "disposition_parts": "UPDATE lead_handoff SET disposition = NULL, disposition_overdue = true "
                         "WHERE lead_id = 'met_high'",
    "shares_between_0_and_1": None,
    "gap_is_difference": None,
    "escalation_parts": None,
    "young_cohorts": None,
    "counts_add_up": None,
}


@pytest.mark.parametrize("name", [n for n, sql in BREAKS.items() if sql], ids=str)
def test_a_broken_rule_is_caught(handmade, name):
    handmade.con.execute(BREAKS[name])
    assert name in {f.check for f in checks.run(handmade)}


@pytest.mark.parametrize("name, metric, broken", [
    ("meeting_partition", "meeting_decided", "count(*) FILTER (WHERE meeting_in_window)"),
    ("shares_between_0_and_1", "contacted_share", "contacted / handoffs * 2"),
    ("gap_is_difference", "assigned_contacted_gap", "contacted / handoffs - assigned / handoffs"),
    ("escalation_parts", "escalation_decided", "count(*)"),
    ("sla_partition", "pending", "count(*) FILTER (WHERE sla_status = 'pending' AND tier = 'high')"),
    ("counts_add_up", "assigned", "count(DISTINCT owner_id)"),
    # the rate over the decided handoffs: a young group's quick bookers as its result
    ("young_cohorts", "handoff_to_meeting_rate",
     "count(*) FILTER (WHERE meeting_in_window) / nullif(count(meeting_in_window), 0)"),
])
def test_a_changed_metric_expression_is_caught(handmade, monkeypatch, name, metric, broken):
    from dataclasses import replace

    from handoff.model import definitions

    changed = tuple(replace(m, sql=broken) if m.name == metric else m for m in definitions.METRICS)
    monkeypatch.setattr(definitions, "METRICS", changed)
    assert name in {f.check for f in checks.run(handmade)}


def test_every_check_is_exercised_by_a_break():
    assert set(BREAKS) == set(NAMES)
