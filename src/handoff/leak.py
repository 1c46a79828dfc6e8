"""The revenue-leak model: what slow and missing follow-up costs, in pure functions.

Every lead falls in one speed bucket (or `never`). A bucket converts at c_b = c* x m_b
(c_never = 0), wins at w_b = w* x v_b and closes at A_b = A* x a_b. The ideal has every
lead at c*, w* and A*; the gap between ideal and current revenue splits exactly into
conversion decline, competitive displacement and deal value compression. Marketing waste
(spend on never-contacted leads) is shown beside the gap, not inside it.

Nothing here reads a database or draws anything: the CLI and the app pass numbers in and
get numbers out, so they agree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, Mapping

import pandas as pd

from handoff.stats import bootstrap_mean_interval, wilson_interval

BUCKETS = ("0-5m", "5-30m", "30-60m", "1-4h", "4-24h", "1-3d", "3d+")
NEVER = "never"
DIMENSIONS = ("conversion_decline", "competitive_displacement", "deal_value_compression")
KEYS = (*DIMENSIONS, "revenue_gap", "marketing_waste")
SCALARS = ("mqls_per_month", "cost_per_lead", "never_contacted_share", "best_conversion", "win_rate", "contract_value")
FAMILIES = ("conversion_multipliers", "win_multipliers", "value_multipliers")
SHARE_TOLERANCE = 1e-6

# Bucket bounds in wall-clock minutes (upper bound inclusive, as in the metric definitions).
# The open-ended `3d+` bucket is given an upper bound of 7 days for the preset curves.
BUCKET_BOUNDS = {
    "0-5m": (0.0, 5.0), "5-30m": (5.0, 30.0), "30-60m": (30.0, 60.0), "1-4h": (60.0, 240.0),
    "4-24h": (240.0, 1440.0), "1-3d": (1440.0, 4320.0), "3d+": (4320.0, 10080.0),
}


# ---------------------------------------------------------------------------------------
# Inputs


def _number(name: str, value: Any, low: float = 0.0, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < low:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    if high is not None and value > high:
        raise ValueError(f"{name} must be between {low:g} and {high:g}, got {value!r}")
    return value


def _bucket_map(name: str, values: Any, default: float, high: float | None) -> dict[str, float]:
    """A complete {bucket: value} dict in bucket order; missing buckets get `default`."""
    if not isinstance(values, Mapping):
        raise ValueError(f"{name} must be an object of speed bucket -> number, got {values!r}")
    for bucket in values:
        if bucket == NEVER:
            raise ValueError(f"{name}: 'never' is not a contacted bucket; it is set by never_contacted_share")
        if bucket not in BUCKETS:
            raise ValueError(f"{name}: unknown speed bucket {bucket!r}; expected one of {', '.join(BUCKETS)}")
    return {b: _number(f"{name}[{b!r}]", values.get(b, default), 0.0, high) for b in BUCKETS}


def _shares(name: str, values: Any) -> dict[str, float]:
    shares = _bucket_map(name, values, 0.0, 1.0)
    total = sum(shares.values())
    if abs(total - 1.0) > SHARE_TOLERANCE:
        raise ValueError(f"{name}: shares of contacted leads must sum to 1, got {total:.6g}")
    return shares


@dataclass(frozen=True)
class Scenario:
    """A target: how fast leads would be contacted. Rates, values and multipliers are the
    current inputs' own (a faster response changes who gets which bucket, not what a
    bucket is worth). A field left as None keeps the current value."""

    never_contacted_share: float | None = None
    bucket_shares: dict[str, float] | None = None

    def __post_init__(self) -> None:
        if self.never_contacted_share is not None:
            u = _number("scenario.never_contacted_share", self.never_contacted_share, 0.0, 1.0)
            object.__setattr__(self, "never_contacted_share", u)
        if self.bucket_shares is not None:
            object.__setattr__(self, "bucket_shares", _shares("scenario.bucket_shares", self.bucket_shares))


@dataclass(frozen=True)
class LeakInputs:
    """The leak model's inputs, validated on construction (ValueError with the field name).

    Shares and rates lie in [0, 1]; bucket_shares are shares of the *contacted* leads and
    sum to 1. Multipliers are >= 0 and may exceed 1 (a calibrated bucket can beat the
    reference one); a bucket missing from a multiplier map gets 1.0. After construction
    every map holds all seven buckets in order.
    """

    mqls_per_month: float
    cost_per_lead: float
    never_contacted_share: float
    bucket_shares: dict[str, float]
    best_conversion: float
    win_rate: float
    contract_value: float
    conversion_multipliers: dict[str, float] = field(default_factory=dict)
    win_multipliers: dict[str, float] = field(default_factory=dict)
    value_multipliers: dict[str, float] = field(default_factory=dict)
    scenario: Scenario | None = None

    def __post_init__(self) -> None:
        bounded = {"never_contacted_share", "best_conversion", "win_rate"}
        for name in SCALARS:
            value = _number(name, getattr(self, name), 0.0, 1.0 if name in bounded else None)
            object.__setattr__(self, name, value)
        object.__setattr__(self, "bucket_shares", _shares("bucket_shares", self.bucket_shares))
        for name in FAMILIES:
            object.__setattr__(self, name, _bucket_map(name, getattr(self, name), 1.0, None))
        if isinstance(self.scenario, Mapping):
            object.__setattr__(self, "scenario", scenario_from_json(self.scenario))
        elif self.scenario is not None and not isinstance(self.scenario, Scenario):
            raise ValueError(f"scenario must be an object, got {self.scenario!r}")


REQUIRED = ("mqls_per_month", "cost_per_lead", "never_contacted_share", "bucket_shares",
            "best_conversion", "win_rate", "contract_value")


def _check_keys(name: str, data: Any, allowed: tuple[str, ...], required: tuple[str, ...] = ()) -> None:
    if not isinstance(data, Mapping):
        raise ValueError(f"{name} must be a JSON object, got {type(data).__name__}")
    unknown = [k for k in data if k not in allowed]
    if unknown:
        raise ValueError(f"{name}: unknown field(s) {', '.join(map(repr, unknown))}; expected {', '.join(allowed)}")
    missing = [k for k in required if k not in data]
    if missing:
        raise ValueError(f"{name}: missing field(s) {', '.join(missing)}")


def scenario_from_json(data: Mapping[str, Any]) -> Scenario:
    _check_keys("scenario", data, ("never_contacted_share", "bucket_shares"))
    return Scenario(**dict(data))


def inputs_from_json(data: Mapping[str, Any]) -> LeakInputs:
    """Inputs from the JSON object of `handoff leak --inputs` (see DESIGN.md)."""
    allowed = tuple(f.name for f in fields(LeakInputs))
    _check_keys("inputs", data, allowed, REQUIRED)
    values = dict(data)
    if values.get("scenario") is not None:
        values["scenario"] = scenario_from_json(values["scenario"])
    return LeakInputs(**values)


def inputs_to_json(inputs: LeakInputs) -> dict[str, Any]:
    """The JSON object `inputs_from_json` reads back to equal inputs; every bucket is listed."""
    out: dict[str, Any] = {name: getattr(inputs, name) for name in REQUIRED}
    out["bucket_shares"] = dict(inputs.bucket_shares)
    for name in FAMILIES:
        out[name] = dict(getattr(inputs, name))
    if inputs.scenario is not None:
        scenario = {}
        if inputs.scenario.never_contacted_share is not None:
            scenario["never_contacted_share"] = inputs.scenario.never_contacted_share
        if inputs.scenario.bucket_shares is not None:
            scenario["bucket_shares"] = dict(inputs.scenario.bucket_shares)
        out["scenario"] = scenario
    return out


# ---------------------------------------------------------------------------------------
# The model


def lead_shares(inputs: LeakInputs) -> dict[str, float]:
    """Share of all handed-off leads per bucket, `never` included: (1 - u) x s_b and u."""
    u = inputs.never_contacted_share
    shares = {b: (1.0 - u) * s for b, s in inputs.bucket_shares.items()}
    shares[NEVER] = u
    return shares


def bucket_rates(inputs: LeakInputs) -> pd.DataFrame:
    """Per bucket (never included): share of leads, conversion, win rate and contract value."""
    rows = []
    for bucket, share in lead_shares(inputs).items():
        if bucket == NEVER:
            rows.append((bucket, share, 0.0, inputs.win_rate, inputs.contract_value))
            continue
        rows.append((
            bucket, share,
            inputs.best_conversion * inputs.conversion_multipliers[bucket],
            inputs.win_rate * inputs.win_multipliers[bucket],
            inputs.contract_value * inputs.value_multipliers[bucket],
        ))
    return pd.DataFrame(rows, columns=["bucket", "share", "conversion", "win_rate", "contract_value"]).set_index("bucket")


def ideal_revenue(inputs: LeakInputs) -> float:
    """Monthly revenue if every lead converted at c*, won at w* and closed at A*."""
    return inputs.mqls_per_month * inputs.best_conversion * inputs.win_rate * inputs.contract_value


def revenue(inputs: LeakInputs) -> float:
    """Monthly revenue of the current inputs: M x sum share_b x c_b x w_b x A_b."""
    r = bucket_rates(inputs)
    return inputs.mqls_per_month * float((r.share * r.conversion * r.win_rate * r.contract_value).sum())


def breakdown(inputs: LeakInputs) -> pd.DataFrame:
    """Monthly leak per bucket (never included), one column per dimension, plus revenue."""
    r = bucket_rates(inputs)
    m, c, w, a = inputs.mqls_per_month, inputs.best_conversion, inputs.win_rate, inputs.contract_value
    out = pd.DataFrame(index=r.index)
    out["leads"] = m * r.share
    out["revenue"] = m * r.share * r.conversion * r.win_rate * r.contract_value
    out["conversion_decline"] = m * r.share * (c - r.conversion) * w * a
    out["competitive_displacement"] = m * r.share * r.conversion * (w - r.win_rate) * a
    out["deal_value_compression"] = m * r.share * r.conversion * r.win_rate * (a - r.contract_value)
    out["revenue_gap"] = out[list(DIMENSIONS)].sum(axis=1)
    out["marketing_waste"] = 0.0
    out.loc[NEVER, "marketing_waste"] = m * inputs.never_contacted_share * inputs.cost_per_lead
    return out


def monthly_leak(inputs: LeakInputs) -> dict[str, float]:
    """The monthly leak: the three dimensions, their sum (the revenue gap) and marketing waste."""
    parts = breakdown(inputs)
    leak = {key: float(math.fsum(parts[key])) for key in DIMENSIONS}
    leak["revenue_gap"] = math.fsum(leak[key] for key in DIMENSIONS)
    leak["marketing_waste"] = inputs.mqls_per_month * inputs.never_contacted_share * inputs.cost_per_lead
    return leak


def scenario_inputs(inputs: LeakInputs) -> LeakInputs | None:
    """The inputs of the target scenario (None without one)."""
    s = inputs.scenario
    if s is None:
        return None
    return replace(
        inputs,
        never_contacted_share=inputs.never_contacted_share if s.never_contacted_share is None else s.never_contacted_share,
        bucket_shares=inputs.bucket_shares if s.bucket_shares is None else s.bucket_shares,
        scenario=None,
    )


def compute(inputs: LeakInputs) -> dict[str, dict[str, float]]:
    """`{"monthly": {...}, "annual": {...}, "recovery": {...}}`, money unrounded.

    Recovery (only with a scenario) is per month, like the model itself: the current
    monthly leak minus the scenario's, per key, so it sums exactly like the leak (12x it
    for a year, as `annual_recovery` gives).
    """
    monthly = monthly_leak(inputs)
    out = {"monthly": monthly, "annual": {k: 12.0 * v for k, v in monthly.items()}}
    target = scenario_inputs(inputs)
    if target is not None:
        target_monthly = monthly_leak(target)
        out["recovery"] = {k: monthly[k] - target_monthly[k] for k in KEYS}
    return out


def annual_recovery(result: dict[str, dict[str, float]]) -> dict[str, float] | None:
    """The recovery of a `compute` result over a year (None without a scenario)."""
    recovery = result.get("recovery")
    return None if recovery is None else {k: 12.0 * v for k, v in recovery.items()}


# ---------------------------------------------------------------------------------------
# Presets: multipliers from the research figures of DOMAIN.md


def _power_law(minutes: float, anchors: tuple[tuple[float, float], ...], extrapolate: bool = False) -> float:
    """Piecewise power law through (minutes, value) anchors: log(value) is linear in
    log(minutes) between neighbours. Flat before the first anchor; after the last one it
    either stays flat or, with `extrapolate`, continues the last segment's slope."""
    (t0, v0), *rest = anchors
    if minutes <= t0:
        return v0
    for (ta, va), (tb, vb) in zip(anchors, rest):
        if minutes <= tb or (extrapolate and (tb, vb) == anchors[-1]):
            slope = math.log(vb / va) / math.log(tb / ta)
            return va * math.exp(slope * math.log(minutes / ta))
    return anchors[-1][1]


