"""Persisted per-lead facts brought up to date incrementally equal a full recompute.

A small generated dataset is imported and its facts persisted; then leads, activities,
meetings, opportunities and owner changes are updated, deleted and added (moving as_of
forward), and the facts refreshed incrementally must be exactly those a full recompute
gives, row by row and column by column.
"""

from __future__ import annotations

import warnings
from datetime import timedelta

import pandas as pd
import pytest

from handoff.model import Filters, Model, default_as_of, persist
from handoff.policy import Policy
from handoff.sources.files import import_dir
from handoff.sources.generator import generate
from handoff.store import Store

POLICY = Policy()


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("incremental")
    generate(folder, leads=400, seed=5, months=2)
    return folder


@pytest.fixture
def store(data_dir):
    s = Store()
    import_dir(s, data_dir, POLICY)
    yield s
    s.close()


def table(con, sql: str, params=None) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*inplace.*")
        return con.execute(sql, params or {}).df()


def persisted_facts(store: Store) -> pd.DataFrame:
    model = Model(store.con, POLICY)
    assert persist.current(store.con, POLICY, model.as_of), "the persisted facts were not used"
    return table(store.con, "SELECT * FROM lead_handoff ORDER BY lead_id")


def recomputed_facts(store: Store) -> pd.DataFrame:
    Model(store.con, POLICY, persisted=False)
    return table(store.con, "SELECT * FROM lead_handoff ORDER BY lead_id")


def assert_same_facts(store: Store) -> None:
    pd.testing.assert_frame_equal(persisted_facts(store), recomputed_facts(store))


def rows(store: Store, sql: str, *params) -> pd.DataFrame:
    return table(store.con, sql, list(params)).drop(columns=["extra"])


def test_a_full_refresh_is_read_back_as_the_facts(store):
    assert persist.refresh(store.con, POLICY) == "full"
    assert persist.refresh(store.con, POLICY) == "current"
    assert_same_facts(store)


def test_incremental_refresh_after_updates_deletes_and_new_activities_equals_a_full_recompute(store):
    assert persist.refresh(store.con, POLICY) == "full"
    con = store.con
    as_of = default_as_of(con)
    later = pd.Timestamp(as_of) + timedelta(hours=30)  # the data moves on: every open lead ages
    ids = [r[0] for r in con.execute("SELECT lead_id FROM leads WHERE mql_at IS NOT NULL ORDER BY lead_id").fetchall()]
    with store.transaction():
        # an update of a lead (its tier and owner), one that stops being a handoff, one deleted
        changed = rows(store, "SELECT * FROM leads WHERE lead_id IN (?, ?) ORDER BY lead_id", ids[0], ids[1])
        changed.loc[0, "tier"] = "high"
        changed.loc[0, "owner_id"] = None
        changed.loc[1, "mql_at"] = pd.NaT
        store.upsert("leads", changed)
        store.delete("leads", [ids[2]])
        # an activity deleted, one moved to another lead, new ones that touch and move as_of
        acts = rows(store, "SELECT * FROM activities WHERE lead_id IN (?, ?) ORDER BY activity_id", ids[3], ids[4])
        store.delete("activities", [acts.loc[0, "activity_id"]])
        moved = acts.iloc[[len(acts) - 1]].copy()
        moved["lead_id"] = ids[5]
        store.upsert("activities", moved)
        untouched = [
            r[0]
            for r in con.execute(
                "SELECT l.lead_id FROM leads l ANTI JOIN activities a USING (lead_id) "
                "WHERE l.mql_at IS NOT NULL ORDER BY l.mql_at DESC LIMIT 2"
            ).fetchall()
        ]
        new_acts = pd.DataFrame(
            {
                "activity_id": ["new-1", "new-2"],
                "lead_id": [untouched[0], untouched[-1]],
                "occurred_at": [later - timedelta(hours=1), later],
                "type": ["call", "email"],
                "direction": ["outbound", "outbound"],
                "is_automated": [False, False],
            }
        )
        store.upsert("activities", new_acts)
        # a new lead, a meeting booked, an opportunity won, an owner change
        new_lead = rows(store, "SELECT * FROM leads WHERE lead_id = ?", ids[6])
        new_lead["lead_id"] = "new-lead"
        new_lead["mql_at"] = later - timedelta(hours=2)
        new_lead["created_at"] = later - timedelta(hours=2)
        store.upsert("leads", new_lead)
        store.upsert(
            "meetings",
            pd.DataFrame({"meeting_id": ["new-m"], "lead_id": [ids[7]], "booked_at": [later - timedelta(hours=3)]}),
        )
        store.upsert(
            "opportunities",
            pd.DataFrame(
                {
                    "opportunity_id": ["new-o"],
                    "lead_id": [ids[8]],
                    "created_at": [later - timedelta(hours=4)],
                    "is_won": [True],
                    "amount": [1234.5],
                    "closed_at": [later - timedelta(hours=4)],
                }
            ),
        )
        rep = con.execute("SELECT rep_id FROM reps ORDER BY rep_id LIMIT 1").fetchall()[0][0]
        store.upsert(
            "owner_changes",
            pd.DataFrame(
                {
                    "change_id": ["new-c"],
                    "lead_id": [ids[9]],
                    "changed_at": [later - timedelta(hours=5)],
                    "from_owner_id": [None],
                    "to_owner_id": [rep],
                }
            ),
        )
    assert default_as_of(con) > as_of
    assert persist.refresh(con, POLICY) == "incremental"
    assert_same_facts(store)
    # the answers over the facts agree too
    persisted = Model(con, POLICY)
    by_tier = persisted.metrics("tier", Filters())
    pd.testing.assert_frame_equal(by_tier, Model(con, POLICY, persisted=False).metrics("tier", Filters()))


