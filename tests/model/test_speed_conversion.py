"""Conversion by speed bucket: the meeting rate of a mature bucket only (or over the mature
weeks), the SQL rate over all.

Rep r1 works in New York (EDT, UTC-4). As of Sat 2026-06-20 00:00Z. A lead handed off on
Tue 06-02 10:00 EDT has its meeting window closed (it ended Tue 06-16 10:00 EDT); one
handed off on Thu 06-18 10:00 EDT (14:00Z) is still inside it (pending unless it booked).

lead      MQL     first touch              meeting            meeting_in_window  sql
s_yes     06-02   call +10 min   (5-30m)   booked 06-03       true               -
s_no      06-02   call +20 min   (5-30m)   none, window over  false              -
s_pend1   06-18   call +15 min   (5-30m)   none yet           pending            06-19
s_pend2   06-18   call +25 min   (5-30m)   none yet           pending            -
f_booked  06-18   booking +3 min (0-5m)    booked +3 min      true               -
f_pend    06-18   call +4 min    (0-5m)    none yet           pending            -
h_pend    06-18   call +45 min   (30-60m)  none yet           pending            -
n_old     06-02   never                    none, window over  false              -
n_new     06-18   never                    none yet           pending            -

Over all weeks every bucket but none holds a pending handoff, so no bucket is mature: no
meeting rate (the former 1/2 for 5-30m and 1/1 for 0-5m, over the decided handoffs only,
counted young leads that had booked and left out those that had not yet: a young result).
Booked so far: 5-30m 1/4, 0-5m 1/2.

Over the mature weeks only (the week of 06-01: s_yes, s_no, n_old):
5-30m:  handoffs 2, meetings 1 -> 1/2;  never: handoffs 1, meetings 0 -> 0/1.
SQL rate over all a bucket's handoffs: 5-30m 1/4 (s_pend1).
"""

from __future__ import annotations

import pandas as pd
import pytest

from handoff.model import Filters
from handoff.model import views
from handoff.stats import wilson_interval
from handmade import act, build_model, lead, meet, minutes_after

AS_OF = "2026-06-20T00:00:00Z"
OLD = "2026-06-02T14:00:00Z"
NEW = "2026-06-18T14:00:00Z"


@pytest.fixture
def model(ny_rep):
    leads = [
        lead("s_yes", OLD), lead("s_no", OLD), lead("s_pend1", NEW, sql_at="2026-06-19T15:00:00Z"),
        lead("s_pend2", NEW), lead("f_booked", NEW), lead("f_pend", NEW), lead("h_pend", NEW),
        lead("n_old", OLD), lead("n_new", NEW),
    ]
    acts = [
        act("a_yes", "s_yes", minutes_after(OLD, 10)), act("a_no", "s_no", minutes_after(OLD, 20)),
        act("a_p1", "s_pend1", minutes_after(NEW, 15)), act("a_p2", "s_pend2", minutes_after(NEW, 25)),
        act("a_f", "f_pend", minutes_after(NEW, 4)), act("a_h", "h_pend", minutes_after(NEW, 45)),
    ]
    meetings = [meet("m_yes", "s_yes", "2026-06-03T15:00:00Z"), meet("m_f", "f_booked", minutes_after(NEW, 3))]
    return build_model(reps=[ny_rep], leads=leads, activities=acts, meetings=meetings, as_of=AS_OF)


def test_per_lead_buckets_and_meeting_outcomes(model):
    out = model.lead_handoff().set_index("lead_id")
    assert out["speed_bucket"].to_dict() == {
        "s_yes": "5-30m", "s_no": "5-30m", "s_pend1": "5-30m", "s_pend2": "5-30m", "f_booked": "0-5m",
        "f_pend": "0-5m", "h_pend": "30-60m", "n_old": "never", "n_new": "never",
    }
    decided = {k: (None if pd.isna(v) else bool(v)) for k, v in out["meeting_in_window"].items()}
    assert decided == {"s_yes": True, "s_no": False, "s_pend1": None, "s_pend2": None, "f_booked": True,
                       "f_pend": None, "h_pend": None, "n_old": False, "n_new": None}


def test_no_bucket_with_a_pending_handoff_has_a_meeting_rate(model):
    speed = model.speed_conversion().set_index("speed_bucket")
    row = speed.loc["5-30m"]
    assert (row["handoffs"], row["meeting_decided"], row["meetings_in_window"]) == (4, 2, 1)
    assert not row["mature"] and pd.isna(row["meeting_rate"])
    assert row["booked_so_far"] == pytest.approx(1 / 4)
    row = speed.loc["0-5m"]
    assert (row["handoffs"], row["meeting_decided"], row["meetings_in_window"]) == (2, 1, 1)
    assert pd.isna(row["meeting_rate"]) and row["booked_so_far"] == pytest.approx(1 / 2)


def test_meeting_rate_per_bucket_over_the_mature_weeks(model):
    speed = model.speed_conversion(mature_weeks_only=True).set_index("speed_bucket")
    assert list(speed.index) == ["5-30m", "never"]
    assert (speed.loc["5-30m", "handoffs"], speed.loc["5-30m", "meetings_in_window"]) == (2, 1)
    assert speed.loc["5-30m", "meeting_rate"] == pytest.approx(1 / 2)
    assert speed.loc["never", "meeting_rate"] == 0 and speed.loc["never", "handoffs"] == 1


def test_a_bucket_with_only_pending_windows_has_no_meeting_rate(model):
    row = model.speed_conversion().set_index("speed_bucket").loc["30-60m"]
    assert (row["handoffs"], row["meeting_decided"]) == (1, 0)
    assert pd.isna(row["meeting_rate"]), "nothing decided yet: no rate (not 0%)"


def test_sql_rate_per_bucket_is_over_all_its_handoffs(model):
    speed = model.speed_conversion().set_index("speed_bucket")
    assert speed.loc["5-30m", "sqls"] == 1
    assert speed.loc["5-30m", "sql_rate"] == pytest.approx(1 / 4)
    assert speed.loc["0-5m", "sql_rate"] == 0


def test_buckets_come_in_speed_order(model):
    assert list(model.speed_conversion()["speed_bucket"]) == ["0-5m", "5-30m", "30-60m", "never"]


def test_the_page_view_is_over_the_mature_weeks(model):
    frame = views.conversion_by_speed(model, Filters()).set_index("speed_bucket")
    low, high = wilson_interval([1], [2])
    assert frame.loc["5-30m", "meeting_rate_low"] == pytest.approx(low[0])
    assert frame.loc["5-30m", "meeting_rate_high"] == pytest.approx(high[0])
    low, high = wilson_interval([0], [2])  # SQL rate over the same handoffs: s_yes, s_no
    assert frame.loc["5-30m", "sql_rate_low"] == pytest.approx(low[0])


def test_speed_conversion_agrees_with_the_meeting_rate_grouped_by_bucket(model):
    by_bucket = model.metrics("speed_bucket").set_index("group")
    speed = model.speed_conversion().set_index("speed_bucket")
    for bucket in ("0-5m", "5-30m", "never"):
        for ours, theirs in (("handoff_to_meeting_rate", "meeting_rate"), ("booked_so_far", "booked_so_far")):
            assert by_bucket.loc[bucket, ours] == pytest.approx(speed.loc[bucket, theirs], nan_ok=True)
