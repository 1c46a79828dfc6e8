"""The sample's cache folder keeps the most recent databases, not one per version forever."""

from __future__ import annotations

import os

from handoff.data import SAMPLE_CACHE_KEEP, sample, sample_cache
from handoff.policy import Policy


def test_old_sample_databases_are_pruned_when_a_new_one_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("HANDOFF_CACHE_DIR", str(tmp_path))
    old = []
    for i in range(SAMPLE_CACHE_KEEP + 3):
        path = tmp_path / f"sample-old{i:02d}.duckdb"
        path.write_bytes(b"x")
        os.utime(path, (1_000_000 + i, 1_000_000 + i))
        old.append(path)
    unrelated = tmp_path / "notes.txt"
    unrelated.write_text("kept")
    sample(Policy())
    kept = sorted(tmp_path.glob("sample-*.duckdb"))
    assert sample_cache(Policy()) in kept
    assert len(kept) == SAMPLE_CACHE_KEEP
    # the newest old ones stay, the oldest go
    assert all(p.exists() for p in old[-(SAMPLE_CACHE_KEEP - 1) :])
    assert not any(p.exists() for p in old[: len(old) - (SAMPLE_CACHE_KEEP - 1)])
    assert unrelated.exists()
