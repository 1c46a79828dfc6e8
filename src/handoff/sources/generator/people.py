"""The people of the simulation: the reps with their habits, and the leads with their
arrival times and context (up to the handoff)."""

from __future__ import annotations

import numpy as np

from handoff.schema import TIERS
from handoff.sources.generator.clock import BUSINESS_DAY, local_to_utc
from handoff.sources.generator.reference import (
    CALENDARS,
    COMPANY_STEMS,
    COMPANY_SUFFIXES,
    REGIONS,
    REPS,
    SEGMENT_SHARES,
    SOURCES,
    TEAMS,
    TITLES,
    TZ_INDEX,
)
from handoff.sources.generator.sampling import DAY, HOUR, MINUTE, NO_TIME, lognormal, pick, pick_by_group


def make_reps(rng: np.random.Generator) -> dict:
    """The rep roster plus each rep's simulated habits (never written out)."""
    n = len(REPS)
    quality = rng.permutation(np.linspace(0.05, 0.95, n)) + rng.normal(0, 0.03, n)
    account_executive = np.array([r[3] == "AE" for r in REPS])
    quality = np.where(account_executive, 0.55 + 0.4 * quality, quality).clip(0.0, 1.0)  # AEs jump on big accounts
    return {
        "rep_id": np.array([r[0] for r in REPS], dtype=object),
        "name": [r[1] for r in REPS],
        "team": np.array([TEAMS.index(r[2]) for r in REPS]),
        "role": [r[3] for r in REPS],
        "tz": np.array([TZ_INDEX[r[4]] for r in REPS]),
        "calendar": np.array([CALENDARS.index((r[4], r[5])) for r in REPS]),
        "timezone": [r[4] for r in REPS],
        "country": [r[5] for r in REPS],
        "active": np.array([r[6] for r in REPS]),
        "is_manager": np.array([r[3] == "Manager" for r in REPS]),
        # habits
        "p_contact": (0.45 + 0.42 * quality + rng.normal(0, 0.03, n)).clip(0.3, 0.92),
        "p_instant": 0.03 + 0.42 * quality**1.5,
        "median_delay": np.exp(np.log(6 * HOUR) * (1 - quality) + np.log(15 * MINUTE) * quality),
        "cadence": (0.15 + 2.3 * quality**1.3 + rng.normal(0, 0.1, n)).clip(0.1, 2.6),
        "gap": np.exp(np.log(3 * BUSINESS_DAY) * (1 - quality) + np.log(0.8 * BUSINESS_DAY) * quality),
        "in_hours": rng.uniform(0.8, 0.97, n),
    }


def _local_business_moments(rng, tz: np.ndarray, start: int, end: int) -> np.ndarray:
    """Moments in each lead's local calendar: weekdays in office hours mostly, some nights and
    weekends, volume growing over the period; returned in UTC and kept inside [start, end]."""
    n = len(tz)
    first, last = start // DAY, end // DAY
    days = np.arange(first, last + 1)
    weekday = (days + 3) % 7
    weights = np.select([weekday == 5, weekday == 6], [0.18, 0.13], 1.0)
    weights = weights * (0.8 + 0.4 * (days - first) / max(1, last - first))
    day = days[pick(rng, weights, n)]
    office = rng.random(n) < 0.8
    peak = np.where(rng.random(n) < 0.55, 10.5 * HOUR, 14.5 * HOUR)
    in_office = (peak + rng.normal(0, 1.6 * HOUR, n)).clip(7 * HOUR, 19.5 * HOUR)
    anytime = rng.uniform(0, DAY, n)
    local = day * DAY + np.where(office, in_office, anytime).astype(np.int64)
    t = local_to_utc(local, tz)
    t = np.where(t > end, t - 7 * DAY, t)
    return np.where(t < start, t + 7 * DAY, t).clip(start, end)


def make_leads(rng, n: int, start: int, end: int) -> dict:
    """Lead attributes and timeline up to the handoff, sorted by handoff time (routing.py
    gives them owners)."""
    source = pick(rng, [s.share for s in SOURCES], n)
    tier = np.array([TIERS.index(s.tier) for s in SOURCES])[source]
    region = pick(rng, [r[2] for r in REGIONS], n)
    region_tz = np.array([TZ_INDEX[r[1]] for r in REGIONS])[region]
    segment = pick(rng, SEGMENT_SHARES, n)
    has_mql = rng.random(n) >= 0.035

    moment = _local_business_moments(rng, region_tz, start, end)
    lag_share = np.array([0.3, 0.5, 0.55])[tier]
    lag = np.where(rng.random(n) < lag_share, lognormal(rng, 9 * DAY, 1.1, n).clip(HOUR, 120 * DAY), 0).astype(np.int64)
    created = moment - np.where(has_mql, lag, 0)
    mql = np.where(has_mql, moment, NO_TIME)

    order = np.argsort(moment, kind="stable")
    leads = {
        "source": source,
        "tier": tier,
        "region": region,
        "segment": segment,
        "has_mql": has_mql,
        "created": created,
        "mql": mql,
        "moment": moment,
    }
    leads = {k: v[order] for k, v in leads.items()}
    _add_profile(rng, leads)
    return leads


def _add_profile(rng, leads: dict) -> None:
    """Company, title, country, campaign, score: the context that comes with a lead."""
    n = len(leads["source"])
    leads["company"] = rng.integers(0, len(COMPANY_STEMS) * len(COMPANY_SUFFIXES), n)
    junior_share = np.array([0.12, 0.25, 0.4])  # by tier; content downloads attract the most juniors
    tier = leads["tier"]
    junior = rng.random(n) < np.where(leads["source"] == 4, 0.45, junior_share[tier])
    seniors = [i for i, t in enumerate(TITLES) if not t[1]]
    juniors = [i for i, t in enumerate(TITLES) if t[1]]
    leads["title"] = np.where(
        junior, np.array(juniors)[rng.integers(0, len(juniors), n)], np.array(seniors)[rng.integers(0, len(seniors), n)]
    )
    leads["title_missing"] = rng.random(n) < 0.04
    leads["junior"] = junior
    country_local = pick_by_group(rng, leads["region"], [r[5] for r in REGIONS])
    offsets = np.cumsum([0] + [len(r[4]) for r in REGIONS])[:-1]
    leads["country"] = offsets[leads["region"]] + country_local
    campaign_local = rng.integers(0, 1 << 30, n) % np.array([len(s.campaigns) for s in SOURCES])[leads["source"]]
    campaign_offsets = np.cumsum([0] + [len(s.campaigns) for s in SOURCES])[:-1]
    leads["campaign"] = np.where(rng.random(n) < 0.05, -1, campaign_offsets[leads["source"]] + campaign_local)
    score = np.array([72, 58, 44])[tier] + np.array([0, 6, 12])[leads["segment"]] - 12 * junior
    leads["score"] = np.round(score + rng.normal(0, 10, n)).clip(1, 100)
    leads["tier_blank"] = rng.random(n) < 0.12
