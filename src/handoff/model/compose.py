"""The parts of the model's SQL that are written from declarations, not by hand.

A SQL file may hold these `{tokens}` (outside `--` comments); `render` fills each from code,
never from users:

- `{group}`: a grouping expression of `dimensions.GROUPS`;
- `{conditions}` (scope.sql) and `{options}` (filter_options.sql): from `dimensions.DIMENSIONS`;
- `{aggregates}`, `{formulas}`, `{columns}` (handoff_metrics.sql): from the metric registry
  (its metrics, then its young-cohort status fields).
"""

from __future__ import annotations

import re

from handoff.model import definitions, dimensions

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
TOKEN = re.compile(r"\{([a-z_]+)\}")


def _checked(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


def aggregates() -> str:
    parts = [f"{m.sql} AS {_checked(m.name)}" for m in definitions.METRICS if m.over == definitions.HANDOFFS]
    parts += [f"{st.sql} AS {_checked(st.name)}" for st in definitions.STATUSES]
    return ",\n        ".join(parts)


def formulas() -> str:
    return ",\n        ".join(
        f"{m.sql} AS {_checked(m.name)}" for m in definitions.METRICS if m.over == definitions.METRICS_OF_GROUP
    )


def columns() -> str:
    return ",\n    ".join(_checked(n) for n in (*definitions.names(), *definitions.status_names()))


def render(sql: str, group: str | None = None) -> str:
    """`sql` with its tokens filled; `group` picks a GROUPS key for `{group}`."""
    parts = {
        "conditions": dimensions.scope_conditions,
        "options": dimensions.option_rows,
        "aggregates": aggregates,
        "formulas": formulas,
        "columns": columns,
    }

    def fill(match: re.Match) -> str:
        token = match.group(1)
        if token == "group":
            if group is None:
                raise ValueError("this question needs a grouping")
            if group not in dimensions.GROUPS:
                raise ValueError(f"unknown grouping {group!r}; choose from {sorted(dimensions.GROUPS)}")
            return dimensions.GROUPS[group]
        if token in parts:
            return parts[token]()
        return match.group(0)

    # comments name the tokens too: they are left as written
    return "\n".join(line if line.lstrip().startswith("--") else TOKEN.sub(fill, line) for line in sql.split("\n"))
