"""Per-lead facts persisted in the database file after an import or a sync, and read back by
a snapshot (what the app and the commands open) instead of being recomputed."""

from __future__ import annotations

import logging
import warnings
from datetime import timedelta

import duckdb
import pandas as pd
import pytest

from handoff.cli import main
from handoff.data import database, writable
from handoff.model import Model, default_as_of, persist
from handoff.policy import Policy
from handoff.sources.generator import generate
from handoff.store import Store, StoreError, limit_memory


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("persist")
    generate(folder, leads=300, seed=3, months=2)
    return folder


def lead_handoff(con) -> pd.DataFrame:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*inplace.*")
        return con.execute("SELECT * FROM lead_handoff ORDER BY lead_id").df()


def test_import_persists_the_facts_and_a_snapshot_reads_them(data_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "h.duckdb"
    assert main(["import", str(data_dir), "--db", str(db)]) == 0
    with Store(db) as store:
        assert store.changed_leads() == (False, 0)
        assert store.con.execute("SELECT count(*) FROM lead_facts").fetchall()[0][0] > 0
    copy = database(db)
    assert persist.current(copy.con, Policy(), default_as_of(copy.con))
    read = lead_handoff(Model(copy.con, Policy()).con)
    Model(copy.con, Policy(), persisted=False)
    pd.testing.assert_frame_equal(read, lead_handoff(copy.con))


def test_a_write_through_writable_refreshes_the_facts_incrementally(data_dir, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "h.duckdb"
    assert main(["import", str(data_dir), "--db", str(db)]) == 0
    with writable(db) as store:
        lead_id, as_of = store.con.execute(
            "SELECT lead_id, (SELECT max(occurred_at) FROM activities) FROM leads WHERE mql_at IS NOT NULL "
            "ORDER BY lead_id LIMIT 1"
        ).fetchall()[0]
        with store.transaction():
            store.upsert(
                "activities",
                pd.DataFrame(
                    {
                        "activity_id": ["synced-1"],
                        "lead_id": [lead_id],
                        "occurred_at": [pd.Timestamp(as_of) + timedelta(hours=2)],
                        "type": ["call"],
                    }
                ),
            )
        assert store.changed_leads() == (False, 1)
    with Store(db) as store:
        assert store.changed_leads() == (False, 0)
    copy = database(db)
    assert persist.current(copy.con, Policy(), default_as_of(copy.con))
    read = lead_handoff(Model(copy.con, Policy()).con)
    Model(copy.con, Policy(), persisted=False)
    pd.testing.assert_frame_equal(read, lead_handoff(copy.con))


def test_the_store_notes_the_leads_a_load_changes():
    store = Store()
    leads = pd.DataFrame({"lead_id": ["a", "b"], "created_at": [pd.Timestamp("2026-01-05", tz="UTC")] * 2})
    store.upsert("leads", leads)
    assert store.changed_leads() == (True, 0)  # a bulk load into an empty table
    store.clear_changes()
    store.upsert("leads", leads)  # the same rows again: nothing changes
    assert store.changed_leads() == (False, 0)
    acts = pd.DataFrame(
        {"activity_id": ["x"], "lead_id": ["a"], "occurred_at": [pd.Timestamp("2026-01-06", tz="UTC")], "type": "call"}
    )
    store.upsert("activities", acts)
    store.clear_changes()
    acts["lead_id"] = "b"  # the activity moves from a to b: both leads change
    store.upsert("activities", acts)
    assert sorted(r[0] for r in store.con.execute("SELECT lead_id FROM lead_changes").fetchall()) == ["a", "b"]
    store.clear_changes()
    store.delete("activities", ["x"])
    assert [r[0] for r in store.con.execute("SELECT lead_id FROM lead_changes").fetchall()] == ["b"]


def test_memory_limit_setting_is_checked(monkeypatch):
    store = Store()
    monkeypatch.setenv("HANDOFF_MEMORY_LIMIT", "1GB'; DROP TABLE leads; --")
    with pytest.raises(StoreError, match="HANDOFF_MEMORY_LIMIT"):
        limit_memory(store.con)
    monkeypatch.setenv("HANDOFF_MEMORY_LIMIT", "512MB")
    limit_memory(store.con)
    assert store.con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0].startswith("488")


def test_the_sample_is_kept_with_its_facts_and_read_back_as_imported(tmp_path, monkeypatch):
    from handoff.data import import_folder, sample, sample_cache, sample_dir

    monkeypatch.setenv("HANDOFF_CACHE_DIR", str(tmp_path))
    sample(Policy())
    assert sample_cache(Policy()).exists()
    kept = sample(Policy())
    fresh = import_folder(sample_dir(), Policy(), origin="sample")
    assert kept.report.format() == fresh.report.format()
    assert kept.store.get_meta("origin") == "sample"
    assert persist.current(kept.store.con, Policy(), default_as_of(kept.store.con))
    read = lead_handoff(Model(kept.store.con, Policy()).con)
    Model(fresh.store.con, Policy())
    pd.testing.assert_frame_equal(read, lead_handoff(fresh.store.con))
    other = Policy(sla_minutes={"high": 7, "medium": 60, "low": 480})
    assert sample_cache(other) != sample_cache(Policy())


def test_facts_left_stale_say_why(data_dir, tmp_path, monkeypatch, caplog):
    """A fault while computing the facts (here DuckDB's memory limit) keeps the load and leaves
    the facts for the next open, and says why in one warning instead of staying silent."""
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "h.duckdb"

    def out_of_memory(con, policy):
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block of size 256.0 KiB")

    monkeypatch.setattr(persist, "refresh", out_of_memory)
    with caplog.at_level(logging.WARNING, logger="handoff.data"):
        assert main(["import", str(data_dir), "--db", str(db)]) == 0
    notes = [r.getMessage() for r in caplog.records if "per-lead facts were not kept" in r.getMessage()]
    assert len(notes) == 1 and "\n" not in notes[0]
    assert "ran out of memory" in notes[0] and "HANDOFF_MEMORY_LIMIT" in notes[0]
    with Store(db) as store:
        assert store.con.execute("SELECT count(*) FROM leads").fetchall()[0][0] > 0
        assert store.changed_leads()[0]  # still to compute
