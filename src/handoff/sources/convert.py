"""CRM values -> canonical values, and field maps declared as data.

Generic converters every connector uses (timestamps, booleans, numbers, text, disposition
codes, countries, segments), the declared per-object field maps (`Field`, `Derived`,
`apply_map`) and the split of rows missing a required value into rejects. Required columns
and the kinds of user-mapped columns come from `handoff.schema`, not from here.

    LEADS = {"lead_id": Field("id"), "created_at": Field("createdate", to_ts),
             "tier": Derived(tier_of)}
    rows = apply_map(LEADS, "leads", frame, context, extra={"campaign": "utm_campaign"})
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import pycountry

from handoff.policy import Policy
from handoff.schema import BY_NAME, REJECT_COLUMNS, Column
from handoff.sources.files import INVISIBLE_RE, MAX_AMOUNT, plausible_range

Converter = Callable[[pd.Series], pd.Series]


# -- values -----------------------------------------------------------------------------------------
def missing(v) -> bool:
    return v is None or v is pd.NaT or (isinstance(v, float) and np.isnan(v))


def omap(values: pd.Series, fn) -> pd.Series:
    """Element-wise map into an object Series; `fn` sees None for every missing value."""
    nat = pd.NaT
    return pd.Series(
        [fn(None if v is None or v is nat or (type(v) is float and v != v) else v) for v in values],
        index=values.index,
        dtype=object,
    )


def _objects(values: pd.Series) -> pd.Series:
    """The values as an object Series with None for every missing one."""
    s = values.astype(object)
    return s.where(s.notna(), None)


def owhere(cond: pd.Series, a: pd.Series, b) -> pd.Series:
    """a where cond else b (b a Series or a scalar), as an object Series."""
    bs = b if isinstance(b, pd.Series) else [b] * len(a)
    return pd.Series(
        [None if missing(x) else x for x in (x if c else y for c, x, y in zip(cond, a, bs, strict=True))],
        index=a.index,
        dtype=object,
    )


def col(frame: pd.DataFrame, name: str | None) -> pd.Series:
    """A column of raw values as objects (all None when the frame lacks it)."""
    if name and name in frame.columns:
        return _objects(frame[name])
    return pd.Series([None] * len(frame), index=frame.index, dtype=object)


_EPOCH = re.compile(r"-?\d{10,}")


def to_ts(values: pd.Series) -> pd.Series:
    """ISO 8601 (`...+0000`, `Z`, offsets), epoch milliseconds and dates -> UTC instants."""
    s = pd.Series(values, dtype=object)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[us, UTC]")
    if s.empty:
        return out
    present = s.notna()
    if all(type(v) is str for v in s[present]):  # the usual case (JSON, CSV): whole-column string ops
        text = s[present].str.strip()
    else:
        text = omap(s, _ts_text)[present]
    text = text[text.notna() & (text != "")]
    if text.empty:
        return out
    epoch = text.str.fullmatch(_EPOCH.pattern).astype(bool)
    if epoch.any():
        out[text.index[epoch]] = pd.to_datetime(text[epoch].astype("int64"), unit="ms", utc=True)
    if not epoch.all():
        iso = text[~epoch]
        out[iso.index] = pd.to_datetime(iso, utc=True, format="ISO8601", errors="coerce")
    return out


def _ts_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, datetime):
        return v.isoformat()
    return str(v).strip() or None


def to_bool(values: pd.Series) -> pd.Series:
    def conv(v):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, bool):
            return v
        t = str(v).strip().lower()
        if t in ("true", "1", "yes"):
            return True
        if t in ("false", "0", "no"):
            return False
        return None

    return pd.Series([conv(v) for v in values], index=getattr(values, "index", None), dtype="boolean")


def flag(default: bool) -> Converter:
    """A boolean whose missing or unreadable values are `default`."""
    return lambda values: to_bool(values).fillna(default).astype(bool)


def to_num(values: pd.Series) -> pd.Series:
    return pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype("float64")


def to_text(values: pd.Series) -> pd.Series:
    s = _objects(pd.Series(values, dtype=object))
    if s.dropna().map(type).eq(str).all():
        return s
    return omap(s, lambda v: None if v is None else str(v))


def norm_code(value: str) -> str:
    return re.sub(r"[\s_]+", "", str(value)).lower()


def disposition_mapper(codes: Iterable[str], custom: Mapping[str, str] | None):
    """CRM value -> disposition code: the custom map first, then equality with a code
    ignoring case, spaces and underscores; anything else is no disposition."""
    by_norm = {norm_code(c): c for c in codes}
    custom_norm = {norm_code(k): v for k, v in (custom or {}).items()}

    def mapped(value):
        if value is None or (isinstance(value, float) and np.isnan(value)):
            return None
        key = norm_code(value)
        if key in custom_norm:
            target = custom_norm[key]
            return by_norm.get(norm_code(target), target) if target else None
        return by_norm.get(key)

    return mapped


def value_mapper(mapping: Mapping[str, str]) -> Callable[[Any], str | None]:
    """A CRM value -> a mapped value, matching keys ignoring case and surrounding spaces."""
    table = {str(k).strip().lower(): v for k, v in mapping.items()}
    return lambda v: None if missing(v) else table.get(str(v).strip().lower())


def segment_of(employees: pd.Series) -> pd.Series:
    """Number of employees -> segment: < 200 SMB, < 1,000 Mid-market, else Enterprise."""
    n = to_num(employees)
    seg = pd.Series(None, index=n.index, dtype=object)
    seg[n.notna() & (n < 200)] = "SMB"
    seg[n.notna() & (n >= 200) & (n < 1000)] = "Mid-market"
    seg[n.notna() & (n >= 1000)] = "Enterprise"
    return seg


def country_code(value) -> str | None:
    """A country name or code -> ISO 3166 alpha-2 (the holiday calendar needs it); None if unknown."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    try:
        return pycountry.countries.lookup(text).alpha_2
    except LookupError:
        return text.upper() if len(text) == 2 and text.isalpha() else None


