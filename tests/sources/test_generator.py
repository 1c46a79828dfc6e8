"""The synthetic data generator: canonical shape, integrity, determinism and realism."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from handoff import calendar
from handoff.data import import_folder
from handoff.model import Model
from handoff.policy import Policy
from handoff.schema import (
    ACTIVITY_TYPES,
    BY_NAME,
    DIRECTIONS,
    MEETING_STATUSES,
    SEGMENTS,
    TABLES,
    TIERS,
)
from handoff.sources.generator import generate

REPO = Path(__file__).resolve().parents[2]
DISPOSITIONS = {"Qualified", "Wrong Persona", "Wrong Timing", "Bad Fit", "Unresponsive"}


def read_tables(folder: Path, fmt: str = "parquet") -> dict[str, pd.DataFrame]:
    if fmt == "parquet":
        return {t.name: pd.read_parquet(folder / f"{t.name}.parquet") for t in TABLES}
    return {t.name: pd.read_csv(folder / f"{t.name}.csv", dtype=str, keep_default_na=False) for t in TABLES}


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> dict[str, pd.DataFrame]:
    out = tmp_path_factory.mktemp("generated")
    counts = generate(out, leads=2000, seed=11)
    tables = read_tables(out)
    assert counts == {name: len(frame) for name, frame in tables.items()}
    return tables


def first_touch(tables: dict[str, pd.DataFrame]) -> pd.Series:
    """The design's first touch: earliest qualifying activity or booking at/after mql_at."""
    leads = tables["leads"].set_index("lead_id")
    acts = tables["activities"]
    touches = acts[(acts.direction == "outbound") & ~acts.is_automated & (acts.type != "other")]
    touches = touches.assign(mql_at=touches.lead_id.map(leads.mql_at))
    touches = touches[touches.occurred_at >= touches.mql_at]
    meetings = tables["meetings"].assign(mql_at=lambda m: m.lead_id.map(leads.mql_at))
    meetings = meetings[meetings.booked_at >= meetings.mql_at]
    earliest = pd.concat([
        touches.groupby("lead_id").occurred_at.min(),
        meetings.groupby("lead_id").booked_at.min(),
    ])
    return earliest.groupby(level=0).min()


def test_files_and_columns_match_the_schema(sample):
    for table in TABLES:
        assert list(sample[table.name].columns) == table.column_names
    for column in ("created_at", "mql_at", "assigned_at", "disposition_at", "sql_at"):
        assert str(sample["leads"][column].dt.tz) == "UTC"
    assert sample["activities"].is_automated.dtype == bool
    changes = sample["owner_changes"]
    assert str(changes.changed_at.dt.tz) == "UTC" and changes.changed_at.notna().all()
    for column in ("change_id", "lead_id", "from_owner_id", "to_owner_id"):
        assert changes[column].dropna().map(type).eq(str).all(), column


def test_csv_format(tmp_path):
    generate(tmp_path, leads=200, seed=3, fmt="csv")
    tables = read_tables(tmp_path, "csv")
    for table in TABLES:
        assert list(tables[table.name].columns) == table.column_names
    mql = tables["leads"].mql_at
    assert mql[mql != ""].str.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00").all()
    assert set(tables["activities"].is_automated) <= {"true", "false"}
    assert set(tables["reps"].active) <= {"true", "false"}


def test_ids_are_unique_and_references_exist(sample):
    for table in TABLES:
        ids = sample[table.name][table.key]
        assert ids.notna().all() and ids.is_unique, table.name
    lead_ids = set(sample["leads"].lead_id)
    for name in ("activities", "meetings", "opportunities", "owner_changes"):
        assert set(sample[name].lead_id) <= lead_ids, name


def test_values_are_in_the_allowed_sets(sample):
    leads, acts = sample["leads"], sample["activities"]
    assert set(leads.tier.dropna()) <= set(TIERS)
    assert set(leads.segment.dropna()) == set(SEGMENTS)
    assert set(leads.disposition.dropna()) == DISPOSITIONS
    assert set(acts.type) <= set(ACTIVITY_TYPES)
    assert set(acts.direction) <= set(DIRECTIONS)
    assert set(sample["meetings"].status) <= set(MEETING_STATUSES)
    reps = sample["reps"]
    assert 20 <= len(reps) <= 30 and (~reps.active).sum() >= 1
    assert {"SDR", "AE", "Manager"} <= set(reps.role)
    assert set(reps.country) == {"US", "GB", "IN", "AU"}
    assert {"Demo request", "Free trial", "Content download"} <= set(leads.source)