def _by_upper_bound(curve) -> dict[str, float]:
    """A curve evaluated at each bucket's upper bound (`3d+` at 7 days): the time by which
    all of the bucket's leads had been answered. This reads each figure at the bucket it
    names (the 30-60 minute bucket takes the "30+ minutes" figure, 4-24 h the 24-hour one)
    and errs towards a larger leak within a bucket."""
    return {b: round(curve(BUCKET_BOUNDS[b][1]), 4) for b in BUCKETS}


def steep_conversion() -> dict[str, float]:
    """Conversion relative to a 5-minute response, through three published points: 1.0 at
    5 minutes; 1/7.8 at 60 minutes (leads contacted at 30+ minutes convert ~7.8x less,
    and ~14% of the baseline at 60 minutes agrees); 0.05 at 24 hours ("below 5%"). Between
    points a power law; beyond 24 hours the last slope continues, so later buckets stay
    below 5%."""
    anchors = ((5.0, 1.0), (60.0, 1 / 7.8), (1440.0, 0.05))
    return _by_upper_bound(lambda t: _power_law(t, anchors, extrapolate=True))


def gentle_conversion(per_hour_drop: float = 0.21) -> dict[str, float]:
    """Conversion ~21% lower for each hour of delay (LeadSimple), compounding per
    wall-clock hour from the 0-5m bucket's midpoint to each bucket's midpoint (`3d+`:
    5 days). Gentler than `steep` in the first hours; compounded over a day it falls
    below it, a range the figure's source did not measure."""
    def midpoint(b: str) -> float:
        low, high = BUCKET_BOUNDS[b]
        return (low + high) / 2

    origin = midpoint(BUCKETS[0])
    return {b: round((1 - per_hour_drop) ** ((midpoint(b) - origin) / 60.0), 6) for b in BUCKETS}


