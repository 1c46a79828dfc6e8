"""Data tests the model carries, in the spirit of dbt's: each is a query that returns the rows
breaking a rule, so a check passes when it returns none.

Two kinds:

- on `lead_handoff` (one row per handoff): unique and not-null keys, accepted values, and
  row invariants of the per-lead definitions (pending means untouched, a meeting outcome is
  pending exactly while the window is open, ...);
- on `handoff_metrics` (one row per group), for every grouping: partitions (met + breached +
  pending = handoffs, contacted + never contacted = handoffs, meeting true + false + pending
  = handoffs), bounds of shares, and counts that add up over the groups to the total.

`run(model)` runs them all and returns the failures; the test suite runs them on the
sample and on hand-made data. Rows come back as they are, for a person to read.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from handoff.model import Filters, Model, definitions, run_sql
from handoff.model.compose import render
from handoff.model.dimensions import GROUPS
from handoff.schema import TIERS

LEADS = "lead_handoff"
METRICS = "handoff_metrics"
SLA_STATUSES = ("met", "breached", "pending")


@dataclass(frozen=True)
class Check:
    name: str
    rule: str  # what must hold, in words
    on: str  # LEADS or METRICS
    sql: str  # the rows breaking the rule; METRICS checks read `metrics` (one grouping)


def _not_null(columns: tuple[str, ...]) -> str:
    return "SELECT lead_id FROM lead_handoff WHERE " + " OR ".join(f"{c} IS NULL" for c in columns)


LEAD_CHECKS: tuple[Check, ...] = (
    Check(
        "lead_id_unique",
        "lead_id is unique in lead_handoff",
        LEADS,
        "SELECT lead_id, count(*) AS rows FROM lead_handoff GROUP BY lead_id HAVING count(*) > 1",
    ),
    Check(
        "not_null",
        "the facts every handoff has are never NULL",
        LEADS,
        _not_null(
            (
                "lead_id",
                "tier",
                "mql_at",
                "sla_status",
                "speed_bucket",
                "sla_target_business_minutes",
                "window_end",
                "touches_in_window",
                "contacted",
                "assigned",
                "cadence_met",
                "mql_week",
            )
        ),
    ),
    Check(
        "one_row_per_handoff",
        "lead_handoff has exactly the leads with mql_at <= as_of",
        LEADS,
        "(SELECT lead_id, 'missing' AS problem FROM leads WHERE mql_at IS NOT NULL AND mql_at <= $as_of "
        "EXCEPT SELECT lead_id, 'missing' FROM lead_handoff) "
        "UNION ALL (SELECT lead_id, 'not a handoff' FROM lead_handoff "
        "EXCEPT SELECT lead_id, 'not a handoff' FROM leads WHERE mql_at IS NOT NULL AND mql_at <= $as_of)",
    ),
    Check(
        "accepted_values",
        "sla_status, speed_bucket and tier take their declared values",
        LEADS,
        "SELECT lead_id, sla_status, speed_bucket, tier FROM lead_handoff "
        "WHERE NOT list_contains($statuses, sla_status) OR NOT list_contains($tiers, tier) "
        "OR speed_bucket NOT IN (SELECT name FROM speed_buckets)",
    ),
    Check(
        "sla_status_by_touch",
        "met needs a touch; pending means untouched and within the target",
        LEADS,
        "SELECT lead_id, sla_status, contacted FROM lead_handoff "
        "WHERE (sla_status = 'met' AND NOT contacted) OR (sla_status = 'pending' AND contacted) "
        "OR (sla_status = 'pending' AND age_business_minutes > sla_target_business_minutes)",
    ),
    Check(
        "contacted_is_first_touch",
        "contacted exactly when there is a first touch, in [mql_at, as_of]",
        LEADS,
        "SELECT lead_id, contacted, first_touch_at FROM lead_handoff "
        "WHERE contacted <> (first_touch_at IS NOT NULL) "
        "OR first_touch_at < mql_at OR first_touch_at > $as_of",
    ),
    Check(
        "never_bucket_is_untouched",
        "the never bucket holds exactly the untouched handoffs",
        LEADS,
        "SELECT lead_id, speed_bucket, contacted FROM lead_handoff "
        "WHERE (speed_bucket IN (SELECT name FROM speed_buckets WHERE NOT contacted)) = contacted",
    ),
    Check(
        "meeting_outcome_by_window",
        "a meeting outcome is pending exactly while the window is open and nothing was booked; a "
        "booking in the window is contact",
        LEADS,
        "SELECT lead_id, meeting_in_window, window_end FROM lead_handoff "
        "WHERE (meeting_in_window IS NULL AND window_end <= $as_of) "
        "OR (NOT meeting_in_window AND window_end > $as_of) "
        "OR (meeting_in_window AND NOT contacted)",
    ),
    Check(
        "business_minutes_within_wall_clock",
        "business minutes never exceed wall-clock minutes",
        LEADS,
        "SELECT lead_id, response_minutes, response_business_minutes FROM lead_handoff "
        "WHERE response_business_minutes > response_minutes + 1e-9 OR response_business_minutes < 0",
    ),
    Check(
        "cadence_met_by_target",
        "cadence_met exactly when touches_in_window reach the target",
        LEADS,
        "SELECT lead_id, touches_in_window, cadence_met FROM lead_handoff "
        "WHERE cadence_met <> (touches_in_window >= $cadence_target)",
    ),
    Check(
        "disposition_timing",
        "disposition_on_time is known exactly for a disposition with a date; overdue only without one",
        LEADS,
        "SELECT lead_id, disposition, disposition_at, disposition_on_time, disposition_overdue "
        "FROM lead_handoff WHERE (disposition_on_time IS NULL) <> (disposition IS NULL OR disposition_at IS NULL) "
        "OR (disposition_overdue AND disposition IS NOT NULL)",
    ),
    Check(
        "breach_at_iff_breached",
        "a breach instant exactly for a breached handoff, after mql_at and by as_of (by the first touch "
        "when touched); a breach owner and an escalation only for a breached one",
        LEADS,
        "SELECT lead_id, sla_status, mql_at, first_touch_at, breach_at, breach_owner_id, escalated "
        "FROM lead_handoff WHERE (breach_at IS NOT NULL) <> (sla_status = 'breached') "
        "OR breach_at <= mql_at OR breach_at > $as_of OR breach_at >= first_touch_at "
        "OR (sla_status <> 'breached' AND (breach_owner_id IS NOT NULL OR escalated IS NOT NULL))",
    ),
    Check(
        "routing_from_assigned_at",
        "a routing delay exactly where assigned_at is known, never negative; reassignments never "
        "negative; an assignment from the owner history lies in [mql_at, as_of]",
        LEADS,
        "SELECT lead_id, mql_at, assigned_at, routing_business_minutes, reassignments FROM lead_handoff "
        "WHERE (routing_business_minutes IS NULL) <> (assigned_at IS NULL) OR routing_business_minutes < 0 "
        "OR reassignments < 0 OR (has_owner_history AND (assigned_at < mql_at OR assigned_at > $as_of))",
    ),
)

# Shares that are not a part of a whole (a difference of two shares) are bounded apart.
NOT_PARTS = ("assigned_contacted_gap",)


def _metric_checks() -> tuple[Check, ...]:
    shares = [m.name for m in definitions.METRICS if m.unit == "share" and m.name not in NOT_PARTS]
    return (
        Check(
            "sla_partition",
            "met + breached + pending = handoffs",
            METRICS,
            'SELECT "group", met, breached, pending, handoffs FROM metrics WHERE met + breached + pending <> handoffs',
        ),
        Check(
            "contact_partition",
            "contacted + never contacted = handoffs",
            METRICS,
            'SELECT "group", contacted, never_contacted, handoffs FROM metrics '
            "WHERE contacted + never_contacted <> handoffs",
        ),
        Check(
            "meeting_partition",
            "meetings (true) + no meeting (false) + pending = handoffs, the pending counted apart from lead_handoff",
            METRICS,
            'WITH pending AS (SELECT {group} AS "group", count(*) FILTER (WHERE meeting_in_window IS NULL) '
            "AS meeting_pending FROM handoff_scope($filters) GROUP BY ALL) "
            'SELECT m."group", meetings_in_window, meeting_decided, meeting_pending, handoffs '
            'FROM metrics AS m JOIN pending AS p ON p."group" IS NOT DISTINCT FROM m."group" '
            "WHERE meetings_in_window + (meeting_decided - meetings_in_window) + meeting_pending <> handoffs "
            "OR meetings_in_window > meeting_decided",
        ),
        Check(
            "disposition_parts",
            "accepted and on time are parts of the dispositioned; dispositioned "
            "and overdue ones are parts of the handoffs",
            METRICS,
            'SELECT "group", accepted, disposition_on_time, dispositioned, undispositioned, handoffs '
            "FROM metrics WHERE accepted > dispositioned OR disposition_on_time > dispositioned "
            "OR dispositioned + undispositioned > handoffs",
        ),
        Check(
            "shares_between_0_and_1",
            "every share of a whole lies in [0, 1]",
            METRICS,
            'SELECT "group", '
            + ", ".join(shares)
            + " FROM metrics WHERE "
            + " OR ".join(f"NOT ({s} BETWEEN 0 AND 1)" for s in shares),
        ),
        Check(
            "young_cohorts",
            "only a mature group has a handoff-to-meeting rate (equal to booked so far); "
            "only a group that is not mature has a projection, never below booked so far",
            METRICS,
            'SELECT "group", mature, handoff_to_meeting_rate, booked_so_far, projected FROM metrics '
            "WHERE (NOT mature AND handoff_to_meeting_rate IS NOT NULL) "
            "OR (mature AND (projected IS NOT NULL OR abs(handoff_to_meeting_rate - booked_so_far) > 1e-12)) "
            "OR projected < booked_so_far - 1e-12",
        ),
        Check(
            "escalation_parts",
            "breaches reassigned in time are part of the decided ones, and those part of the breaches",
            METRICS,
            'SELECT "group", escalated, escalation_decided, breached FROM metrics '
            "WHERE escalated > escalation_decided OR escalation_decided > breached",
        ),
        Check(
            "gap_is_difference",
            "assigned-vs-contacted gap = assigned share - contacted share",
            METRICS,
            'SELECT "group", assigned_contacted_gap, assigned_share, contacted_share FROM metrics '
            "WHERE abs(assigned_contacted_gap - (assigned_share - contacted_share)) > 1e-12",
        ),
    )


def checks() -> tuple[Check, ...]:
    return LEAD_CHECKS + _metric_checks()


@dataclass(frozen=True)
class Failure:
    check: str
    rule: str
    group: str | None  # the grouping of a METRICS check
    rows: pd.DataFrame


def run(model: Model, filters: Filters | None = None) -> list[Failure]:
    """Every check on the model's data; an empty list when all hold."""
    filters = filters or Filters()
    cursor = model.con.cursor()
    params = {**model.base_params(), "filters": filters.params(), "statuses": list(SLA_STATUSES), "tiers": list(TIERS)}
    failures = []
    for check in checks():
        if check.on == LEADS:
            rows = run_sql(cursor, check.sql, params)
            if len(rows):
                failures.append(Failure(check.name, check.rule, None, rows))
    overall = model.metrics("all", filters)
    for group in GROUPS:
        frame = model.metrics(group, filters)
        cursor.register("metrics", frame)
        for check in checks():
            if check.on == METRICS:
                rows = run_sql(cursor, render(check.sql, group=group), params)
                if len(rows):
                    failures.append(Failure(check.name, check.rule, group, rows))
        cursor.unregister("metrics")
        failures += _additive(frame, overall, group)
    return failures


def _additive(frame: pd.DataFrame, overall: pd.DataFrame, group: str) -> list[Failure]:
    """Counts add up over the groups of any grouping to the total of the selection."""
    counts = [m.name for m in definitions.METRICS if m.unit == "count"]
    if overall.empty:
        return []
    sums = frame[counts].sum()
    total = overall.iloc[0][counts]
    off = [c for c in counts if int(sums[c]) != int(total[c])]
    if not off:
        return []
    rows = pd.DataFrame(
        {"metric": off, "sum_of_groups": [int(sums[c]) for c in off], "total": [int(total[c]) for c in off]}
    )
    return [Failure("counts_add_up", "counts over the groups add up to the total", group, rows)]


def report(failures: list[Failure]) -> str:
    """The failures in words, with a few of their rows."""
    lines = []
    for f in failures:
        where = f" (by {f.group})" if f.group else ""
        lines.append(
            f"{f.check}{where}: {f.rule}; {len(f.rows)} rows break it, e.g.\n{f.rows.head(5).to_string(index=False)}"
        )
    return "\n".join(lines)