def test_same_seed_same_data_other_seed_differs(tmp_path, sample):
    generate(tmp_path / "a", leads=2000, seed=11)
    generate(tmp_path / "b", leads=2000, seed=12)
    again, other = read_tables(tmp_path / "a"), read_tables(tmp_path / "b")
    for name in BY_NAME:
        pd.testing.assert_frame_equal(again[name], sample[name])
    assert not again["leads"].equals(other["leads"])
    assert not again["activities"].equals(other["activities"])


def test_timeline_is_consistent(sample):
    leads, meetings = sample["leads"], sample["meetings"]
    assert (leads.created_at <= leads.mql_at.fillna(leads.created_at)).all()
    assert (meetings.scheduled_for > meetings.booked_at).all()
    latest = max(leads.mql_at.max(), sample["activities"].occurred_at.max(), meetings.booked_at.max())
    assert latest <= pd.Timestamp("2026-11-20T18:00Z")
    opps = sample["opportunities"]
    assert (opps.is_closed == opps.closed_at.notna()).all()
    assert not (opps.is_won & ~opps.is_closed).any()


def test_realistic_handoff_mess(sample):
    leads, acts = sample["leads"], sample["activities"]
    handoffs = leads[leads.mql_at.notna()]
    assert 0 < leads.mql_at.isna().sum() < 0.1 * len(leads)
    never = 1 - handoffs.lead_id.isin(first_touch(sample).index).mean()
    assert 0.2 <= never <= 0.5
    assert acts.is_automated.any()
    mql = acts.lead_id.map(leads.set_index("lead_id").mql_at)
    assert (acts.occurred_at < mql).any()
    assert (handoffs.assigned_at > handoffs.mql_at).any()
    assert handoffs.owner_id.isna().any()
    assert (~handoffs.owner_id.dropna().isin(sample["reps"].rep_id)).any()
    # the latest week still has untouched leads: a non-empty breach queue at as_of
    recent = handoffs[handoffs.mql_at > handoffs.mql_at.max() - pd.Timedelta(days=3)]
    assert (~recent.lead_id.isin(first_touch(sample).index)).sum() > 0


def test_conversion_falls_with_response_time(sample):
    leads = sample["leads"].set_index("lead_id")
    handoffs = leads[leads.mql_at.notna()]
    minutes = (first_touch(sample).reindex(handoffs.index) - handoffs.mql_at).dt.total_seconds() / 60
    sql = handoffs.sql_at.notna()
    fast = sql[minutes <= 5].mean()
    slow = sql[minutes > 1440].mean()
    assert (minutes <= 5).sum() >= 50 and (minutes > 1440).sum() >= 50
    assert fast > 2 * slow


def owner_at(changes: pd.DataFrame, leads: pd.DataFrame, column: str) -> pd.Series:
    """DESIGN's owner at instant leads[column], per lead with history: the to_owner_id of
    the latest change at or before it (ties: the greater change_id), else the first
    change's from_owner_id."""
    c = changes.sort_values(["changed_at", "change_id"]).join(leads[column], on="lead_id")
    at_or_before = c[c.changed_at <= c[column]].groupby("lead_id").to_owner_id.last()
    first_from = c.groupby("lead_id").from_owner_id.first()
    return at_or_before.reindex(first_from.index).fillna(first_from)


def test_owner_history_matches_the_leads(sample):
    """The owner history tells the leads file's story: its chain of owners ends at owner_id,
    starts in a queue, and DESIGN's assigned_at from it is the file's assigned_at."""
    leads = sample["leads"].set_index("lead_id")
    reps = set(sample["reps"].rep_id)
    changes = sample["owner_changes"].sort_values(["changed_at", "change_id"])
    assert len(changes) > 0.8 * len(leads)
    assert changes.change_id.is_monotonic_increasing  # ids follow time
    by_lead = changes.groupby("lead_id")
    previous_to = by_lead.to_owner_id.shift()
    chained = previous_to.isna() | (previous_to == changes.from_owner_id)
    assert chained.all()
    assert (changes.from_owner_id != changes.to_owner_id).all()
    assert not by_lead.from_owner_id.first().isin(reps).any()  # every lead first sits in a queue
    assert (changes.changed_at >= changes.lead_id.map(leads.created_at)).all()

    history = leads.loc[by_lead.size().index]
    assert (by_lead.to_owner_id.last() == history.owner_id).all()
    handoffs = history[history.mql_at.notna()]
    at_mql = owner_at(changes, handoffs, "mql_at")
    after = changes.join(handoffs.mql_at, on="lead_id", how="inner")
    after = after[(after.changed_at > after.mql_at) & after.to_owner_id.isin(reps)]
    first_to_rep = after.groupby("lead_id").changed_at.first()
    derived = pd.Series(first_to_rep.reindex(handoffs.index), index=handoffs.index)
    derived[at_mql.reindex(handoffs.index).isin(reps)] = handoffs.mql_at
    pd.testing.assert_series_equal(derived, handoffs.assigned_at, check_names=False)
    # routed leads without history keep an empty assigned_at (the CRM did not track them)
    untracked = leads[~leads.index.isin(history.index) & leads.owner_id.isin(reps)]
    assert len(untracked) > 0 and untracked.assigned_at.isna().all()


