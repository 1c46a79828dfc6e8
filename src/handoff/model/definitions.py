"""The registry of metric definitions: one place for every aggregate the product shows.

The dashboard's help texts, `docs/metrics.md` and the tests read this tuple, so a metric's
meaning is written once. Definitions follow the design's wording.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    definition: str
    unit: str  # count, share, business minutes, minutes, money, touches


METRICS: tuple[Metric, ...] = (
    Metric("handoffs", "MQLs handed off",
           "Leads with an mql_at (the handoff moment) in the selection, not after as_of.", "count"),
    Metric("contacted_share", "Contacted share",
           "Handoffs with a first touch (a qualifying touch or a meeting booked at or after mql_at) "
           "/ handoffs.", "share"),
    Metric("never_contacted_rate", "Never-contacted rate",
           "Handoffs without a first touch / handoffs.", "share"),
    Metric("assigned_share", "Assigned share",
           "Handoffs whose owner_id is a known rep / handoffs.", "share"),
    Metric("assigned_contacted_gap", "Assigned-vs-contacted gap",
           "Assigned share - contacted share: leads the CRM shows with an owner that nobody "
           "contacted.", "share"),
    Metric("median_response_business_minutes", "Median response",
           "Median of response_business_minutes (business minutes mql_at -> first touch, in the "
           "owner's calendar) over contacted handoffs.", "business minutes"),
    Metric("p90_response_business_minutes", "p90 response",
           "90th percentile of response_business_minutes over contacted handoffs.", "business minutes"),
    Metric("sla_compliance", "SLA compliance",
           "met / (met + breached). A lead is met when touched within its tier's target in "
           "business minutes; pending leads (untouched, still inside the target) are excluded "
           "and shown apart.", "share"),
    Metric("pending", "Pending",
           "Untouched handoffs still within their SLA target as of now.", "count"),
    Metric("handoff_to_meeting_rate", "Handoff-to-meeting rate",
           "Handoffs that booked a meeting (not canceled) within 10 business days of mql_at / "
           "handoffs whose window is decided (booked, or the window has ended). Bands: 40%+ "
           "excellent, 25% acceptable, 15% below average, else critical.", "share"),
    Metric("acceptance_rate", "Acceptance rate",
           "Handoffs with the accepting disposition (Qualified) / dispositioned handoffs. "
           "Target 70%.", "share"),
    Metric("disposition_on_time_rate", "Disposition on time",
           "Dispositioned handoffs whose disposition_at - mql_at <= 48 hours (wall clock) / "
           "dispositioned handoffs.", "share"),
    Metric("undispositioned", "Without disposition after 48 h",
           "Handoffs with no disposition although mql_at is more than 48 hours before as_of.", "count"),
    Metric("cadence_rate", "Cadence rate",
           "Handoffs with at least 6 qualifying touches (activities, not bookings) in "
           "[mql_at, min(window_end, as_of)] / handoffs.", "share"),
    Metric("avg_touches_in_window", "Touches in 10 business days",
           "Average qualifying touches per handoff within the 10-business-day window.", "touches"),
    Metric("median_routing_business_minutes", "Routing delay",
           "Median business minutes mql_at -> assigned_at, where assigned_at is known: the "
           "system's part of the response, owned by operations.", "business minutes"),
    Metric("median_rep_business_minutes", "Rep delay",
           "Median business minutes from the later of mql_at and assigned_at to the first "
           "touch: the rep's part of the response.", "business minutes"),
    Metric("pipeline_amount", "Pipeline created",
           "Sum of the amounts of the opportunities created from the handoffs in the selection.",
           "money"),
    Metric("sql_rate", "SQL rate",
           "Handoffs that became sales-qualified (sql_at set) / handoffs.", "share"),
    Metric("meeting_rate", "Meeting rate by speed bucket",
           "Per speed bucket (wall-clock response: 0-5m, 5-30m, 30-60m, 1-4h, 4-24h, 1-3d, 3d+, "
           "never): meetings in window / decided handoffs, with a 95% Wilson interval.", "share"),
    Metric("breach_queue", "Breach queue",
           "Untouched handoffs that have breached their SLA or will within the warning time, "
           "still inside their meeting window, oldest first; age in business minutes.", "count"),
)

BY_NAME: dict[str, Metric] = {m.name: m for m in METRICS}


def help_text(name: str) -> str:
    """The help text for a metric: its definition and unit."""
    m = BY_NAME[name]
    return f"{m.definition} Unit: {m.unit}."


def label(name: str) -> str:
    return BY_NAME[name].label
