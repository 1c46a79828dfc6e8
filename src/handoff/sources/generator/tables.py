"""The simulation's arrays as the canonical tables (handoff.schema), and their files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from handoff.schema import ACTIVITY_TYPES, BY_NAME, DIRECTIONS, MEETING_STATUSES, SEGMENTS, TABLES, TIERS
from handoff.sources.generator.reference import (
    COMPANY_STEMS,
    COMPANY_SUFFIXES,
    DISPOSITIONS,
    EMAIL_DOMAIN,
    KINDS,
    OPPORTUNITY_STAGES,
    QUEUE_IDS,
    REGIONS,
    REPS,
    SOURCES,
    TEAMS,
    TITLES,
)
from handoff.sources.generator.sampling import NO_TIME


def reps_table(reps: dict) -> pa.Table:
    emails = [f"{name.lower().replace(chr(39), '').replace(' ', '.')}@{EMAIL_DOMAIN}" for name in reps["name"]]
    return pa.table(
        {
            "rep_id": pa.array(list(reps["rep_id"]), pa.string()),
            "name": pa.array(reps["name"], pa.string()),
            "email": pa.array(emails, pa.string()),
            "team": pa.array([TEAMS[t] for t in reps["team"]], pa.string()),
            "role": pa.array(reps["role"], pa.string()),
            "timezone": pa.array(reps["timezone"], pa.string()),
            "country": pa.array(reps["country"], pa.string()),
            "active": pa.array(reps["active"], pa.bool_()),
        }
    )


def _ids(prefix: str, n: int) -> pa.Array:
    width = max(6, len(str(n)))
    digits = pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, pa.scalar(""))


def _ts(seconds: np.ndarray) -> pa.Array:
    seconds = np.asarray(seconds, dtype=np.int64)
    missing = seconds == NO_TIME
    return pa.array(np.where(missing, 0, seconds) * 1_000_000, type=pa.timestamp("us", tz="UTC"), mask=missing)


def _take(vocab, codes: np.ndarray) -> pa.Array:
    """Strings from a vocabulary by code; a negative code is empty (null)."""
    codes = np.asarray(codes, dtype=np.int64)
    indices = pa.array(np.where(codes < 0, 0, codes), mask=codes < 0)
    return pa.array(list(vocab), pa.string()).take(indices)


def _owners(owner: np.ndarray) -> pa.Array:
    """Owner ids from owner codes: a rep index, -1 empty, -2 - i the queue QUEUE_IDS[i]."""
    owner = np.asarray(owner, dtype=np.int64)
    code = np.where(owner >= 0, owner, np.where(owner == -1, -1, len(REPS) + (-owner - 2)))
    return _take([r[0] for r in REPS] + list(QUEUE_IDS), code)


def leads_table(leads: dict) -> pa.Table:
    n = len(leads["source"])
    companies = [f"{s} {x}" for s in COMPANY_STEMS for x in COMPANY_SUFFIXES]
    countries = [c for r in REGIONS for c in r[4]]
    campaigns = [c for s in SOURCES for c in s.campaigns]
    return pa.table(
        {
            "lead_id": _ids("L", n),
            "created_at": _ts(leads["created"]),
            "mql_at": _ts(leads["mql"]),
            "owner_id": _owners(leads["owner"]),
            "assigned_at": _ts(leads["assigned"]),
            "source": _take([s.name for s in SOURCES], leads["source"]),
            "tier": _take(TIERS, np.where(leads["tier_blank"], -1, leads["tier"])),
            "campaign": _take(campaigns, leads["campaign"]),
            "company": _take(companies, leads["company"]),
            "title": _take([t[0] for t in TITLES], np.where(leads["title_missing"], -1, leads["title"])),
            "country": _take(countries, leads["country"]),
            "segment": _take(SEGMENTS, leads["segment"]),
            "score": pa.array(leads["score"], pa.float64()),
            "disposition": _take(DISPOSITIONS, leads["disposition"]),
            "disposition_at": _ts(leads["disposition_at"]),
            "sql_at": _ts(leads["sql"]),
        }
    )


def activities_table(acts: dict, lead_ids: pa.Array) -> pa.Table:
    kind = acts["kind"]
    subjects = [s for k in KINDS for s, _ in k[3]]
    outcomes = [o for k in KINDS for o, _ in k[4]]
    subject_offset = np.cumsum([0] + [len(k[3]) for k in KINDS])[:-1]
    outcome_offset = np.cumsum([0] + [len(k[4]) for k in KINDS])[:-1]
    kind_type = np.array([ACTIVITY_TYPES.index(k[0]) for k in KINDS])
    kind_inbound = np.array([k[1] == "inbound" for k in KINDS])
    kind_auto = np.array([k[2] for k in KINDS])
    return pa.table(
        {
            "activity_id": _ids("A", len(kind)),
            "lead_id": lead_ids.take(pa.array(acts["lead"])),
            "rep_id": _take([r[0] for r in REPS], acts["rep"]),
            "type": _take(ACTIVITY_TYPES, kind_type[kind]),
            "direction": _take(DIRECTIONS, kind_inbound[kind].astype(np.int64)),
            "occurred_at": _ts(acts["t"]),
            "is_automated": pa.array(kind_auto[kind], pa.bool_()),
            "outcome": _take(outcomes, outcome_offset[kind] + acts["outcome"]),
            "subject": _take(subjects, subject_offset[kind] + acts["subject"]),
        }
    )


def meetings_table(meetings: dict, lead_ids: pa.Array) -> pa.Table:
    order = np.argsort(meetings["booked"], kind="stable")
    m = {k: v[order] for k, v in meetings.items()}
    return pa.table(
        {
            "meeting_id": _ids("M", len(order)),
            "lead_id": lead_ids.take(pa.array(m["lead"])),
            "rep_id": _take([r[0] for r in REPS], m["rep"]),
            "booked_at": _ts(m["booked"]),
            "scheduled_for": _ts(m["scheduled"]),
            "status": _take(MEETING_STATUSES, m["status"]),
        }
    )


def opportunities_table(opps: dict, lead_ids: pa.Array) -> pa.Table:
    order = np.argsort(opps["created"], kind="stable")
    o = {k: v[order] for k, v in opps.items()}
    return pa.table(
        {
            "opportunity_id": _ids("O", len(order)),
            "lead_id": lead_ids.take(pa.array(o["lead"])),
            "created_at": _ts(o["created"]),
            "amount": pa.array(o["amount"], pa.float64()),
            "stage": _take(OPPORTUNITY_STAGES, o["stage"]),
            "is_closed": pa.array(o["closed"], pa.bool_()),
            "is_won": pa.array(o["won"], pa.bool_()),
            "closed_at": _ts(o["closed_at"]),
        }
    )


def owner_changes_table(leads: dict, lead_ids: pa.Array) -> pa.Table:
    """The owner history of the leads the CRM tracks, in time order (a lead's changes at
    the same instant in the order they happened, so the later has the greater id)."""
    parts = leads["changes"]
    c = {key: np.concatenate([part[key] for part in parts]) for key in ("lead", "t", "from", "to", "slot")}
    keep = leads["tracked"][c["lead"]]
    c = {key: v[keep] for key, v in c.items()}
    order = np.lexsort((c["slot"], c["lead"], c["t"]))
    c = {key: v[order] for key, v in c.items()}
    return pa.table(
        {
            "change_id": _ids("C", len(order)),
            "lead_id": lead_ids.take(pa.array(c["lead"])),
            "changed_at": _ts(c["t"]),
            "from_owner_id": _owners(c["from"]),
            "to_owner_id": _owners(c["to"]),
        }
    )


def _for_csv(table: pa.Table) -> pa.Table:
    """Timestamps as ISO 8601 with an explicit UTC offset (whole seconds)."""
    columns = []
    for column in table.columns:
        if pa.types.is_timestamp(column.type):
            column = pc.strftime(column.cast(pa.timestamp("s", tz="UTC")), format="%Y-%m-%dT%H:%M:%S+00:00")
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def write_table(table: pa.Table, out_dir: Path, fmt: str) -> None:
    expected = BY_NAME[table_name(table)].column_names
    assert table.column_names == expected, (table.column_names, expected)
    name = table_name(table)
    if fmt == "parquet":
        pq.write_table(table, out_dir / f"{name}.parquet", compression="zstd", compression_level=9)
    else:
        pacsv.write_csv(_for_csv(table), out_dir / f"{name}.csv")


def table_name(table: pa.Table) -> str:
    first = table.column_names[0]
    return next(t.name for t in TABLES if t.key == first)