def first_responder_win(cut: float = 0.45) -> dict[str, float]:
    """Win rate relative to answering first: 1 - cut x q, where q is the chance that a
    competitor engaged the buyer first. A 5-minute response is taken as first (q = 0), a
    24-hour one as second (q = 1); between them q rises linearly in log(time). The cut is
    Forrester's ~45% once a competitor engages; SiriusDecisions' 35-50% of deals going
    to the first responder brackets the same effect."""
    def q(minutes: float) -> float:
        if minutes <= 5.0:
            return 0.0
        return min(1.0, math.log(minutes / 5.0) / math.log(1440.0 / 5.0))

    return _by_upper_bound(lambda t: 1.0 - cut * q(t))


def compressed_value(premium: float = 0.23) -> dict[str, float]:
    """Contract value relative to a deal started within 1 hour: 1/1.23 after 24 hours
    (Salesforce State of Sales: ~23% higher within 1 hour), a power law in between, no
    further decline after 24 hours."""
    anchors = ((60.0, 1.0), (1440.0, 1 / (1 + premium)))
    return _by_upper_bound(lambda t: _power_law(t, anchors))


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    sources: str
    conversion_multipliers: dict[str, float]
    win_multipliers: dict[str, float]
    value_multipliers: dict[str, float]


_DISPLACEMENT_SOURCE = (
    "Win rate: ~45% lower once a competitor engages (Forrester); 35-50% of B2B deals go to "
    "the first responder (SiriusDecisions)."
)
_COMPRESSION_SOURCE = (
    "Contract value: ~23% higher for deals started within 1 hour than after 24 hours "
    "(Salesforce State of Sales)."
)
_NO_EFFECT = {b: 1.0 for b in BUCKETS}