def to_country(values: pd.Series) -> pd.Series:
    return omap(pd.Series(values, dtype=object), country_code)


# -- field maps as data ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Field:
    """A canonical column read from CRM field(s): each converted, the first non-empty wins."""

    source: str | tuple[str, ...]
    convert: Converter = to_text

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else tuple(self.source)

    def __call__(self, frame: pd.DataFrame, out: pd.DataFrame, context: Any) -> pd.Series:
        result = None
        for name in self.sources:
            values = pd.Series(self.convert(col(frame, name)), index=frame.index)
            result = values if result is None else result.where(result.notna(), values)
        return result


@dataclass(frozen=True)
class Derived:
    """A canonical column computed by code (the exceptions): fn(frame, out so far, context)."""

    fn: Callable[[pd.DataFrame, pd.DataFrame, Any], Any]

    def __call__(self, frame: pd.DataFrame, out: pd.DataFrame, context: Any) -> Any:
        return self.fn(frame, out, context)


FieldMap = Mapping[str, "Field | Derived"]

KIND_CONVERTERS: dict[str, Converter] = {"timestamp": to_ts, "number": to_num, "bool": to_bool}


def source_fields(fmap: FieldMap) -> list[str]:
    """The CRM fields a map reads (Derived columns name theirs elsewhere)."""
    return list(dict.fromkeys(n for f in fmap.values() if isinstance(f, Field) for n in f.sources))


