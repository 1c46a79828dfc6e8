"""The parts of the model's SQL that are written from declarations, not by hand.

A SQL file may hold these `{tokens}` (outside `--` comments); `render` fills each from code,
never from users:

- `{group}`: a grouping expression of `dimensions.GROUPS`;
- `{conditions}` (scope.sql) and `{options}` (filter_options.sql): from `dimensions.DIMENSIONS`;
- `{aggregates}`, `{formulas}`, `{columns}` (handoff_metrics.sql): from the metric registry
  (its metrics, then its young-cohort status fields), all or only those a question asks for;
- `{selection}` (handoff_metrics.sql): the handoffs aggregated, with their young-cohort facts
  (`handoff_cohort`) unless no metric asked for reads them (then `handoff_scope`);
- `{snippet(arguments)}`: a per-engine snippet, `sql/snippets/<engine>/<snippet>.sql`, its
  parameters (named in its first comment line) filled with the arguments, plain identifiers.
  The few constructs whose fastest (or only) form differs per engine live there: the clock's
  inverse lookup (`clock_lookup`), the owner at an instant (`owner_at`), and what makes a
  table macro (`table_macro`) or a function (`function`).

Functions: `{function(name, parameters)} expression;` in units.sql, business_time.sql and
`sql/snippets/<engine>/functions.sql` defines `name`; `render` writes every call of it inline,
so a model file reads the same on every engine (`to_us(t)`, `from_us(us)`, `local_time(tz, t)`,
`continuous_quantile(x, p)`, `row_key()`, `us_to_minutes(us)`, ...).

Every model file is written in the DuckDB dialect; the Spark engine transpiles what `render`
gives for `engine="spark"` (handoff.engines.spark).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, partial
from importlib import resources

from handoff.model import definitions, dimensions

ENGINES = ("duckdb", "spark")
# the files that define the shared functions (the per-engine ones: snippets/<engine>/functions.sql)
FUNCTION_FILES = ("units.sql", "business_time.sql")
FUNCTIONS = "functions"  # the snippet of each engine that defines its own functions

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
TOKEN = re.compile(r"\{([a-z_]+)\}")
SNIPPET = re.compile(r"\{([a-z_]+)\(([a-z0-9_, ]*)\)\}")
DEFINITION = re.compile(r"\{function\(([a-z_]+)((?:, [a-z0-9_]+)*)\)\}\s*(.*?);", re.S)
SIGNATURE = re.compile(r"^--\s*([a-z_]+)\(([a-z0-9_, .]*)\)")


def _checked(name: str) -> str:
    if not IDENTIFIER.match(name):
        raise ValueError(f"not a plain SQL identifier: {name!r}")
    return f'"{name}"'


def _wanted(name: str, only: frozenset[str] | None) -> bool:
    return only is None or name in only


def aggregates(only: frozenset[str] | None = None) -> str:
    """The registry's aggregates over the handoffs (all, or those in `only`)."""
    parts = [
        f"{m.sql} AS {_checked(m.name)}"
        for m in definitions.METRICS
        if m.over == definitions.HANDOFFS and _wanted(m.name, only)
    ]
    parts += [f"{st.sql} AS {_checked(st.name)}" for st in definitions.STATUSES if _wanted(st.name, only)]
    return ",\n        ".join(parts)


def formulas(only: frozenset[str] | None = None) -> str:
    """The registry's formulas over a group's aggregates (all, or those in `only`); a
    placeholder column when none is asked for, so the list is never empty."""
    parts = [
        f"{m.sql} AS {_checked(m.name)}"
        for m in definitions.METRICS
        if m.over == definitions.METRICS_OF_GROUP and _wanted(m.name, only)
    ]
    return ",\n        ".join(parts) or 'NULL AS "_no_formula"'


def columns(only: frozenset[str] | None = None) -> str:
    names = [n for n in (*definitions.names(), *definitions.status_names()) if _wanted(n, only)]
    return ",\n    ".join(_checked(n) for n in names)


# What handoff_metrics.sql aggregates: each handoff of the selection with its young-cohort
# facts (cohort.sql), or, for metrics that do not read them, the selection itself.
COHORT_SELECTION = "handoff_cohort($filters, $reference_weeks) WHERE week_mature OR NOT $mature_weeks_only"
PLAIN_SELECTION = "handoff_scope($filters)"


def selection(only: frozenset[str] | None = None) -> str:
    return COHORT_SELECTION if only is None or definitions.reads_cohort(only) else PLAIN_SELECTION


def _sql_file(*parts: str) -> str:
    return resources.files("handoff.model").joinpath("sql", *parts).read_text(encoding="utf-8")


def _code(sql: str) -> str:
    """`sql` without its whole-line comments."""
    return "\n".join(line for line in sql.split("\n") if not line.lstrip().startswith("--"))


def _checked_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose from {ENGINES}")
    return engine


