"""The leak model's inputs: validated on construction, read from and written to the JSON
of `handoff leak --inputs` (DESIGN.md), with one label per input for every front end."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from handoff.schema import NEVER_BUCKET, SPEED_BUCKETS

BUCKETS = tuple(name for name, _ in SPEED_BUCKETS)
NEVER = NEVER_BUCKET
SCALARS = ("mqls_per_month", "cost_per_lead", "never_contacted_share", "best_conversion", "win_rate", "contract_value")
FRACTIONS = ("never_contacted_share", "best_conversion", "win_rate")
"""The scalars that are shares or rates, in [0, 1]."""
FAMILIES = ("conversion_multipliers", "win_multipliers", "value_multipliers")
REQUIRED = (
    "mqls_per_month",
    "cost_per_lead",
    "never_contacted_share",
    "bucket_shares",
    "best_conversion",
    "win_rate",
    "contract_value",
)
SHARE_TOLERANCE = 1e-6

LABELS = {
    "mqls_per_month": "MQLs per month",
    "cost_per_lead": "Cost per lead",
    "never_contacted_share": "Never-contacted share",
    "best_conversion": "Best-bucket conversion",
    "win_rate": "Win rate (best bucket)",
    "contract_value": "Contract value (best bucket)",
    "conversion_multipliers": "Conversion multiplier",
    "win_multipliers": "Win-rate multiplier",
    "value_multipliers": "Value multiplier",
}
"""What the page, the command line and the sensitivity table call each input they set or move."""


def valid_number(name: str, value: Any, low: float = 0.0, high: float | None = None) -> float:
    """`value` as a finite float in [low, high], else ValueError naming `name`."""
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
    return {b: valid_number(f"{name}[{b!r}]", values.get(b, default), 0.0, high) for b in BUCKETS}


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
            u = valid_number("scenario.never_contacted_share", self.never_contacted_share, 0.0, 1.0)
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
        for name in SCALARS:
            value = valid_number(name, getattr(self, name), 0.0, 1.0 if name in FRACTIONS else None)
            object.__setattr__(self, name, value)
        object.__setattr__(self, "bucket_shares", _shares("bucket_shares", self.bucket_shares))
        for name in FAMILIES:
            object.__setattr__(self, name, _bucket_map(name, getattr(self, name), 1.0, None))
        if isinstance(self.scenario, Mapping):
            object.__setattr__(self, "scenario", scenario_from_json(self.scenario))
        elif self.scenario is not None and not isinstance(self.scenario, Scenario):
            raise ValueError(f"scenario must be an object, got {self.scenario!r}")


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
        scenario: dict[str, Any] = {}
        if inputs.scenario.never_contacted_share is not None:
            scenario["never_contacted_share"] = inputs.scenario.never_contacted_share
        if inputs.scenario.bucket_shares is not None:
            scenario["bucket_shares"] = dict(inputs.scenario.bucket_shares)
        out["scenario"] = scenario
    return out