PRESETS: dict[str, Preset] = {
    "steep": Preset(
        "steep", "Steep decay (industry analyses)",
        "Conversion: ~7.8x higher within 5 minutes than at 30+ minutes; ~14% of the 5-minute "
        "baseline at 60 minutes; below 5% after 24 hours (industry analyses). "
        + _DISPLACEMENT_SOURCE + " " + _COMPRESSION_SOURCE,
        steep_conversion(), first_responder_win(), compressed_value(),
    ),
    "gentle": Preset(
        "gentle", "Gentle decay (~21% lower per hour)",
        "Conversion: ~21% lower qualification probability for each hour of delay (LeadSimple). "
        + _DISPLACEMENT_SOURCE + " " + _COMPRESSION_SOURCE,
        gentle_conversion(), first_responder_win(), compressed_value(),
    ),
    "none": Preset(
        "none", "No speed effect (only never-contacted leads leak)",
        "No figure: every contacted bucket converts, wins and closes like the fastest one.",
        dict(_NO_EFFECT), dict(_NO_EFFECT), dict(_NO_EFFECT),
    ),
}
DEFAULT_PRESET = "steep"


def preset(name: str) -> Preset:
    try:
        return PRESETS[name]
    except KeyError:
        raise ValueError(f"unknown preset {name!r}; expected one of {', '.join(PRESETS)}") from None