def business_minutes(policy: Policy, tz: str, country: str, t1: pd.Series, t2: pd.Series) -> np.ndarray:
    """Business minutes t1 -> t2 in one calendar, straight from the calendar's business days."""
    first, last = t1.min().to_pydatetime(), t2.max().to_pydatetime()
    span = (first - timedelta(days=2)).date(), (last + timedelta(days=2)).date()
    days = calendar.business_days(policy, tz, country, *span)
    opens, lengths, before = (days[c].to_numpy() for c in ("open_us", "length_us", "cum_before_us"))

    def clock(t: pd.Series) -> np.ndarray:
        us = t.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy().astype("datetime64[us]").astype(np.int64)
        day = np.searchsorted(opens, us, side="right") - 1
        return before[day] + np.clip(us - opens[day], 0, lengths[day])

    return (clock(t2) - clock(t1)) / 60e6


@pytest.fixture(scope="module")
def bundled() -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """The committed sample's tables and the model's per-lead facts at its as_of."""
    policy = Policy()
    dataset = import_folder(REPO / "sample_data", policy, origin="sample")
    facts = Model(dataset.store.con, policy).lead_handoff()
    return read_tables(REPO / "sample_data"), facts


def test_sample_routing_delay_is_measured(bundled):
    """Leads wait in the routing queue: the model's routing delay (business minutes
    mql_at -> assigned_at) is mostly minutes, with a tail; a share is assigned at the MQL."""
    _, facts = bundled
    routing = facts.routing_business_minutes.dropna()
    assert len(routing) > 0.8 * len(facts)
    assert routing.median() > 0
    assert 0.05 < (routing == 0).mean() < 0.5
    assert 0.1 < (routing > 5).mean() < 0.5
    assert routing.quantile(0.9) > 15
    # the rep's clock starts at the assignment, so the routing delay adds to the response;
    # only a prospect's own booking (a scheduler link) may come before the routing
    both = facts.dropna(subset=["routing_business_minutes", "rep_business_minutes"])
    early = both.first_touch_at < both.assigned_at
    assert early.mean() < 0.01
    both = both[~early]
    total = both.routing_business_minutes + both.rep_business_minutes
    assert np.allclose(total, both.response_business_minutes, atol=1e-6)


def test_sample_reassigns_untouched_leads_after_the_sla(bundled):
    """Reassignments follow the playbook: a rep loses a handoff only while it is untouched and
    past its SLA target (in the rep's calendar); more of them after the escalation time too."""
    tables, facts = bundled
    policy = Policy()
    reps = tables["reps"].set_index("rep_id")
    facts = facts.set_index("lead_id")
    columns = ["mql_at", "first_touch_at", "sla_target_business_minutes"]
    changes = tables["owner_changes"].join(facts[columns], on="lead_id", how="inner")
    moves = changes[changes.from_owner_id.isin(reps.index)]
    assert len(moves) > 0.02 * len(facts)
    assert moves.to_owner_id.isin(reps.index).any() and (~moves.to_owner_id.isin(reps.index)).any()
    assert (moves.first_touch_at.isna() | (moves.first_touch_at > moves.changed_at)).all()
    elapsed = pd.Series(np.nan, index=moves.index)
    calendars = moves.from_owner_id.map(lambda r: (reps.timezone[r], reps.country[r]))
    for (tz, country), index in moves.groupby(calendars).groups.items():
        part = moves.loc[index]
        elapsed[index] = business_minutes(policy, tz, country, part.mql_at, part.changed_at)
    target = moves.sla_target_business_minutes
    assert (elapsed > target).all()
    escalated = elapsed > target + policy.escalation_minutes
    assert escalated.sum() > (~escalated).sum() > 0


def test_committed_sample_data():
    folder = REPO / "sample_data"
    tables = read_tables(folder)
    for table in TABLES:
        assert list(tables[table.name].columns) == table.column_names
    assert 19_000 <= len(tables["leads"]) <= 21_000
    assert len(tables["owner_changes"]) > 0.8 * len(tables["leads"])
    assert sum(f.stat().st_size for f in folder.iterdir()) <= 5.5 * 2**20
