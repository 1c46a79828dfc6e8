"""The canonical tables: what every source produces and what the file import accepts.

One declaration serves the store (DDL), the file import (validation), the sample-data
generator and the connectors, so the data contract lives in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text | timestamp | bool | number | enum | timezone | country
    required: bool = False
    choices: tuple[str, ...] = ()
    default: str | None = None  # SQL literal used when the value is empty
    minimum: float | None = None  # numbers: the least plausible value
    planned: bool = False  # timestamps that may lie in the future (a meeting's date)

    @property
    def is_id(self) -> bool:
        return self.name.endswith("_id")


@dataclass(frozen=True)
class Table:
    name: str
    key: str
    columns: tuple[Column, ...]
    lead_ref: str | None = None  # column that must name a known lead

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


TIERS = ("high", "medium", "low")
ACTIVITY_TYPES = ("call", "email", "meeting", "sms", "linkedin", "other")
DIRECTIONS = ("outbound", "inbound")
MEETING_STATUSES = ("scheduled", "held", "no_show", "canceled")
SEGMENTS = ("SMB", "Mid-market", "Enterprise")

SPEED_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-5m", 5),
    ("5-30m", 30),
    ("30-60m", 60),
    ("1-4h", 240),
    ("4-24h", 1440),
    ("1-3d", 4320),
    ("3d+", None),
)
"""The speed buckets of a contacted handoff, fastest first: name and upper bound in
wall-clock minutes from mql_at to the first touch (inclusive; None: no bound)."""
NEVER_BUCKET = "never"
"""The bucket of a handoff without a first touch."""
SPEED_BUCKET_NAMES: tuple[str, ...] = (*(name for name, _ in SPEED_BUCKETS), NEVER_BUCKET)

REPS = Table(
    "reps",
    key="rep_id",
    columns=(
        Column("rep_id", "text", required=True),
        Column("name", "text"),
        Column("email", "text"),
        Column("team", "text"),
        Column("role", "text"),
        Column("timezone", "timezone"),
        Column("country", "country"),
        Column("active", "bool", default="true"),
    ),
)

LEADS = Table(
    "leads",
    key="lead_id",
    columns=(
        Column("lead_id", "text", required=True),
        Column("created_at", "timestamp", required=True),
        Column("mql_at", "timestamp"),
        Column("owner_id", "text"),
        Column("assigned_at", "timestamp"),
        Column("source", "text"),
        Column("tier", "enum", choices=TIERS),
        Column("campaign", "text"),
        Column("company", "text"),
        Column("title", "text"),
        Column("country", "text"),
        Column("segment", "text"),
        Column("score", "number"),
        Column("disposition", "disposition"),
        Column("disposition_at", "timestamp"),
        Column("sql_at", "timestamp"),
    ),
)

ACTIVITIES = Table(
    "activities",
    key="activity_id",
    lead_ref="lead_id",
    columns=(
        Column("activity_id", "text", required=True),
        Column("lead_id", "text", required=True),
        Column("rep_id", "text"),
        Column("type", "enum", choices=ACTIVITY_TYPES, default="'other'"),
        Column("direction", "enum", choices=DIRECTIONS, default="'outbound'"),
        Column("occurred_at", "timestamp", required=True),
        Column("is_automated", "bool", default="false"),
        Column("outcome", "text"),
        Column("subject", "text"),
    ),
)

MEETINGS = Table(
    "meetings",
    key="meeting_id",
    lead_ref="lead_id",
    columns=(
        Column("meeting_id", "text", required=True),
        Column("lead_id", "text", required=True),
        Column("rep_id", "text"),
        Column("booked_at", "timestamp", required=True),
        Column("scheduled_for", "timestamp", planned=True),
        Column("status", "enum", choices=MEETING_STATUSES, default="'scheduled'"),
    ),
)

OPPORTUNITIES = Table(
    "opportunities",
    key="opportunity_id",
    lead_ref="lead_id",
    columns=(
        Column("opportunity_id", "text", required=True),
        Column("lead_id", "text"),
        Column("created_at", "timestamp", required=True),
        Column("amount", "number", minimum=0),
        Column("stage", "text"),
        Column("is_closed", "bool", default="false"),
        Column("is_won", "bool", default="false"),
        Column("closed_at", "timestamp", planned=True),
    ),
)

OWNER_CHANGES = Table(
    "owner_changes",
    key="change_id",
    lead_ref="lead_id",
    columns=(
        Column("change_id", "text", required=True),
        Column("lead_id", "text", required=True),
        Column("changed_at", "timestamp", required=True),
        Column("from_owner_id", "text"),
        Column("to_owner_id", "text"),
    ),
)
"""The CRM's owner history (optional): empty or unknown owners (queues) mean unassigned."""

# Load order matters: leads before the tables that reference them.
TABLES: tuple[Table, ...] = (REPS, LEADS, ACTIVITIES, MEETINGS, OPPORTUNITIES, OWNER_CHANGES)
BY_NAME = {t.name: t for t in TABLES}

SQL_TYPES = {
    "text": "VARCHAR",
    "timestamp": "TIMESTAMPTZ",
    "bool": "BOOLEAN",
    "number": "DOUBLE",
    "enum": "VARCHAR",
    "timezone": "VARCHAR",
    "country": "VARCHAR",
    "disposition": "VARCHAR",
}

REJECT_COLUMNS: tuple[str, ...] = ("table", "file", "line", "column", "reason", "value", "record_id")
"""The columns of a rejected record, in order: the rejects files and reports write these, and
the store's `rejects` table holds them after its `load_id`."""
