"""The synthetic data generator: canonical shape, integrity, determinism and realism."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

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
    for name in ("activities", "meetings", "opportunities"):
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


def test_committed_sample_data():
    folder = REPO / "sample_data"
    tables = read_tables(folder)
    for table in TABLES:
        assert list(tables[table.name].columns) == table.column_names
    assert 19_000 <= len(tables["leads"]) <= 21_000
    assert sum(f.stat().st_size for f in folder.iterdir()) <= 5.5 * 2**20