def apply_preset(inputs: LeakInputs, name: str) -> LeakInputs:
    """The inputs with the three multiplier maps of a preset."""
    p = preset(name)
    return replace(
        inputs,
        conversion_multipliers=dict(p.conversion_multipliers),
        win_multipliers=dict(p.win_multipliers),
        value_multipliers=dict(p.value_multipliers),
    )


DEFAULT_BUCKET_SHARES = {
    "0-5m": 0.05, "5-30m": 0.10, "30-60m": 0.10, "1-4h": 0.20, "4-24h": 0.25, "1-3d": 0.20, "3d+": 0.10,
}


def default_inputs(preset_name: str = DEFAULT_PRESET) -> LeakInputs:
    """A typical B2B company from DOMAIN.md: 500 MQLs a month at $350 (within $200-$800),
    44% never contacted, contacted leads mostly answered after hours (the average first
    touch is 39 hours), 30% best-bucket MQL-to-SQL (the audit's 34% within 1 hour, rounded
    down), 25% win rate, $25,000 contracts."""
    base = LeakInputs(
        mqls_per_month=500, cost_per_lead=350, never_contacted_share=0.44,
        bucket_shares=dict(DEFAULT_BUCKET_SHARES), best_conversion=0.30, win_rate=0.25,
        contract_value=25000,
    )
    return apply_preset(base, preset_name)


# ---------------------------------------------------------------------------------------
# Sensitivity and assumptions

_SCALAR_LABELS = {
    "mqls_per_month": "MQLs per month",
    "cost_per_lead": "Cost per lead",
    "never_contacted_share": "Never-contacted share",
    "best_conversion": "Best-bucket conversion",
    "win_rate": "Win rate",
    "contract_value": "Contract value",
}
_FAMILY_LABELS = {
    "conversion_multipliers": "Conversion decay (1 - multiplier)",
    "win_multipliers": "Win-rate decay (1 - multiplier)",
    "value_multipliers": "Value decay (1 - multiplier)",
}


def _moved(inputs: LeakInputs, name: str, factor: float) -> LeakInputs:
    """The inputs with one input scaled by `factor`. Shares and rates are capped at 1; a
    multiplier family moves its penalty (1 - m) rather than m, so the reference bucket's
    1.0 stays put and "10% steeper decay" means what it says."""
    if name in FAMILIES:
        moved = {b: max(0.0, 1.0 - (1.0 - m) * factor) for b, m in getattr(inputs, name).items()}
        return replace(inputs, **{name: moved})
    value = getattr(inputs, name) * factor
    if name in ("never_contacted_share", "best_conversion", "win_rate"):
        value = min(value, 1.0)
    return replace(inputs, **{name: value})


