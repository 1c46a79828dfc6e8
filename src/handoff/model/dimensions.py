"""The dimensions a selection filters on and a table groups by, declared once.

A dimension is a column of `lead_handoff` with the placeholder that stands for its empty
value. From `DIMENSIONS` come:

- `Filters`, the selection (one tuple field per filtered dimension, plus the MQL dates);
- the `handoff_scope(filters)` table macro (scope.sql) that every aggregate reads, with one
  condition per filtered dimension;
- `GROUPS`, the grouping expressions the aggregates accept;
- the values the sidebar offers (filter_options.sql).

So a new filter dimension is one `Dimension(...)` line. SQL identifiers come from this code
only; filter values and placeholders are bound as parameters (`$filters`, `$unassigned`,
`$none`), never written into SQL.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, make_dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

UNASSIGNED = "(unassigned)"
"""Shown for a lead without an owner (and for a rep's missing team)."""
NONE = "(none)"
"""Shown for an empty source, campaign or segment."""
PLACEHOLDERS: dict[str, str] = {"unassigned": UNASSIGNED, "none": NONE}
"""The placeholders by parameter name: SQL reads them as `$unassigned` and `$none`."""


@dataclass(frozen=True)
class Dimension:
    key: str  # grouping key, sidebar option key and URL key: "rep"
    label: str  # what people read: "Rep"
    column: str  # the lead_handoff column: "owner_id"
    placeholder: str | None = None  # a PLACEHOLDERS key for an empty value
    filter: str | None = None  # the Filters field when the sidebar filters on it: "owners"
    name_column: str | None = None  # a readable name shown beside the value: "owner_name"

    def expression(self, placeholder_ref: str = "${}") -> str:
        """The dimension's value in SQL; `placeholder_ref` says how the placeholder is read
        (a `$name` parameter, or a field of the macro's `filters` argument)."""
        if self.placeholder is None:
            return self.column
        return f"coalesce({self.column}, {placeholder_ref.format(self.placeholder)})"


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("source", "Source", "source", "none", filter="sources"),
    Dimension("tier", "Tier", "tier", filter="tiers"),
    Dimension("team", "Team", "team", "unassigned", filter="teams"),
    Dimension("rep", "Rep", "owner_id", "unassigned", filter="owners", name_column="owner_name"),
    Dimension("segment", "Segment", "segment", "none", filter="segments"),
    Dimension("campaign", "Campaign", "campaign", "none"),
    Dimension("week", "MQL week", "mql_week"),
    Dimension("speed_bucket", "Speed bucket", "speed_bucket"),
)
FILTERED: tuple[Dimension, ...] = tuple(d for d in DIMENSIONS if d.filter)

GROUPS: dict[str, str] = {"all": "'all'", **{d.key: d.expression() for d in DIMENSIONS}}
"""Grouping expressions the aggregates accept (identifiers are never taken from users)."""


def _params(self) -> dict[str, Any]:
    """The selection as the `$filters` STRUCT parameter of `handoff_scope`: an empty
    dimension is NULL (all), and the placeholders ride along for the macro to read."""
    out: dict[str, Any] = {}
    for key, value in asdict(self).items():
        if isinstance(value, (tuple, list)):
            out[key] = list(value) if value else None
        else:
            out[key] = value
    return {**out, **PLACEHOLDERS}


def filters_class(filtered: tuple[Dimension, ...]) -> type:
    """The selection's dataclass: the MQL dates and one tuple field per filtered dimension."""
    return make_dataclass(
        "Filters",
        [("date_from", date | None, field(default=None)), ("date_to", date | None, field(default=None))]
        + [(str(d.filter), tuple[str, ...], field(default=())) for d in filtered],
        frozen=True,
        namespace={
            "params": _params,
            "__module__": __name__,
            "__doc__": (
                "A selection of handoffs; an empty field means all. MQL dates (company-local) "
                "from `date_from` to `date_to`, and one tuple of values per filtered dimension: "
                + ", ".join(f"`{d.filter}` ({d.label.lower()})" for d in filtered)
                + "."
            ),
        },
    )


if TYPE_CHECKING:

    @dataclass(frozen=True)
    class Filters:
        """The type checker's view of the class `filters_class` makes below."""

        date_from: date | None
        date_to: date | None

        def __init__(self, **fields: Any) -> None: ...
        def __getattr__(self, name: str) -> tuple[str, ...]: ...
        def params(self) -> dict[str, Any]: ...

else:
    Filters = filters_class(FILTERED)


def scope_conditions() -> str:
    """The WHERE clause of `handoff_scope(filters)`, one condition per filtered dimension."""
    lines = [
        "(filters['date_from'] IS NULL OR mql_date >= filters['date_from'])",
        "(filters['date_to'] IS NULL OR mql_date <= filters['date_to'])",
    ]
    for d in FILTERED:
        value = d.expression("filters['{}']")
        lines.append(f"(filters['{d.filter}'] IS NULL OR list_contains(filters['{d.filter}'], {value}))")
    return "\n  AND ".join(lines)


def option_rows() -> str:
    """The SELECTs of filter_options.sql: per filtered dimension, its values and labels."""
    parts = []
    for d in FILTERED:
        value = d.expression()
        if d.name_column:
            text = f"coalesce(any_value({d.name_column}) || ' (' || {d.column} || ')', {value})"
            parts.append(
                f"SELECT '{d.key}' AS dimension, {value} AS value, {text} AS label FROM base GROUP BY {d.column}"
            )
        else:
            parts.append(f"SELECT DISTINCT '{d.key}' AS dimension, {value} AS value, {value} AS label FROM base")
    return "\n    UNION ALL\n    ".join(parts)
