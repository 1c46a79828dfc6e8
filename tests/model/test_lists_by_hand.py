"""Given a few hand-made rows, expect these rows: the aggregate SQL files that had no such
test (disposition_mix, rejection_reasons, rep_distribution, filter_options, the Data page's
table_counts, load_history, recent_rejects and sync_status) and the metrics the registry
added to handoff_metrics (assigned and contacted shares, undispositioned, won, average won
amount).

Rep r1 (Ann, East) works in New York; r2 (Bo, West) in Los Angeles. T0 = Tue 2026-06-02
14:00Z. As of Sat 2026-06-20 00:00Z.

lead  source    company  owner   mql     first touch      disposition (at)        opportunity
d1    Webinar   Acme     r1      T0      +3 min call      Bad Fit (T0+2h)         -
d2    Webinar   Beta     r1      T0+1d   +10 min call     Bad Fit (T0+1d+3h)      won 9,000
d3    Webinar   Gamma    r2      T0+2d   +60 min call     Wrong Timing (+5h)      won 3,000
                                         (07:00 -> 08:00 PDT: 0 business minutes for Bo)
d4    Webinar   (none)   r2      T0+3d   never            Qualified (+1h)         -
d5    Ads       Delta    (none)  T0      +20 min booking  Bad Fit (+30h)          open 4,000
d6    Ads       Eps      ghost   T0      never            none: overdue           -
d7    Ads       Zeta     r1      T0      never            Wrong Timing, dated after as_of: none yet
d8    Ads       Eta      r1      06-19   never            none, not 48 h yet       -
"""

from __future__ import annotations

import pandas as pd
import pytest

from handoff.model import Filters, views
from handmade import act, build_model, lead, meet, minutes_after, opp

T0 = "2026-06-02T14:00:00Z"
AS_OF = "2026-06-20T00:00:00Z"
DAY = 24 * 60


def at(days: float = 0, minutes: float = 0) -> str:
    return minutes_after(T0, days * DAY + minutes)


@pytest.fixture
def model(ny_rep):
    reps = [ny_rep, {"rep_id": "r2", "name": "Bo", "team": "West", "timezone": "America/Los_Angeles"}]
    leads = [
        lead("d1", company="Acme", disposition="Bad Fit", disposition_at=at(minutes=120)),
        lead("d2", at(1), company="Beta", disposition="Bad Fit", disposition_at=at(1, 180)),
        lead("d3", at(2), company="Gamma", owner_id="r2", disposition="Wrong Timing", disposition_at=at(2, 300)),
        lead("d4", at(3), owner_id="r2", disposition="Qualified", disposition_at=at(3, 60)),
        lead("d5", source="Ads", company="Delta", owner_id=None, disposition="Bad Fit", disposition_at=at(minutes=1800)),
        lead("d6", source="Ads", company="Eps", owner_id="ghost"),
        lead("d7", source="Ads", company="Zeta", disposition="Wrong Timing", disposition_at="2026-06-25T00:00:00Z"),
        lead("d8", "2026-06-19T14:00:00Z", source="Ads", company="Eta"),
    ]
    acts = [act("a1", "d1", at(minutes=3)), act("a2", "d2", at(1, 10)), act("a3", "d3", at(2, 60))]
    meetings = [meet("m5", "d5", at(minutes=20))]
    opps = [
        opp("o2", "d2", at(4), amount=9000, is_won=True, is_closed=True, closed_at=at(6)),
        opp("o3", "d3", at(4), amount=3000, is_won=True, is_closed=True, closed_at=at(7)),
        opp("o5", "d5", at(4), amount=4000),
    ]
    return build_model(reps=reps, leads=leads, activities=acts, meetings=meetings, opportunities=opps,
                       as_of=AS_OF)


def test_disposition_mix_per_group_and_code(model):
    mix = model.disposition_mix("source")
    assert mix.to_dict(orient="records") == [
        {"group": "Ads", "disposition": "Bad Fit", "handoffs": 1},
        {"group": "Webinar", "disposition": "Bad Fit", "handoffs": 2},
        {"group": "Webinar", "disposition": "Qualified", "handoffs": 1},
        {"group": "Webinar", "disposition": "Wrong Timing", "handoffs": 1},
    ], "d7's disposition is dated after as_of: not yet"


def test_rejection_reasons_per_group_with_newest_examples(model):
    frame = views.rejection_reasons(model, Filters(), by="source").set_index(["group", "reason"])
    assert list(frame.index) == [("Ads", "Bad Fit"), ("Webinar", "Bad Fit"), ("Webinar", "Wrong Timing")]
    webinar_bad = frame.loc[("Webinar", "Bad Fit")]
    assert webinar_bad["handoffs"] == 2
    assert webinar_bad["share_of_rejections"] == pytest.approx(2 / 3), "Qualified is no rejection"
    assert webinar_bad["example_leads"] == "d2, d1" and webinar_bad["example_companies"] == "Beta, Acme"
    assert frame.loc[("Ads", "Bad Fit"), "share_of_rejections"] == 1.0
    top = views.top_rejections(model, Filters(), n=1)
    assert top.to_dict(orient="records")[0] | {"example_leads": None} == {
        "reason": "Bad Fit", "handoffs": 3, "example_leads": None, "example_companies": "Beta, Acme, Delta",
        "share_of_rejections": 0.75,
    }