def sensitivity(inputs: LeakInputs, step: float = 0.1) -> pd.DataFrame:
    """A tornado table: how the annual revenue gap and annual marketing waste change when
    one input moves by -step and +step (relative), all else held. Sorted by `impact`, the
    largest absolute change of gap + waste, largest first."""
    base = compute(inputs)["annual"]
    rows = []
    for name, label in {**_SCALAR_LABELS, **_FAMILY_LABELS}.items():
        low = compute(_moved(inputs, name, 1.0 - step))["annual"]
        high = compute(_moved(inputs, name, 1.0 + step))["annual"]
        row = {"input": name, "label": label}
        for side, result in (("low", low), ("high", high)):
            row[f"gap_change_{side}"] = result["revenue_gap"] - base["revenue_gap"]
            row[f"waste_change_{side}"] = result["marketing_waste"] - base["marketing_waste"]
        row["impact"] = max(
            abs(row["gap_change_low"] + row["waste_change_low"]),
            abs(row["gap_change_high"] + row["waste_change_high"]),
        )
        rows.append(row)
    table = pd.DataFrame(rows)
    return table.sort_values("impact", ascending=False, kind="stable").reset_index(drop=True)


def _money(x: float) -> str:
    return f"-${-x:,.0f}" if x < 0 else f"${x:,.0f}"


def _pct(x: float) -> str:
    return f"{100 * x:.3g}%"


def assumptions(inputs: LeakInputs) -> list[str]:
    """The model's assumptions for these inputs, in plain words."""
    m, u = inputs.mqls_per_month, inputs.never_contacted_share
    shares = ", ".join(f"{b} {_pct(s)}" for b, s in inputs.bucket_shares.items() if s > 0)
    out = [
        f"{m:,.4g} leads are handed to sales each month at {_money(inputs.cost_per_lead)} a lead.",
        f"{_pct(u)} of them are never contacted: they convert at 0, and their cost "
        f"({_money(m * u * inputs.cost_per_lead)} a month) is marketing waste, shown beside the revenue gap, not in it.",
        f"Contacted leads are answered at these speeds: {shares}.",
        f"At the best speed {_pct(inputs.best_conversion)} of leads convert; a slower bucket converts at "
        "its conversion multiplier times that.",
        f"Converted leads win {_pct(inputs.win_rate)} of the time at the best speed; slower buckets win at their "
        "win multiplier times that (competitive displacement).",
        f"A won deal is worth {_money(inputs.contract_value)} at the best speed; slower buckets close at their "
        "value multiplier times that (deal value compression).",
        f"The ideal contacts every lead at the best speed: {_money(ideal_revenue(inputs))} a month; the revenue "
        f"gap is the ideal minus the current {_money(revenue(inputs))} a month.",
        "A year is 12 times a month; volumes, rates and values are taken as steady.",
        "Multipliers describe buckets, not causes: faster contact is assumed to earn the faster bucket's rates.",
    ]
    s = inputs.scenario
    if s is not None:
        target = scenario_inputs(inputs)
        out.append(
            f"The target scenario contacts all but {_pct(target.never_contacted_share)} of leads, at these speeds: "
            + ", ".join(f"{b} {_pct(v)}" for b, v in target.bucket_shares.items() if v > 0)
            + "; rates, values and multipliers stay as they are."
        )
    return out


# ---------------------------------------------------------------------------------------
# Calibration from the loaded data

FACT_COLUMNS = ("speed_bucket", "mql_at", "is_sql", "meeting_in_window", "is_won", "won_amount")
METRICS = ("sql", "meeting")
DAYS_PER_MONTH = 365.25 / 12


@dataclass
class Calibration:
    """Inputs calibrated from data, with the evidence behind them.

    `table` has one row per contacted bucket (index `bucket`): n, converted, rate,
    rate_low, rate_high, won, win_rate, win_low, win_high, avg_amount, amount_low,
    amount_high, conversion_multiplier, win_multiplier, value_multiplier, warning.
    """

    inputs: LeakInputs
    table: pd.DataFrame
    warnings: list[str]
    best_bucket: str
    months: float
    metric: str


def _check_facts(facts: pd.DataFrame, metric: str) -> None:
    missing = [c for c in FACT_COLUMNS if c not in facts.columns]
    if missing:
        raise ValueError(f"calibration facts lack column(s): {', '.join(missing)}")
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    unknown = sorted(set(facts["speed_bucket"].dropna().astype(str)) - {*BUCKETS, NEVER})
    if unknown or facts["speed_bucket"].isna().any():
        raise ValueError(f"unknown speed bucket(s) in the facts: {unknown or ['<empty>']}")


