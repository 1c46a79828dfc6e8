"""Anything that happens after as_of has not happened yet; what happens exactly at as_of has.

Rep r1 works in New York (EDT = UTC-4). Every lead is handed off Tue 2026-06-02 10:00 EDT
(14:00Z), a Webinar lead (low tier, 480 business minutes), and the numbers are computed as
of Thu 2026-06-04 14:00Z = 10:00 EDT, while every meeting window is still open (it ends Tue
06-16). "+1 s" is one second after as_of.
"""

from __future__ import annotations

import pandas as pd
import pytest

from handoff.model import Filters
from handoff.model import views
from handmade import T0, act, build_model, facts, lead, meet, minutes_after

AS_OF = "2026-06-04T14:00:00Z"
LATER = minutes_after(AS_OF, 1 / 60)  # one second after as_of


def missing(value) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and pd.isna(value))


@pytest.fixture
def out(ny_rep):
    leads = [
        lead("act_later"), lead("act_at"), lead("meet_later"), lead("meet_at"),
        lead("disp_later", disposition="Qualified", disposition_at=LATER),
        lead("disp_at", disposition="Qualified", disposition_at=AS_OF),
        lead("sql_later", sql_at=LATER), lead("sql_at", sql_at=AS_OF),
        lead("assigned_later", assigned_at=LATER), lead("assigned_at", assigned_at=AS_OF),
        lead("mql_later", LATER), lead("mql_at", AS_OF),
    ]
    acts = [act("a1", "act_later", LATER), act("a2", "act_at", AS_OF)]
    meetings = [meet("m1", "meet_later", LATER), meet("m2", "meet_at", AS_OF)]
    model = build_model(reps=[ny_rep], leads=leads, activities=acts, meetings=meetings, as_of=AS_OF)
    return facts(model)


def test_an_activity_after_as_of_is_no_touch_yet(out):
    # act_later waited 7 h Tue + 8 h Wed + 1 h Thu = 960 > 480 untouched: breached, never contacted.
    assert missing(out["act_later"]["first_touch_at"])
    assert out["act_later"]["speed_bucket"] == "never"
    assert out["act_later"]["touches_in_window"] == 0
    assert (out["act_later"]["sla_status"], out["act_later"]["age_business_minutes"]) == ("breached", 960)
    assert out["act_at"]["first_touch_at"] == pd.Timestamp(AS_OF)
    assert out["act_at"]["touches_in_window"] == 1


def test_a_meeting_booked_after_as_of_is_neither_contact_nor_a_meeting_yet(out):
    assert missing(out["meet_later"]["first_touch_at"])
    assert missing(out["meet_later"]["meeting_in_window"]), "window open, nothing booked by as_of: pending"
    assert out["meet_at"]["first_touch_at"] == pd.Timestamp(AS_OF)
    assert out["meet_at"]["meeting_in_window"] is True


def test_a_disposition_after_as_of_is_not_there_yet(out):
    assert missing(out["disp_later"]["disposition"])
    assert missing(out["disp_later"]["disposition_at"])
    assert missing(out["disp_later"]["disposition_on_time"])
    assert out["disp_later"]["accepted"] is not True
    assert out["disp_at"]["disposition"] == "Qualified"
    assert out["disp_at"]["disposition_on_time"] is True  # exactly 48 h after mql_at


def test_sql_after_as_of_is_not_sql_yet(out):
    assert out["sql_later"]["is_sql"] is False
    assert out["sql_at"]["is_sql"] is True


def test_an_assignment_after_as_of_is_unknown_yet(out):
    assert missing(out["assigned_later"]["assigned_at"])
    assert missing(out["assigned_later"]["routing_business_minutes"])
    # assigned exactly at as_of: 16 business hours = 960 business minutes after the handoff
    assert out["assigned_at"]["routing_business_minutes"] == 960


def test_a_handoff_after_as_of_is_not_a_handoff_yet(out):
    assert "mql_later" not in out
    assert "mql_at" in out
    assert out["mql_at"]["sla_status"] == "pending" and out["mql_at"]["age_business_minutes"] == 0


def test_aggregates_count_only_what_happened_by_as_of(ny_rep):
    # Four handoffs. By as_of: one Qualified (a), one Bad Fit (b); c's Qualified comes later.
    # acceptance = 1 Qualified / 2 dispositioned = 1/2 (c counts in neither).
    # SQL: a by as_of, c later: sql_rate 1/4. Meetings: none decided yet (windows open).
    leads = [
        lead("a", disposition="Qualified", disposition_at="2026-06-03T14:00:00Z", sql_at="2026-06-03T15:00:00Z"),
        lead("b", disposition="Bad Fit", disposition_at="2026-06-03T14:00:00Z"),
        lead("c", disposition="Qualified", disposition_at=LATER, sql_at=LATER),
        lead("d"),
    ]
    meetings = [meet("m", "d", LATER)]
    model = build_model(reps=[ny_rep], leads=leads, meetings=meetings, as_of=AS_OF)
    m = model.metrics("all").iloc[0]
    assert (m["handoffs"], m["dispositioned"], m["accepted"]) == (4, 2, 1)
    assert m["acceptance_rate"] == pytest.approx(1 / 2)
    assert m["sql_rate"] == pytest.approx(1 / 4)
    assert (m["meeting_decided"], m["meetings_in_window"]) == (0, 0)
    assert pd.isna(m["handoff_to_meeting_rate"])
    assert m["never_contacted_rate"] == 1.0  # d's booking is after as_of
    mix = model.disposition_mix("all").set_index("disposition")["handoffs"].to_dict()
    assert mix == {"Bad Fit": 1, "Qualified": 1}
    assert list(views.undispositioned(model, Filters())["lead_id"]) == []  # 48 h exactly: not more


def test_as_of_moves_forward_and_things_happen(ny_rep):
    # The same data as of one second later: c's disposition and SQL and d's booking are in.
    leads = [lead("c", disposition="Qualified", disposition_at=LATER, sql_at=LATER), lead("d")]
    meetings = [meet("m", "d", LATER)]
    out = facts(build_model(reps=[ny_rep], leads=leads, meetings=meetings, as_of=LATER))
    assert out["c"]["disposition"] == "Qualified" and out["c"]["is_sql"] is True
    assert out["d"]["first_touch_at"] == pd.Timestamp(LATER) and out["d"]["meeting_in_window"] is True
