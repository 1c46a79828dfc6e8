"""Handoffs without a disposition more than the disposition SLA after mql_at.

The SLA is `disposition_sla_hours` (default 48) hours of wall clock, not business time and
not minutes. As of Wed 2026-06-10 00:00Z; each lead's mql_at is set back from as_of by the
age in the table.

lead          age at as_of   disposition                      listed (48 h)   listed (24 h)
h47_59        47 h 59 min    none                             no              yes
h48           48 h exactly   none                             no (not more)   yes
h48_01        48 h 1 min     none                             yes             yes
h23_59        23 h 59 min    none                             no              no
h24_01        24 h 1 min     none                             no              yes
answered      72 h           Qualified, 06-08                 no              no
answers_late  72 h           Bad Fit at as_of + 1 h (not yet)  yes             yes
not_mql       72 h (created) no mql_at: not a handoff          no              no
"""

from __future__ import annotations

import pytest

from handoff.model import Filters
from handoff.model import views
from handoff.policy import Policy
from handmade import build_model, lead, minutes_after

AS_OF = "2026-06-10T00:00:00Z"


def ago(hours: int, minutes: int = 0) -> str:
    return minutes_after(AS_OF, -(hours * 60 + minutes))


def tables(ny_rep) -> dict:
    leads = [
        lead("h47_59", ago(47, 59)), lead("h48", ago(48)), lead("h48_01", ago(48, 1)),
        lead("h23_59", ago(23, 59)), lead("h24_01", ago(24, 1)),
        lead("answered", ago(72), disposition="Qualified", disposition_at="2026-06-08T00:00:00Z"),
        lead("answers_late", ago(72), disposition="Bad Fit", disposition_at=minutes_after(AS_OF, 60)),
        lead("not_mql", None, created_at=ago(72)),
    ]
    return {"reps": [ny_rep], "leads": leads}


def listed(policy: Policy, ny_rep) -> list[str]:
    model = build_model(policy, as_of=AS_OF, **tables(ny_rep))
    return list(views.undispositioned(model, Filters())["lead_id"])


def test_the_default_threshold_is_48_wall_clock_hours(ny_rep):
    got = listed(Policy(), ny_rep)
    assert "h47_59" not in got, "47 h 59 min is under 48 hours (the SLA is hours, not minutes)"
    assert "h48" not in got, "exactly 48 h is not more than 48 h"
    assert "h48_01" in got
    # oldest first (mql_at, then lead_id)
    assert got == ["answers_late", "h48_01"]


def test_a_disposition_after_as_of_has_not_happened_yet(ny_rep):
    assert "answers_late" in listed(Policy(), ny_rep)
    assert "answered" not in listed(Policy(), ny_rep)


def test_hours_since_mql(ny_rep):
    model = build_model(as_of=AS_OF, **tables(ny_rep))
    frame = views.undispositioned(model, Filters()).set_index("lead_id")
    assert frame.loc["h48_01", "hours_since_mql"] == pytest.approx(48 + 1 / 60)
    assert frame.loc["answers_late", "hours_since_mql"] == pytest.approx(72)


def test_the_policy_sets_the_threshold_in_hours(ny_rep):
    got = listed(Policy(disposition_sla_hours=24), ny_rep)
    assert got == ["answers_late", "h48_01", "h48", "h47_59", "h24_01"], (
        "with a 24 h SLA: every lead older than 24 hours without a disposition, oldest first")
    assert "h23_59" not in got


def test_disposition_on_time_uses_the_same_policy_hours(ny_rep):
    # answered: MQL 06-07 00:00Z, dispositioned 06-08 00:00Z = 24 h after: on time under 48 h
    # and under a 24 h SLA (<= is on time), late under a 23 h SLA.
    for hours, expected in ((48, True), (24, True), (23, False)):
        model = build_model(Policy(disposition_sla_hours=hours), as_of=AS_OF, **tables(ny_rep))
        out = model.lead_handoff().set_index("lead_id").loc["answered"]
        assert bool(out["disposition_on_time"]) is expected, f"{hours} h SLA"