def test_rep_distribution_over_contacted_handoffs(model):
    frame = model.ask("rep_distribution.sql", None, group="rep").set_index("owner_id")
    assert list(frame.index) == ["r2", "r1", "(unassigned)"], "ordered by median"
    r1 = frame.loc["r1"]
    assert (r1["owner_name"], r1["contacted"]) == ("Ann", 2), "d7, d8 are untouched"
    assert (r1["q1"], r1["median"], r1["q3"]) == pytest.approx((3 + 7 * 0.25, 3 + 7 * 0.5, 3 + 7 * 0.75))
    assert frame.loc["(unassigned)", "median"] == pytest.approx(20), "d5's booking, company calendar"
    assert frame.loc["r2", "median"] == 0, "d3: MQL 07:00 PDT, touched 08:00, before Bo's day opens"
    assert "ghost" not in frame.index, "never contacted"


def test_filter_options_with_labels_and_dates(model):
    options = views.filter_options(model)
    assert options["source"] == {"Ads": "Ads", "Webinar": "Webinar"}
    assert options["tier"] == {"low": "low"}
    assert options["team"] == {"East": "East", "West": "West", "(unassigned)": "(unassigned)"}
    assert options["rep"] == {"r1": "Ann (r1)", "r2": "Bo (r2)", "ghost": "ghost", "(unassigned)": "(unassigned)"}
    assert options["segment"] == {"(none)": "(none)"}
    assert options["dates"] == (pd.Timestamp("2026-06-02").date(), pd.Timestamp("2026-06-19").date())


def test_the_registry_metrics_new_to_sql(model):
    row = model.metrics("all").iloc[0]
    assert row["handoffs"] == 8
    assert row["assigned_share"] == pytest.approx(6 / 8), "d5 has no owner, d6's owner is no rep"
    assert row["contacted_share"] == pytest.approx(4 / 8), "d5's booking is contact"
    assert row["undispositioned"] == 2, "d6 (16 days) and d7 (its disposition is not yet); not d8 (10 h)"
    assert row["undispositioned"] == len(views.undispositioned(model, Filters()))
    assert row["won"] == 2 and row["avg_won_amount"] == pytest.approx(6000)
    assert row["pipeline_amount"] == 16000
    by_rep = model.metrics("rep").set_index("group")
    assert by_rep.loc["r2", "won"] == 1 and by_rep.loc["r2", "avg_won_amount"] == 3000
    assert by_rep.loc["r1", "undispositioned"] == 1 and by_rep.loc["r1", "avg_won_amount"] == 9000


def test_data_page_queries(model):
    con = model.con
    con.execute("INSERT INTO loads VALUES (1, 'import', 'files', TIMESTAMPTZ '2026-06-01 10:00Z', "
                "TIMESTAMPTZ '2026-06-01 10:01Z', 'ok', '{\"rows\": 3}')")
    con.execute("INSERT INTO loads VALUES (2, 'sync', 'salesforce', TIMESTAMPTZ '2026-06-02 10:00Z', NULL, "
                "'running', NULL)")
    con.execute("INSERT INTO rejects VALUES (1, 'leads', 'leads.csv', 3, 'mql_at', 'bad date', 'x', 'L9'), "
                "(2, 'activities', 'Task', NULL, 'occurred_at', 'missing', NULL, 'T1'), "
                "(1, 'leads', 'leads.csv', 2, 'lead_id', 'missing', NULL, NULL)")
    con.execute("INSERT INTO sync_state VALUES ('salesforce', 'Lead', TIMESTAMPTZ '2026-06-02 09:00Z', "
                "TIMESTAMPTZ '2026-06-02 10:05Z')")
    counts = dict(views.table_counts(model).itertuples(index=False))
    assert counts == {"reps": 2, "leads": 8, "activities": 3, "meetings": 1, "opportunities": 3,
                      "handoffs (computed)": 8}
    history = views.load_history(model)
    assert list(history["load_id"]) == [2, 1] and history["summary"][1] == '{"rows": 3}'
    rejects = views.recent_rejects(model, limit=2)
    assert list(rejects.columns) == ["load_id", "table", "file", "line", "column", "reason", "value", "record_id"]
    assert list(rejects["load_id"]) == [2, 1] and rejects["record_id"][0] == "T1", "newest load first"
    assert rejects["line"][1] == 2 and pd.isna(rejects["record_id"][1]), "then by file and line"
    status = views.sync_status(model)
    assert status.to_dict(orient="records")[0]["object"] == "Lead" and len(status) == 1