def _truthy(series: pd.Series) -> pd.Series:
    """True where the value is true; missing counts as false."""
    return series.astype("boolean").fillna(False).astype(bool)


def _converted(facts: pd.DataFrame, metric: str) -> tuple[pd.Series, pd.Series]:
    """(counted, converted) masks: SQL over all leads, or meetings over decided leads."""
    if metric == "sql":
        return pd.Series(True, index=facts.index), _truthy(facts["is_sql"])
    meeting = facts["meeting_in_window"]
    decided = meeting.notna()
    return decided, _truthy(meeting)


def _months(facts: pd.DataFrame, months: float | None, warnings: list[str]) -> float:
    if months is not None:
        if _number("months", months) <= 0:
            raise ValueError(f"months must be positive, got {months!r}")
        return float(months)
    times = pd.to_datetime(facts["mql_at"])
    span_days = (times.max() - times.min()).total_seconds() / 86400
    if not span_days > 0:
        warnings.append("The handoffs span no time; MQLs per month is the count of handoffs.")
        return 1.0
    return span_days / DAYS_PER_MONTH


def _bucket_row(group: pd.DataFrame, metric: str, resamples: int, seed: int) -> dict:
    """Counts, rates and intervals of one bucket's leads."""
    counted, converted = _converted(group, metric)
    n = int(counted.sum())
    k = int(converted.sum())
    won_mask = converted & _truthy(group["is_won"])
    won = int(won_mask.sum())
    amounts = pd.to_numeric(group.loc[won_mask, "won_amount"], errors="coerce").dropna().to_numpy(dtype=float)
    rate_low, rate_high = wilson_interval(k, n)
    win_low, win_high = wilson_interval(won, k)
    amount_low, amount_high = bootstrap_mean_interval(amounts, resamples, seed)
    return {
        "n": n, "converted": k, "rate": k / n if n else math.nan, "rate_low": rate_low, "rate_high": rate_high,
        "won": won, "win_rate": won / k if k else math.nan, "win_low": win_low, "win_high": win_high,
        "avg_amount": float(amounts.mean()) if amounts.size else math.nan,
        "amount_low": amount_low, "amount_high": amount_high,
    }


def _bucket_warning(row: pd.Series, bucket: str, noun: str, min_leads: int, min_wins: int) -> str:
    n, won = int(row["n"]), int(row["won"])
    if n == 0:
        return f"{bucket}: no {noun}; its multipliers are left at 1.0"
    parts = []
    if n < min_leads:
        parts.append(f"only {n} {noun} (fewer than {min_leads}): its rates are unreliable")
    if 0 < won < min_wins:
        parts.append(f"only {won} won deal(s) (fewer than {min_wins}): its average amount is unreliable")
    return f"{bucket}: " + "; ".join(parts) if parts else ""


def _best_bucket(table: pd.DataFrame, min_leads: int, warnings: list[str]) -> str:
    """The reference bucket: the highest conversion among buckets with at least `min_leads`
    leads, so one lucky small bucket does not set the bar; when no bucket is that large,
    the highest among all buckets with leads (with a warning)."""
    large = table[(table.n >= min_leads) & table.rate.notna()]
    if large.empty:
        warnings.append(f"No speed bucket has {min_leads} leads; the reference is the best of the small ones.")
        large = table[table.rate.notna()]
    return str(large.rate.idxmax())


def _relative(values: pd.Series, reference: float, what: str, warnings: list[str]) -> pd.Series:
    """values / reference; 1.0 where a value is unknown (a missing multiplier means 1.0)."""
    if not (reference > 0):
        warnings.append(f"The reference {what} is zero or unknown; {what} multipliers are left at 1.0.")
        return pd.Series(1.0, index=values.index)
    return (values / reference).fillna(1.0)