def test_two_incremental_refreshes_in_a_row_stay_exact(store):
    assert persist.refresh(store.con, POLICY) == "full"
    for step in (1, 2):
        as_of = pd.Timestamp(default_as_of(store.con))
        lead_id = store.con.execute(
            "SELECT lead_id FROM leads WHERE mql_at IS NOT NULL ORDER BY lead_id LIMIT 1 OFFSET ?", [step]
        ).fetchall()[0][0]
        with store.transaction():
            store.upsert(
                "activities",
                pd.DataFrame(
                    {
                        "activity_id": [f"step-{step}"],
                        "lead_id": [lead_id],
                        "occurred_at": [as_of + timedelta(hours=20 * step)],
                        "type": ["call"],
                    }
                ),
            )
        assert persist.refresh(store.con, POLICY) == "incremental"
        assert_same_facts(store)


def test_a_change_to_the_reps_or_the_policy_recomputes_everything(store):
    assert persist.refresh(store.con, POLICY) == "full"
    reps = rows(store, "SELECT * FROM reps ORDER BY rep_id LIMIT 1")
    reps["team"] = "Renamed"
    with store.transaction():
        store.upsert("reps", reps)
    assert persist.refresh(store.con, POLICY) == "full"
    assert_same_facts(store)
    other = Policy(sla_minutes={"high": 7, "medium": 60, "low": 480})
    assert not persist.current(store.con, other, default_as_of(store.con))
    high = Model(store.con, other).lead_handoff(Filters(tiers=("high",)), columns=["sla_target_business_minutes"])
    assert len(high) and (high["sla_target_business_minutes"] == 7.0).all()


def test_a_model_at_another_as_of_does_not_read_the_persisted_facts(store):
    assert persist.refresh(store.con, POLICY) == "full"
    earlier = pd.Timestamp(default_as_of(store.con)) - timedelta(days=3)
    assert not persist.current(store.con, POLICY, earlier.to_pydatetime())
    at_earlier = Model(store.con, POLICY, earlier.to_pydatetime())
    built = table(store.con, "SELECT * FROM lead_handoff ORDER BY lead_id")
    Model(store.con, POLICY, earlier.to_pydatetime(), persisted=False)
    pd.testing.assert_frame_equal(built, table(store.con, "SELECT * FROM lead_handoff ORDER BY lead_id"))
    assert at_earlier.as_of == earlier.to_pydatetime()
