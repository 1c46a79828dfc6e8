"""Presets: multiplier curves from the research figures of DOMAIN.md, each naming its
sources, and the default inputs of a typical B2B company."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace

from handoff.leak.inputs import BUCKETS, LeakInputs
from handoff.schema import SPEED_BUCKETS

OPEN_BUCKET_MINUTES = 7 * 24 * 60
"""Where the curves read the open-ended `3d+` bucket: 7 days."""


def _bucket_bounds() -> dict[str, tuple[float, float]]:
    """(lower, upper) wall-clock minutes per bucket, the open one ending at 7 days."""
    bounds: dict[str, tuple[float, float]] = {}
    lower = 0.0
    for name, limit in SPEED_BUCKETS:
        upper = float(OPEN_BUCKET_MINUTES if limit is None else limit)
        bounds[name] = (lower, upper)
        lower = upper
    return bounds


BUCKET_BOUNDS = _bucket_bounds()


def _power_law(minutes: float, anchors: tuple[tuple[float, float], ...], extrapolate: bool = False) -> float:
    """Piecewise power law through (minutes, value) anchors: log(value) is linear in
    log(minutes) between neighbours. Flat before the first anchor; after the last one it
    either stays flat or, with `extrapolate`, continues the last segment's slope."""
    t0, v0 = anchors[0]
    if minutes <= t0:
        return v0
    for (ta, va), (tb, vb) in itertools.pairwise(anchors):
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
    "Contract value: ~23% higher for deals started within 1 hour than after 24 hours (Salesforce State of Sales)."
)
_NO_EFFECT = {b: 1.0 for b in BUCKETS}

PRESETS: dict[str, Preset] = {
    "steep": Preset(
        "steep",
        "Steep decay (industry analyses)",
        "Conversion: ~7.8x higher within 5 minutes than at 30+ minutes; ~14% of the 5-minute "
        "baseline at 60 minutes; below 5% after 24 hours (industry analyses). "
        + _DISPLACEMENT_SOURCE
        + " "
        + _COMPRESSION_SOURCE,
        steep_conversion(),
        first_responder_win(),
        compressed_value(),
    ),
    "gentle": Preset(
        "gentle",
        "Gentle decay (~21% lower per hour)",
        "Conversion: ~21% lower qualification probability for each hour of delay (LeadSimple). "
        + _DISPLACEMENT_SOURCE
        + " "
        + _COMPRESSION_SOURCE,
        gentle_conversion(),
        first_responder_win(),
        compressed_value(),
    ),
    "none": Preset(
        "none",
        "No speed effect (only never-contacted leads leak)",
        "No figure: every contacted bucket converts, wins and closes like the fastest one.",
        dict(_NO_EFFECT),
        dict(_NO_EFFECT),
        dict(_NO_EFFECT),
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
    "0-5m": 0.05,
    "5-30m": 0.10,
    "30-60m": 0.10,
    "1-4h": 0.20,
    "4-24h": 0.25,
    "1-3d": 0.20,
    "3d+": 0.10,
}


def default_inputs(preset_name: str = DEFAULT_PRESET) -> LeakInputs:
    """A typical B2B company from DOMAIN.md: 500 MQLs a month at $350 (within $200-$800),
    44% never contacted, contacted leads mostly answered after hours (the average first
    touch is 39 hours), 30% best-bucket MQL-to-SQL (the audit's 34% within 1 hour, rounded
    down), 25% win rate, $25,000 contracts."""
    base = LeakInputs(
        mqls_per_month=500,
        cost_per_lead=350,
        never_contacted_share=0.44,
        bucket_shares=dict(DEFAULT_BUCKET_SHARES),
        best_conversion=0.30,
        win_rate=0.25,
        contract_value=25000,
    )
    return apply_preset(base, preset_name)