def _pooled_reference(table: pd.DataFrame, best: str, column: str, weights: str, what: str, warnings: list[str]) -> float:
    """The best bucket's value, or the pooled value over all buckets when it has none."""
    value = table.at[best, column]
    if value > 0:
        return float(value)
    w = table[weights].where(table[column].notna(), 0)
    if w.sum() == 0:
        return math.nan
    warnings.append(f"The reference bucket {best} has no {what}; the {what} of all buckets together is the reference.")
    return float((table[column].fillna(0) * w).sum() / w.sum())


def _add_multipliers(table: pd.DataFrame, best: str, warnings: list[str]) -> tuple[float, float]:
    """Adds the three multiplier columns; returns the reference win rate and amount (NaN
    when the data has none)."""
    best_win = _pooled_reference(table, best, "win_rate", "converted", "win rate", warnings)
    best_amount = _pooled_reference(table, best, "avg_amount", "won", "won amount", warnings)
    table["conversion_multiplier"] = _relative(table.rate, table.at[best, "rate"], "conversion", warnings)
    table["win_multiplier"] = _relative(table.win_rate, best_win, "win rate", warnings)
    table["value_multiplier"] = _relative(table.avg_amount, best_amount, "contract value", warnings)
    return best_win, best_amount if best_amount > 0 else math.nan


def _uncounted_wins(contacted: pd.DataFrame, metric: str) -> int:
    """Won leads left out of the win rate because they did not convert."""
    counted, converted = _converted(contacted, metric)
    return int((_truthy(contacted["is_won"]) & counted & ~converted).sum())


def calibrate(
    facts: pd.DataFrame,
    months: float | None = None,
    metric: str = "sql",
    min_leads: int = 30,
    seed: int = 0,
    *,
    min_wins: int = 10,
    resamples: int = 1000,
    base: LeakInputs | None = None,
) -> Calibration:
    """Leak inputs observed in per-lead facts (one row per handoff; see FACT_COLUMNS).

    Conversion is the SQL rate, or with metric="meeting" the meeting-in-window rate over
    leads whose window has closed. Win rate is won / converted, counting won deals among
    the converted leads only, so conversion x win rate is the lead's chance of a win.
    Multipliers are relative to the best bucket (see `_best_bucket`); its rates become
    best_conversion, win_rate and contract_value. MQLs per month are handoffs over
    `months`, by default the span from the first to the last mql_at. Cost per lead and any
    scenario come from `base` (default_inputs() when not given).
    """
    _check_facts(facts, metric)
    if facts.empty:
        raise ValueError("no handoffs to calibrate from")
    warnings: list[str] = []
    contacted = facts[facts["speed_bucket"] != NEVER]
    if contacted.empty:
        raise ValueError("no contacted handoffs: speed buckets cannot be calibrated")
    noun = "leads" if metric == "sql" else "leads with a closed meeting window"
    rows = {}
    for i, bucket in enumerate(BUCKETS):
        group = contacted[contacted["speed_bucket"] == bucket]
        rows[bucket] = _bucket_row(group, metric, resamples, seed + i)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "bucket"
    table["warning"] = [_bucket_warning(table.loc[b], b, noun, min_leads, min_wins) for b in BUCKETS]
    warnings.extend(w for w in table["warning"] if w)

    best = _best_bucket(table, min_leads, warnings)
    best_win, best_amount = _add_multipliers(table, best, warnings)
    stray = _uncounted_wins(contacted, metric)
    if stray:
        warnings.append(f"{stray} won lead(s) did not convert by the {metric} measure and are not counted as wins.")

    span = _months(facts, months, warnings)
    counts = contacted["speed_bucket"].value_counts()
    base = base or default_inputs()
    inputs = replace(
        base,
        mqls_per_month=len(facts) / span,
        never_contacted_share=float((facts["speed_bucket"] == NEVER).mean()),
        bucket_shares={b: float(counts.get(b, 0)) / len(contacted) for b in BUCKETS},
        best_conversion=float(table.at[best, "rate"]),
        win_rate=0.0 if math.isnan(best_win) else best_win,
        contract_value=base.contract_value if math.isnan(best_amount) else best_amount,
        conversion_multipliers=table["conversion_multiplier"].to_dict(),
        win_multipliers=table["win_multiplier"].to_dict(),
        value_multipliers=table["value_multiplier"].to_dict(),
    )
    return Calibration(inputs=inputs, table=table, warnings=warnings, best_bucket=best, months=span, metric=metric)