@cache
def snippet(name: str, engine: str) -> tuple[tuple[str, ...], str]:
    """A per-engine snippet: its parameters (a last one ending in `...` takes the remaining
    arguments, comma-separated) and its SQL."""
    if not IDENTIFIER.match(name):
        raise ValueError(f"not a snippet name: {name!r}")
    text = _sql_file("snippets", _checked_engine(engine), f"{name}.sql")
    signature = SIGNATURE.match(text)
    if not signature or signature.group(1) != name:
        raise ValueError(f"snippet {engine}/{name}.sql does not start with `-- {name}(parameters)`")
    params = tuple(p.strip() for p in signature.group(2).split(",") if p.strip())
    return params, _code(text).strip()


def fill_snippet(name: str, args: list[str], engine: str) -> str:
    """A snippet with its parameters filled (plain identifiers only)."""
    params, text = snippet(name, engine)
    for arg in args:
        if not IDENTIFIER.match(arg):
            raise ValueError(f"snippet {name}: not a plain SQL identifier: {arg!r}")
    values: dict[str, str] = {}
    variadic = bool(params) and params[-1].endswith("...")
    if len(args) < len(params) - variadic or (not variadic and len(args) != len(params)):
        raise ValueError(f"snippet {name} takes the arguments ({', '.join(params)})")
    for i, param in enumerate(params):
        values[param.removesuffix("...")] = ", ".join(args[i:]) if param.endswith("...") else args[i]
    return TOKEN.sub(lambda m: values.get(m.group(1), m.group(0)), text)


@cache
def functions(engine: str) -> dict[str, tuple[tuple[str, ...], str]]:
    """The functions `render` writes inline on `engine`: name -> (parameters, expression)."""
    found: dict[str, tuple[tuple[str, ...], str]] = {}
    texts = [_sql_file(f) for f in FUNCTION_FILES] + [
        _sql_file("snippets", _checked_engine(engine), f"{FUNCTIONS}.sql")
    ]
    for text in texts:
        for name, params, body in DEFINITION.findall(_code(text)):
            found[name] = (tuple(p.strip() for p in params.split(",") if p.strip()), " ".join(body.split()))
    return found


def _arguments(sql: str, start: int) -> tuple[list[str], int]:
    """The comma-separated arguments of the call whose `(` is at `start`, and the index after
    its `)`; parentheses, brackets, braces and quotes nest."""
    depth, quote, begin = 0, "", start + 1
    args: list[str] = []
    for i in range(start, len(sql)):
        ch = sql[i]
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
            if depth == 0:
                last = sql[begin:i].strip()
                if last or args:
                    args.append(last)
                return args, i + 1
        elif ch == "," and depth == 1:
            args.append(sql[begin:i].strip())
            begin = i + 1
    raise ValueError("unbalanced parentheses in a function call")


def _value_of(values: dict[str, str], match: re.Match) -> str:
    return values[match.group(1)]


def inline(sql: str, engine: str) -> str:
    """`sql` with every call of a model function written inline (its arguments in parentheses)."""
    defined = functions(engine)
    call = re.compile(r"(?<![\w.$'\"])(" + "|".join(sorted(defined, key=len, reverse=True)) + r")\s*\(")
    out, pos = [], 0
    while match := call.search(sql, pos):
        args, end = _arguments(sql, match.end() - 1)
        params, body = defined[match.group(1)]
        if len(args) != len(params):
            raise ValueError(f"{match.group(1)} takes {len(params)} arguments, got {len(args)}")
        values = {p: f"({inline(a, engine)})" for p, a in zip(params, args, strict=True)}
        if values:
            names = "|".join(values)
            body = re.sub(rf"(?<![\w.'\"])({names})(?![\w'\"])", partial(_value_of, values), body)
        out += [sql[pos : match.start()], f"({inline(body, engine)})"]
        pos = end
    return "".join(out) + sql[pos:]


def render(sql: str, group: str | None = None, engine: str = "duckdb", metrics: frozenset[str] | None = None) -> str:
    """`sql` with its tokens filled for `engine`; `group` picks a GROUPS key for `{group}`;
    `metrics` narrows `{aggregates}`, `{formulas}`, `{columns}` and `{selection}` to those
    registry names (with what they are computed from: `definitions.required`).
    A file of function definitions (units.sql) becomes macros on DuckDB (nothing on Spark);
    any other file has its snippets filled and its function calls written inline."""
    _checked_engine(engine)
    if DEFINITION.search(_code(sql)):
        return SNIPPET.sub(
            lambda m: fill_snippet(m.group(1), [a.strip() for a in m.group(2).split(",")], engine), _code(sql)
        )
    wanted = None if metrics is None else definitions.required(metrics)
    parts: dict[str, Callable[[], str]] = {
        "conditions": dimensions.scope_conditions,
        "options": dimensions.option_rows,
        "aggregates": partial(aggregates, wanted),
        "formulas": partial(formulas, wanted),
        "columns": partial(columns, wanted),
        "selection": partial(selection, wanted),
    }

    def fill_call(match: re.Match) -> str:
        args = [a.strip() for a in match.group(2).split(",") if a.strip()]
        return SNIPPET.sub(fill_call, fill_snippet(match.group(1), args, engine))

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

    # comments name the tokens too: they are left out
    return inline(TOKEN.sub(fill, SNIPPET.sub(fill_call, _code(sql))), engine)