def apply_map(
    fmap: FieldMap, table: str, frame: pd.DataFrame, context: Any = None, extra: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Canonical rows of `table` from raw CRM records, column by column in the map's order;
    then the user's `extra` map (column -> CRM field): a canonical column is converted by its
    kind in the schema (timestamps, numbers, booleans; else text), any other name is kept as
    text in the row's `extra`."""
    out = pd.DataFrame(index=frame.index)
    for name, spec in fmap.items():
        out[name] = spec(frame, out, context)
    columns = {c.name: c for c in BY_NAME[table].columns}
    for name, crm_field in (extra or {}).items():
        if crm_field in frame.columns:
            kind = columns[name].kind if name in columns else "text"
            out[name] = KIND_CONVERTERS.get(kind, to_text)(frame[crm_field]).values
    return out.reset_index(drop=True)


# -- rejects ----------------------------------------------------------------------------------------
# The file import's bounds and wording, held to once: a CRM record meets the same standard.
INVISIBLE = re.compile(re.sub(r"\\x\{([0-9a-fA-F]{4})\}", r"\\u\1", INVISIBLE_RE))
ID_REASON = "id contains control or invisible characters (tab, NUL, zero-width space, ...)"


@dataclass(frozen=True)
class Bounds:
    """The plausible instants (the policy's `valid_from` to `valid_to`, default a day from
    now; planned dates up to five years later), as the file import reads them."""

    lo: datetime
    hi_event: datetime
    hi_planned: datetime

    @classmethod
    def of(cls, policy: Policy | None = None) -> Bounds:
        return cls(*plausible_range(policy or Policy()))

    def reason(self, planned: bool) -> str:
        hi = self.hi_planned if planned else self.hi_event
        return f"implausible timestamp: outside {self.lo:%Y-%m-%d} to {hi:%Y-%m-%d %H:%M} UTC"


def required_columns(table: str) -> list[str]:
    return [c.name for c in BY_NAME[table].columns if c.required]


def _shown(value: Any) -> str | None:
    if missing(value):
        return None
    if isinstance(value, (datetime, pd.Timestamp)):
        return value.isoformat()
    return str(value)


def problems(column: Column, values: pd.Series, bounds: Bounds) -> list[tuple[pd.Series, str]]:
    """(bad rows, reason) for the implausible values of one column, by its kind in the schema:
    timestamps outside the bounds, numbers not finite, under their minimum or over MAX_AMOUNT,
    ids with control or invisible characters."""
    if column.kind == "timestamp":
        ts = pd.Series(pd.to_datetime(values, utc=True, errors="coerce"), index=values.index)
        hi = bounds.hi_planned if column.planned else bounds.hi_event
        return [(ts.notna() & ((ts < bounds.lo) | (ts > hi)), bounds.reason(column.planned))]
    if column.kind == "number":
        n = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").astype("float64")
        finite = pd.Series(np.isfinite(n.to_numpy()), index=n.index)
        out = [(n.notna() & ~finite, "not a finite number")]
        if column.minimum is not None:
            out.append((finite & (n < column.minimum), f"must be at least {column.minimum:g}"))
        out.append((finite & (n.abs() > MAX_AMOUNT), f"implausibly large (over {MAX_AMOUNT:,.0f})"))
        return out
    if column.kind == "text" and column.is_id:
        bad = [not missing(v) and INVISIBLE.search(str(v)) is not None for v in values]
        return [(pd.Series(bad, index=values.index, dtype=bool), ID_REASON)]
    return []


def split_rejects(
    out: pd.DataFrame, table: str, origin: str, bounds: Bounds | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows missing a required value or holding an implausible one (per the schema's column
    kinds and the policy's bounds) -> (good rows, rejects frame for Store.add_rejects, one row
    per problem naming its column, reason and value)."""
    bounds = bounds or Bounds.of()
    key = BY_NAME[table].key
    ids = out[key] if key in out.columns else pd.Series(None, index=out.index, dtype=object)
    bad = pd.Series(False, index=out.index)
    found: list[tuple[int, int, str, str, Any]] = []  # (row, order, column, reason, value)
    for n, column in enumerate(BY_NAME[table].columns):
        if column.name not in out.columns:
            if column.required:
                found += [(i, n, column.name, f"missing or unreadable {column.name}", None) for i in range(len(out))]
                bad[:] = True
            continue
        values = out[column.name]
        checks = problems(column, values, bounds)
        if column.required:
            checks.insert(0, (values.isna(), f"missing or unreadable {column.name}"))
        for rows, reason in checks:
            rows = rows.fillna(False).astype(bool).to_numpy()
            found += [(int(i), n, column.name, reason, values.iloc[i]) for i in np.flatnonzero(rows)]
            bad |= rows
    found.sort(key=lambda f: (f[0], f[1]))
    rejects = [
        {
            "table": table,
            "file": origin,
            "line": None,
            "column": column,
            "reason": reason,
            "value": None if reason.startswith("missing") else _shown(value),
            "record_id": ids.iloc[i],
        }
        for i, _, column, reason, value in found
    ]
    rej = pd.DataFrame(rejects, columns=list(REJECT_COLUMNS)).astype({"line": "Int64", "value": object})
    return out[~bad.to_numpy()], rej
