"""Killing a sync half-way, for every connector: the kill itself (inside a page's upsert or a
cursor write), the tables to compare, and the check that a killed sync lost nothing and a
rerun equals a clean run (RELIABILITY.md, "Every sync")."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest

from handoff.store import Store

TABLES = {
    "reps": "rep_id",
    "leads": "lead_id",
    "activities": "activity_id",
    "meetings": "meeting_id",
    "opportunities": "opportunity_id",
    "owner_changes": "change_id",
}


class Killed(BaseException):
    """The process dies here (like KeyboardInterrupt or a kill, not an error the code handles)."""


def snapshot(store: Store) -> dict[str, pd.DataFrame]:
    return {t: store.con.execute(f"SELECT * FROM {t} ORDER BY {k}").df() for t, k in TABLES.items()}


def assert_same(got: dict, want: dict) -> None:
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], check_dtype=False, obj=name)


def crash_in_upsert(monkeypatch, table: str, nth: int) -> list[str]:
    """Kill the sync inside the nth upsert into `table`; return the calls seen (table names)."""
    calls: list[str] = []
    original = Store.upsert

    def upsert(self, table_name, *args, **kwargs):
        calls.append(table_name)
        if table_name == table and calls.count(table) == nth:
            raise Killed(f"killed while writing page {nth} of {table}")
        return original(self, table_name, *args, **kwargs)

    monkeypatch.setattr(Store, "upsert", upsert)
    return calls


def crash_in_set_cursor(monkeypatch, obj: str, nth: int) -> list[str]:
    """Kill the sync inside the nth cursor write of `obj`."""
    calls: list[str] = []
    original = Store.set_cursor

    def set_cursor(self, source, name, cursor):
        calls.append(name)
        if name == obj and calls.count(obj) == nth:
            raise Killed(f"killed while saving cursor {nth} of {obj}")
        return original(self, source, name, cursor)

    monkeypatch.setattr(Store, "set_cursor", set_cursor)
    return calls


def exactly(target: str, call: str) -> bool:
    return call == target


def within(target: str, call: str) -> bool:
    return target in call


def kill_then_rerun(
    monkeypatch,
    crash: Callable[[pytest.MonkeyPatch], list[str]],
    sync: Callable[[Store], object],
    uncovered: Callable[[Store], list[str]],
    clean: dict[str, pd.DataFrame],
    died: tuple[str, int],
    matches: Callable[[str, str], bool] = exactly,
) -> None:
    """A sync killed by `crash(patch)` (which returns the calls it saw) at its nth call to the
    target (`died`, a call `matches` the target); no stored cursor may be past a record the
    store lacks (`uncovered`); then a rerun equals the `clean` run."""
    target, nth = died
    store = Store()
    with monkeypatch.context() as patch:
        calls = crash(patch)
        with pytest.raises(Killed):
            sync(store)
    assert sum(matches(target, c) for c in calls) == nth, "the crash happened where intended"
    lost = uncovered(store)
    assert lost == [], f"a saved cursor is past records the store does not have: {lost}"
    sync(store)
    assert_same(snapshot(store), clean)


def crash_twice_then_rerun(
    monkeypatch,
    sync: Callable[[Store], object],
    uncovered: Callable[[Store], list[str]],
    clean: dict[str, pd.DataFrame],
    crashes: tuple[tuple[str, int], ...] = (("leads", 2), ("activities", 2)),
) -> None:
    """Killed inside a page write, then again during the rerun: the third run still ends clean."""
    store = Store()
    for table, nth in crashes:
        with monkeypatch.context() as patch:
            crash_in_upsert(patch, table, nth)
            with pytest.raises(Killed):
                sync(store)
        assert uncovered(store) == []
    sync(store)
    assert_same(snapshot(store), clean)
