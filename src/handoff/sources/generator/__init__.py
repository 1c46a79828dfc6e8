"""Realistic, seeded synthetic handoff data in the canonical tables.

The generator simulates a B2B funnel: marketing hands leads to a routing queue, which deals
them round-robin to sales reps spread over several timezones after a routing delay (and
moves some that are left untouched past the SLA to another rep); each rep has a habit
(how often they call back at all, how fast, how hard they follow up); leads from
high-intent sources get faster attention; and the outcome (meeting, SQL, opportunity, win,
deal size) decays with the wall-clock response time, so a calibration on the data finds
the speed-to-lead effect the product talks about.

Everything is vectorised with numpy (one pass per kind of record, never a Python loop
over leads), so a million leads take well under a minute. Times are int64 seconds since
the Unix epoch in UTC until the tables are built; nothing depends on the machine's TZ.
Events after `end` are dropped (or left open), so `end` behaves like "now".

The modules: `reference` (the data the simulation draws from), `sampling` and `clock`
(random draws, time units, business time), `people` (reps and leads), `routing` (queues,
owners, reassignments and the owner history), `events` (first touches and outcomes),
`activities` (the activity log) and `tables` (the canonical tables and their files).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from handoff.sources.generator.activities import make_activities
from handoff.sources.generator.clock import Clock
from handoff.sources.generator.events import (
    add_dispositions,
    add_first_touch,
    add_sql,
    make_meetings,
    make_opportunities,
    touch_again,
)
from handoff.sources.generator.people import make_leads, make_reps
from handoff.sources.generator.reference import CALENDARS
from handoff.sources.generator.routing import reassign_untouched, route_leads
from handoff.sources.generator.sampling import DAY
from handoff.sources.generator.tables import (
    activities_table,
    leads_table,
    meetings_table,
    opportunities_table,
    owner_changes_table,
    reps_table,
    table_name,
    write_table,
)

DEFAULT_END = "2026-11-20T18:00:00+00:00"


def _parse_utc_seconds(value) -> int:
    ts = pd.Timestamp(value)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return int(ts.value // 1_000_000_000)


def generate(
    out_dir,
    leads: int = 20000,
    seed: int = 7,
    months: int = 12,
    end=None,
    fmt: str = "parquet",
    activities_per_lead: float = 8.0,
) -> dict[str, int]:
    """Write reps, leads, activities, meetings, opportunities and owner_changes to `out_dir`.

    Deterministic for a given seed and arguments. `end` (default 2026-11-20 18:00 UTC)
    plays "now": nothing happens after it, so the latest leads are still untouched.
    Returns the row count of each table.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r}: use parquet or csv")
    if leads < 1:
        raise ValueError("leads must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    end_s = _parse_utc_seconds(end if end is not None else DEFAULT_END)
    start_s = end_s - int(months * 30.4375 * DAY)
    clock = Clock(list(CALENDARS), start_s, end_s)

    reps = make_reps(rng)
    lead_rows = make_leads(rng, leads, start_s, end_s)
    route_leads(rng, lead_rows, reps, clock, start_s, end_s)
    add_first_touch(rng, lead_rows, reps, clock, end_s)
    moved = reassign_untouched(rng, lead_rows, reps, clock, end_s)
    touch_again(rng, lead_rows, reps, clock, end_s, moved)
    meetings = make_meetings(rng, lead_rows, reps, clock, end_s)
    add_sql(rng, lead_rows, meetings, end_s)
    add_dispositions(rng, lead_rows, end_s)
    opps = make_opportunities(rng, lead_rows, end_s)
    acts = make_activities(rng, lead_rows, reps, meetings, clock, end_s, activities_per_lead)

    leads_tab = leads_table(lead_rows)
    lead_ids = leads_tab.column("lead_id").combine_chunks()
    tables = [
        reps_table(reps),
        leads_tab,
        activities_table(acts, lead_ids),
        meetings_table(meetings, lead_ids),
        opportunities_table(opps, lead_ids),
        owner_changes_table(lead_rows, lead_ids),
    ]
    del acts
    counts = {}
    for table in tables:
        write_table(table, out, fmt)
        counts[table_name(table)] = table.num_rows
    return counts


__all__ = ["generate", "DEFAULT_END"]
