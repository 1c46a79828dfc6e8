"""The sample's cache folder keeps the most recent databases, not one per version forever."""

from __future__ import annotations

import os
import subprocess
import sys

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


BUILD = """
import sys
import handoff.data as data
from handoff.policy import Policy

built = data._build_sample
def counted(path, policy):
    with open(sys.argv[1], "a") as marks:
        marks.write("built\\n")
    built(path, policy)
data._build_sample = counted
print(data.sample(Policy()).store.con.execute("SELECT count(*) FROM leads").fetchall()[0][0])
"""


def test_processes_starting_together_build_the_sample_once(tmp_path):
    """Several app servers (or test workers) starting on an empty cache: one builds the sample,
    the others wait for its file instead of each importing it again."""
    marks = tmp_path / "marks.txt"
    env = {**os.environ, "HANDOFF_CACHE_DIR": str(tmp_path / "cache")}
    starts = [subprocess.Popen([sys.executable, "-c", BUILD, str(marks)], env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    results = [p.communicate(timeout=600) for p in starts]
    assert all(p.returncode == 0 for p in starts), [err for _, err in results]
    counts = {out.strip() for out, _ in results}
    assert len(counts) == 1 and int(counts.pop()) > 0
    assert marks.read_text().count("built") == 1
    assert len(list((tmp_path / "cache").glob("sample-*.duckdb"))) == 1
