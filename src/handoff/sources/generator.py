"""Realistic, seeded synthetic handoff data in the canonical tables.

The generator simulates a B2B funnel: marketing hands leads to sales reps spread over
several timezones; each rep has a habit (how often they call back at all, how fast, how
hard they follow up); leads from high-intent sources get faster attention; and the
outcome (meeting, SQL, opportunity, win, deal size) decays with the wall-clock response
time, so a calibration on the data finds the speed-to-lead effect the product talks about.

Everything is vectorised with numpy (one pass per kind of record, never a Python loop
over leads), so a million leads take well under a minute. Times are int64 seconds since
the Unix epoch in UTC until the tables are built; nothing depends on the machine's TZ.
Events after `end` are dropped (or left open), so `end` behaves like "now".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from handoff.schema import BY_NAME, TABLES

DEFAULT_END = "2026-11-20T18:00:00+00:00"

MINUTE = 60
HOUR = 3600
DAY = 86400
BUSINESS_START = 9 * HOUR
BUSINESS_DAY = 8 * HOUR  # 09:00-17:00, in seconds
NO_TIME = np.iinfo(np.int64).min

# --------------------------------------------------------------------------- reference data

TIMEZONES = (
    "America/New_York",
    "America/Los_Angeles",
    "Europe/London",
    "Asia/Kolkata",
    "Australia/Sydney",
)
TZ_INDEX = {tz: i for i, tz in enumerate(TIMEZONES)}

# rep_id, name, team, role, timezone, country, active
REPS = (
    ("R01", "Avery Johnson", "SDR East", "SDR", "America/New_York", "US", True),
    ("R02", "Marcus Bell", "SDR East", "SDR", "America/New_York", "US", True),
    ("R03", "Sofia Alvarez", "SDR East", "SDR", "America/New_York", "US", True),
    ("R04", "Jordan Price", "SDR East", "SDR", "America/New_York", "US", False),
    ("R05", "Tasha Greene", "SDR East", "SDR", "America/New_York", "US", True),
    ("R06", "Kevin Nguyen", "SDR West", "SDR", "America/Los_Angeles", "US", True),
    ("R07", "Emily Carter", "SDR West", "SDR", "America/Los_Angeles", "US", True),
    ("R08", "Diego Ramirez", "SDR West", "SDR", "America/Los_Angeles", "US", True),
    ("R09", "Hannah Lee", "SDR West", "SDR", "America/Los_Angeles", "US", True),
    ("R10", "Oliver Hughes", "SDR EMEA", "SDR", "Europe/London", "GB", True),
    ("R11", "Amelia Clarke", "SDR EMEA", "SDR", "Europe/London", "GB", True),
    ("R12", "Lukas Becker", "SDR EMEA", "SDR", "Europe/London", "GB", False),
    ("R13", "Chloe Martin", "SDR EMEA", "SDR", "Europe/London", "GB", True),
    ("R14", "Priya Sharma", "SDR APAC", "SDR", "Asia/Kolkata", "IN", True),
    ("R15", "Arjun Mehta", "SDR APAC", "SDR", "Asia/Kolkata", "IN", True),
    ("R16", "Jack Wilson", "SDR APAC", "SDR", "Australia/Sydney", "AU", True),
    ("R17", "Mia Thompson", "SDR APAC", "SDR", "Australia/Sydney", "AU", True),
    ("R18", "Daniel Brooks", "Enterprise", "AE", "America/New_York", "US", True),
    ("R19", "Rachel Kim", "Enterprise", "AE", "America/New_York", "US", True),
    ("R20", "Nathan Ortiz", "Enterprise", "AE", "America/Los_Angeles", "US", True),
    ("R21", "Charlotte Evans", "Enterprise", "AE", "Europe/London", "GB", True),
    ("R22", "Grace Patterson", "SDR East", "Manager", "America/New_York", "US", True),
    ("R23", "Ethan Walker", "SDR West", "Manager", "America/Los_Angeles", "US", True),
    ("R24", "Isabel Moore", "SDR EMEA", "Manager", "Europe/London", "GB", True),
    ("R25", "Liam O'Connor", "SDR APAC", "Manager", "Australia/Sydney", "AU", True),
)
TEAMS = ("SDR East", "SDR West", "SDR EMEA", "SDR APAC", "Enterprise")
QUEUE_IDS = ("00G-INBOUND-QUEUE", "00G-PARTNER-QUEUE")  # owners that are not reps
EMAIL_DOMAIN = "northwind.example"


@dataclass(frozen=True)
class Source:
    name: str
    tier: str
    share: float
    meeting_base: float  # meeting probability for an instant response
    dispositions: tuple[float, ...]  # Qualified, Wrong Persona, Wrong Timing, Bad Fit, Unresponsive
    campaigns: tuple[str, ...]


SOURCES = (
    Source("Demo request", "high", 0.10, 0.62, (0.34, 0.07, 0.15, 0.12, 0.32),
           ("Website demo form", "Paid search - demo", "G2 demo CTA")),
    Source("Contact sales", "high", 0.06, 0.55, (0.30, 0.09, 0.16, 0.13, 0.32),
           ("Website contact form", "Chat to sales")),
    Source("Pricing page", "high", 0.07, 0.48, (0.26, 0.10, 0.20, 0.12, 0.32),
           ("Pricing page form", "Paid search - pricing")),
    Source("Free trial", "medium", 0.14, 0.34, (0.20, 0.14, 0.21, 0.13, 0.32),
           ("Product signup", "Trial - paid social", "Trial - organic")),
    Source("Content download", "low", 0.27, 0.12, (0.07, 0.31, 0.28, 0.10, 0.24),
           ("State of Sales report", "Lead routing playbook", "ROI calculator", "SLA template")),
    Source("Webinar", "low", 0.14, 0.16, (0.09, 0.26, 0.28, 0.10, 0.27),
           ("Webinar - speed to lead", "Webinar - pipeline reviews", "Webinar - product tour")),
    Source("Event", "low", 0.12, 0.20, (0.11, 0.21, 0.26, 0.13, 0.29),
           ("SaaStr booth", "Regional roadshow", "Partner summit")),
    Source("Partner referral", "low", 0.10, 0.38, (0.24, 0.10, 0.20, 0.15, 0.31),
           ("Partner program", "Reseller referral")),
)
DISPOSITIONS = ("Qualified", "Wrong Persona", "Wrong Timing", "Bad Fit", "Unresponsive")
TIER_NAMES = ("high", "medium", "low")

# region, timezone, share, team, countries, country weights
REGIONS = (
    ("US East", "America/New_York", 0.35, "SDR East", ("US", "CA"), (0.9, 0.1)),
    ("US West", "America/Los_Angeles", 0.22, "SDR West", ("US", "CA", "MX"), (0.85, 0.1, 0.05)),
    ("EMEA", "Europe/London", 0.25, "SDR EMEA",
     ("GB", "DE", "FR", "NL", "IE", "SE"), (0.4, 0.2, 0.14, 0.1, 0.08, 0.08)),
    ("India", "Asia/Kolkata", 0.08, "SDR APAC", ("IN",), (1.0,)),
    ("ANZ", "Australia/Sydney", 0.10, "SDR APAC", ("AU", "NZ", "SG"), (0.75, 0.15, 0.1)),
)
SEGMENT_NAMES = ("SMB", "Mid-market", "Enterprise")
SEGMENT_SHARES = (0.52, 0.31, 0.17)
SEGMENT_AMOUNT = (12_000.0, 38_000.0, 120_000.0)
SEGMENT_MEETING = (0.9, 1.05, 1.2)

TITLES = (  # (title, junior?)
    ("VP of Sales", False), ("Head of Revenue Operations", False), ("Sales Director", False),
    ("CMO", False), ("VP Marketing", False), ("Marketing Operations Manager", False),
    ("Sales Operations Manager", False), ("CRO", False), ("Founder", False),
    ("Demand Generation Manager", False), ("Account Executive", False),
    ("Marketing Coordinator", True), ("Marketing Intern", True), ("Student", True),
    ("Sales Development Rep", True), ("Consultant", True),
)
COMPANY_STEMS = (
    "Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne", "Tyrell",
    "Soylent", "Cyberdyne", "Massive", "Nimbus", "Bluepeak", "Redwood", "Ironclad", "Brightline",
    "Northstar", "Silverline", "Quantum", "Evergreen", "Blue Harbor", "Cobalt", "Summit",
    "Keystone", "Lumen", "Orbit", "Pioneer", "Sterling", "Vertex", "Atlas", "Beacon", "Cedar",
    "Driftwood", "Falcon", "Granite", "Helix", "Juniper", "Kestrel", "Maple", "Nova", "Oakridge",
    "Pinnacle", "Riverbend", "Sapphire", "Tidewater", "Unity", "Willow", "Zenith", "Arcadia",
)
COMPANY_SUFFIXES = (
    "Inc", "Labs", "Systems", "Group", "Health", "Logistics", "Software", "Analytics",
    "Partners", "Technologies", "Capital", "Media", "Robotics", "Foods", "Energy",
)

# Conversion decay with the wall-clock response (minutes): knots and multipliers.
RESPONSE_KNOTS = np.array([5.0, 30.0, 60.0, 240.0, 1440.0, 4320.0, 10080.0])
CONVERSION_MULT = np.array([1.0, 0.62, 0.45, 0.30, 0.18, 0.11, 0.07])
WIN_MULT = np.array([1.0, 0.93, 0.86, 0.76, 0.63, 0.56, 0.50])
VALUE_MULT = np.array([1.0, 0.96, 0.92, 0.86, 0.78, 0.74, 0.70])
BEST_WIN_RATE = 0.36


def _decay(response_minutes: np.ndarray, multipliers: np.ndarray) -> np.ndarray:
    """A multiplier per lead, interpolated in log-time between the knots (flat outside)."""
    x = np.log(np.maximum(response_minutes, 1e-3))
    return np.interp(x, np.log(RESPONSE_KNOTS), multipliers)


# Activity kinds: (type, direction, automated, [(subject, weight)], [(outcome, weight)])
KINDS = (
    ("email", "outbound", True,  # 0 sequence welcome, seconds after MQL
     (("Thanks for your interest", 5), ("Here is the content you requested", 3),
      ("Your free trial is ready", 2)),
     (("Sent", 4), ("Opened", 5), ("Clicked", 1))),
    ("email", "outbound", True,  # 1 sequence nurture step
     (("Quick follow-up", 4), ("Resources you might like", 3),
      ("Customer story: cutting response time", 2), ("Still interested?", 2)),
     (("Sent", 5), ("Opened", 4), ("Bounced", 1))),
    ("call", "outbound", False,  # 2
     (("Call", 5), ("Follow-up call", 3), ("Intro call", 2)),
     (("Connected", 2), ("Left voicemail", 4), ("No answer", 4), ("Busy", 1), ("Wrong number", 0.3))),
    ("email", "outbound", False,  # 3
     (("Following up", 4), ("Quick question", 3), ("Re: your request", 3), ("Checking in", 2),
      ("Next steps", 1)),
     (("Sent", 5), ("Opened", 4), ("Replied", 1), ("Bounced", 0.4))),
    ("linkedin", "outbound", False,  # 4
     (("Connection request", 3), ("InMail", 2)),
     (("Sent", 5), ("Accepted", 3), ("Replied", 1))),
    ("sms", "outbound", False,  # 5
     (("Text message", 1),),
     (("Delivered", 5), ("Replied", 1))),
    ("email", "inbound", False,  # 6
     (("Re: Following up", 3), ("Question about pricing", 2), ("Re: Quick question", 2),
      ("Out of office", 1)),
     (("Received", 1),)),
    ("call", "inbound", False,  # 7
     (("Inbound call", 1),),
     (("Connected", 3), ("Missed", 1))),
    ("other", "outbound", False,  # 8
     (("Research account", 3), ("Update lead record", 2), ("Enrichment", 1)),
     (("Completed", 1),)),
    ("meeting", "outbound", False,  # 9
     (("Intro meeting", 3), ("Discovery meeting", 2)),
     (("Held", 1),)),
)
K_WELCOME, K_NURTURE, K_CALL, K_EMAIL, K_LINKEDIN, K_SMS, K_IN_EMAIL, K_IN_CALL, K_OTHER, K_MEETING = range(10)
TOUCH_KINDS = np.array([K_CALL, K_EMAIL, K_LINKEDIN, K_SMS])
TOUCH_KIND_WEIGHTS = np.array([0.40, 0.38, 0.14, 0.08])


# --------------------------------------------------------------------------- small helpers


def _parse_utc_seconds(value) -> int:
    ts = pd.Timestamp(value)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return int(ts.value // 1_000_000_000)


def _pick(rng: np.random.Generator, weights, size: int) -> np.ndarray:
    """Indices drawn with the given (unnormalised) weights."""
    cum = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cum / cum[-1], rng.random(size), side="right").clip(0, len(cum) - 1)


def _pick_by_group(rng: np.random.Generator, groups: np.ndarray, weights_per_group) -> np.ndarray:
    """For each item, an index drawn with the weights of the item's group."""
    u = rng.random(len(groups))
    out = np.zeros(len(groups), dtype=np.int64)
    for g, weights in enumerate(weights_per_group):
        idx = np.flatnonzero(groups == g)
        if idx.size:
            cum = np.cumsum(np.asarray(weights, dtype=float))
            out[idx] = np.searchsorted(cum / cum[-1], u[idx], side="right").clip(0, len(cum) - 1)
    return out


def _lognormal(rng: np.random.Generator, median, sigma, size: int) -> np.ndarray:
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(size))


def _group_starts(counts: np.ndarray) -> np.ndarray:
    """Position of each item within its group, for items laid out with np.repeat(counts)."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts


class Clock:
    """Business-hours arithmetic per timezone (Mon-Fri 09:00-17:00 local, no holidays).

    UTC offsets come from a day-by-day table built once with pandas, so DST is honoured
    to the day; that is precise enough for simulated behaviour.
    """

    def __init__(self, first_day: int, n_days: int):
        self.first_day = first_day
        noons = pd.date_range(
            pd.Timestamp(first_day * DAY + 12 * HOUR, unit="s", tz="UTC"), periods=n_days, freq="D"
        )
        naive = noons.tz_localize(None)
        self.offsets = np.stack(
            [((noons.tz_convert(tz).tz_localize(None) - naive).total_seconds()).to_numpy()
             for tz in TIMEZONES]
        ).astype(np.int64)

    def offset(self, t: np.ndarray, tz: np.ndarray) -> np.ndarray:
        day = (t // DAY - self.first_day).clip(0, self.offsets.shape[1] - 1)
        return self.offsets[tz, day]

    def to_local(self, t: np.ndarray, tz: np.ndarray) -> np.ndarray:
        return t + self.offset(t, tz)

    def from_local(self, local: np.ndarray, tz: np.ndarray) -> np.ndarray:
        return local - self.offset(local, tz)

    def add_business(self, t: np.ndarray, seconds: np.ndarray, tz: np.ndarray) -> np.ndarray:
        """t plus the given business seconds; a start outside hours rolls to the next opening."""
        local = self.to_local(t, tz)
        day = local // DAY
        monday_day = day + 3  # 1970-01-01 was a Thursday
        weekday = monday_day % 7
        into_day = np.where(weekday < 5, (local - day * DAY - BUSINESS_START).clip(0, BUSINESS_DAY), 0)
        position = ((monday_day // 7) * 5 + np.minimum(weekday, 5)) * BUSINESS_DAY + into_day
        target = position + np.asarray(seconds, dtype=np.int64)
        k, rest = np.divmod(target, BUSINESS_DAY)
        new_day = (k // 5) * 7 + k % 5 - 3
        result = self.from_local(new_day * DAY + BUSINESS_START + rest, tz)
        return np.maximum(result, t)


# --------------------------------------------------------------------------- reps


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


def reps_table(reps: dict) -> pa.Table:
    emails = [
        f"{name.lower().replace(chr(39), '').replace(' ', '.')}@{EMAIL_DOMAIN}" for name in reps["name"]
    ]
    return pa.table({
        "rep_id": pa.array(list(reps["rep_id"]), pa.string()),
        "name": pa.array(reps["name"], pa.string()),
        "email": pa.array(emails, pa.string()),
        "team": pa.array([TEAMS[t] for t in reps["team"]], pa.string()),
        "role": pa.array(reps["role"], pa.string()),
        "timezone": pa.array(reps["timezone"], pa.string()),
        "country": pa.array(reps["country"], pa.string()),
        "active": pa.array(reps["active"], pa.bool_()),
    })


# --------------------------------------------------------------------------- leads


def _local_business_moments(rng, clock: Clock, tz: np.ndarray, start: int, end: int) -> np.ndarray:
    """Moments in each lead's local calendar: weekdays in office hours mostly, some nights and
    weekends, volume growing over the period; returned in UTC and kept inside [start, end]."""
    n = len(tz)
    first, last = start // DAY, end // DAY
    days = np.arange(first, last + 1)
    weekday = (days + 3) % 7
    weights = np.select([weekday == 5, weekday == 6], [0.18, 0.13], 1.0)
    weights = weights * (0.8 + 0.4 * (days - first) / max(1, last - first))
    day = days[_pick(rng, weights, n)]
    office = rng.random(n) < 0.8
    peak = np.where(rng.random(n) < 0.55, 10.5 * HOUR, 14.5 * HOUR)
    in_office = (peak + rng.normal(0, 1.6 * HOUR, n)).clip(7 * HOUR, 19.5 * HOUR)
    anytime = rng.uniform(0, DAY, n)
    local = day * DAY + np.where(office, in_office, anytime).astype(np.int64)
    t = clock.from_local(local, tz)
    t = np.where(t > end, t - 7 * DAY, t)
    return np.where(t < start, t + 7 * DAY, t).clip(start, end)


def _routing_pools(reps: dict) -> list[np.ndarray]:
    """Who can own a lead: one pool per SDR team, then the Americas and EMEA AEs."""
    sdrs = ~reps["is_manager"] & (reps["team"] != TEAMS.index("Enterprise"))
    pools = [np.flatnonzero(sdrs & (reps["team"] == t)) for t in range(len(TEAMS) - 1)]
    aes = np.array([r[3] == "AE" for r in REPS])
    london = reps["tz"] == TZ_INDEX["Europe/London"]
    return pools + [np.flatnonzero(aes & ~london), np.flatnonzero(aes & london)]


def _route(rng, reps: dict, region: np.ndarray, segment: np.ndarray, routed_at: np.ndarray,
           start: int, end: int) -> np.ndarray:
    """Owner rep index per lead: by region; Enterprise accounts in the Americas and EMEA go
    to the AEs there; a few land on a manager. Inactive reps stop getting leads when they leave."""
    n = len(segment)
    pools = _routing_pools(reps)
    region_pool = np.array([TEAMS.index(r[3]) for r in REGIONS])
    enterprise_pool = np.array([4, 4, 5, -1, -1])  # US East, US West, EMEA, India, ANZ
    to_ae = (segment == 2) & (enterprise_pool[region] >= 0) & (rng.random(n) < 0.8)
    pool = np.where(to_ae, enterprise_pool[region], region_pool[region])
    owner = np.full(n, -1)
    u = rng.random(n) * 0.999999
    load = rng.uniform(0.7, 1.3, len(REPS))
    leave_at = np.where(reps["active"], end + DAY,
                        start + (end - start) * rng.uniform(0.45, 0.8, len(REPS))).astype(np.int64)
    for p, members in enumerate(pools):
        idx = np.flatnonzero(pool == p)
        cum = np.cumsum(load[members])
        owner[idx] = members[np.searchsorted(cum / cum[-1], u[idx], side="right")]
        active = members[reps["active"][members]]
        gone = idx[leave_at[owner[idx]] < routed_at[idx]]  # reassign what fell to reps who left
        cum = np.cumsum(load[active])
        owner[gone] = active[np.searchsorted(cum / cum[-1], u[gone], side="right")]
    managers = np.flatnonzero(reps["is_manager"])
    to_manager = rng.random(n) < 0.012
    owner[to_manager] = managers[_pick(rng, np.ones(len(managers)), int(to_manager.sum()))]
    return owner


def make_leads(rng, n: int, reps: dict, clock: Clock, start: int, end: int) -> dict:
    """Lead attributes and timeline up to assignment, sorted by handoff time."""
    source = _pick(rng, [s.share for s in SOURCES], n)
    tier = np.array([TIER_NAMES.index(s.tier) for s in SOURCES])[source]
    region = _pick(rng, [r[2] for r in REGIONS], n)
    region_tz = np.array([TZ_INDEX[r[1]] for r in REGIONS])[region]
    segment = _pick(rng, SEGMENT_SHARES, n)
    has_mql = rng.random(n) >= 0.035

    moment = _local_business_moments(rng, clock, region_tz, start, end)
    lag_share = np.array([0.3, 0.5, 0.55])[tier]
    lag = np.where(rng.random(n) < lag_share,
                   _lognormal(rng, 9 * DAY, 1.1, n).clip(HOUR, 120 * DAY), 0).astype(np.int64)
    created = moment - np.where(has_mql, lag, 0)
    mql = np.where(has_mql, moment, NO_TIME)

    order = np.argsort(moment, kind="stable")
    leads = {
        "source": source, "tier": tier, "region": region, "segment": segment,
        "has_mql": has_mql, "created": created, "mql": mql, "moment": moment,
    }
    leads = {k: v[order] for k, v in leads.items()}
    _add_profile(rng, leads)
    _add_owner(rng, leads, reps, start, end)
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
    leads["title"] = np.where(junior, np.array(juniors)[rng.integers(0, len(juniors), n)],
                              np.array(seniors)[rng.integers(0, len(seniors), n)])
    leads["title_missing"] = rng.random(n) < 0.04
    leads["junior"] = junior
    country_local = _pick_by_group(rng, leads["region"], [r[5] for r in REGIONS])
    offsets = np.cumsum([0] + [len(r[4]) for r in REGIONS])[:-1]
    leads["country"] = offsets[leads["region"]] + country_local
    campaign_local = rng.integers(0, 1 << 30, n) % np.array([len(s.campaigns) for s in SOURCES])[leads["source"]]
    campaign_offsets = np.cumsum([0] + [len(s.campaigns) for s in SOURCES])[:-1]
    leads["campaign"] = np.where(rng.random(n) < 0.05, -1, campaign_offsets[leads["source"]] + campaign_local)
    score = np.array([72, 58, 44])[tier] + np.array([0, 6, 12])[leads["segment"]] - 12 * junior
    leads["score"] = np.round(score + rng.normal(0, 10, n)).clip(1, 100)
    leads["tier_blank"] = rng.random(n) < 0.12


def _add_owner(rng, leads: dict, reps: dict, start: int, end: int) -> None:
    """owner_id and assigned_at: routed, some unassigned, some parked in a queue, and a
    routing delay for a fraction of leads."""
    n = len(leads["source"])
    region_team = np.array([TEAMS.index(r[3]) for r in REGIONS])[leads["region"]]
    routed_at = np.where(leads["has_mql"], leads["mql"], leads["created"])
    owner = _route(rng, reps, leads["region"], leads["segment"], routed_at, start, end)
    fate = rng.random(n)
    owner = np.where(fate < 0.04, -1, np.where(fate < 0.06, -2 - (rng.random(n) < 0.3), owner))
    leads["owner"] = owner
    leads["team"] = region_team

    delayed = rng.random(n)
    delay = np.where(delayed < 0.78, 0, _lognormal(rng, 25 * MINUTE, 2.0, n).clip(MINUTE, 10 * DAY))
    assigned = (routed_at + delay).astype(np.int64)
    known_missing = (owner >= 0) & (delayed > 0.95)
    queue_missing = (owner <= -2) & (rng.random(n) < 0.5)
    leads["assigned"] = np.where((owner == -1) | known_missing | queue_missing, NO_TIME, assigned)
    leads["ready"] = np.maximum(routed_at, routed_at + delay.astype(np.int64))


# --------------------------------------------------------------------------- response


def add_first_touch(rng, leads: dict, reps: dict, clock: Clock, end: int) -> None:
    """Whether and when sales first reaches each handed-off lead.

    A mixture: an 'instant' mode (minutes) whose weight depends on the rep and the tier,
    else a lognormal with a heavy Pareto tail around the rep's typical delay. Delays run
    on the rep's business clock, except for the share of work a rep does out of hours.
    """
    n = len(leads["source"])
    owner = leads["owner"]
    known = owner >= 0
    # who works the lead: the owner, else somebody from the region's team
    team_reps = [np.flatnonzero((reps["team"] == t) & reps["active"] & ~reps["is_manager"])
                 for t in range(len(TEAMS))]
    fallback = np.zeros(n, dtype=np.int64)
    u = rng.random(n)
    for t, members in enumerate(team_reps):
        idx = np.flatnonzero(leads["team"] == t)
        fallback[idx] = members[(u[idx] * len(members)).astype(np.int64)]
    worker = np.where(known, owner, fallback)
    tier = leads["tier"]

    p_contact = reps["p_contact"][worker] + np.array([0.1, 0.02, -0.08])[tier]
    p_contact = np.where(known, p_contact, np.where(owner == -1, 0.12, 0.3))
    contacted = leads["has_mql"] & (rng.random(n) < p_contact)

    instant = rng.random(n) < reps["p_instant"][worker] * np.array([1.6, 0.8, 0.3])[tier]
    fast = _lognormal(rng, 2 * MINUTE, 0.7, n)
    slow = _lognormal(rng, reps["median_delay"][worker] * np.array([0.35, 0.8, 2.0])[tier], 1.2, n)
    tail = rng.random(n) < 0.12
    slow = np.where(tail, slow * (1 + rng.pareto(1.3, n)), slow).clip(MINUTE, 60 * BUSINESS_DAY)
    delay = np.where(instant, fast, slow).astype(np.int64)

    start = np.where(leads["has_mql"], leads["ready"], 0)
    tz = reps["tz"][worker]
    in_hours = rng.random(n) < reps["in_hours"][worker]
    touch = np.where(in_hours, clock.add_business(start, delay, tz), start + 3 * delay)

    # Some high-intent leads book a meeting themselves straight away (a scheduler link).
    self_booked = contacted & (tier == 0) & (rng.random(n) < 0.05)
    touch = np.where(self_booked, leads["mql"] + rng.integers(60, 6 * MINUTE, n), touch)
    contacted &= touch <= end
    leads["worker"] = worker
    leads["tz"] = tz
    leads["contacted"] = contacted
    leads["self_booked"] = self_booked & contacted
    leads["first_touch"] = np.where(contacted, touch, NO_TIME)
    response = np.where(contacted, (touch - leads["mql"]) / MINUTE, np.inf)
    leads["response_minutes"] = response
    leads["conversion_mult"] = np.where(contacted, _decay(response, CONVERSION_MULT), 0.0)


# --------------------------------------------------------------------------- outcomes


def make_meetings(rng, leads: dict, reps: dict, clock: Clock, end: int) -> dict:
    """Meetings: booked more often and sooner after a fast response."""
    n = len(leads["source"])
    mult = leads["conversion_mult"]
    base = np.array([s.meeting_base for s in SOURCES])[leads["source"]]
    p_meet = (1.6 * base * np.array(SEGMENT_MEETING)[leads["segment"]] * mult**0.5).clip(0, 0.92)
    booked = leads["contacted"] & (leads["self_booked"] | (rng.random(n) < p_meet))
    after_touch = _lognormal(rng, 0.6 * BUSINESS_DAY / np.maximum(mult, 0.05) ** 0.5, 1.0, n)
    on_call = rng.random(n) < 0.25  # booked during the first conversation
    after_touch = np.where(on_call, rng.integers(5 * MINUTE, 40 * MINUTE, n), after_touch)
    booked_at = np.where(
        leads["self_booked"], leads["first_touch"],
        clock.add_business(leads["first_touch"], after_touch.astype(np.int64), leads["tz"]),
    )
    booked &= booked_at <= end
    idx = np.flatnonzero(booked)
    k = idx.size
    lead_time = _lognormal(rng, 1.6 * BUSINESS_DAY, 0.7, k).clip(HOUR, 15 * BUSINESS_DAY).astype(np.int64)
    scheduled = clock.add_business(booked_at[idx], lead_time, leads["tz"][idx])
    scheduled = (scheduled + 15 * MINUTE - 1) // (15 * MINUTE) * (15 * MINUTE)
    happened = scheduled <= end
    status = np.where(happened, _pick(rng, [0, 72, 14, 14], k), np.where(rng.random(k) < 0.07, 3, 0))
    account_executives = np.flatnonzero(reps["team"] == TEAMS.index("Enterprise"))
    to_ae = rng.random(k) < 0.2  # the SDR books the meeting in an AE's calendar
    ae = account_executives[rng.integers(0, len(account_executives), k)]
    rep = np.where(to_ae, ae, leads["worker"][idx])
    return {"lead": idx, "rep": rep, "booked": booked_at[idx], "scheduled": scheduled, "status": status}


def add_sql(rng, leads: dict, meetings: dict, end: int) -> None:
    """sql_at: mostly after a held meeting; the chance decays with the response time."""
    n = len(leads["source"])
    mult = leads["conversion_mult"]
    held = np.zeros(n, dtype=bool)
    held_at = np.full(n, NO_TIME)
    is_held = meetings["status"] == 1
    held[meetings["lead"][is_held]] = True
    held_at[meetings["lead"][is_held]] = meetings["scheduled"][is_held]
    booked = np.zeros(n, dtype=bool)
    booked[meetings["lead"]] = True
    p = np.where(held, 0.8 * mult**0.5, 0.03 * mult)
    sql = leads["contacted"] & (rng.random(n) < p)
    after = np.where(held, held_at + _lognormal(rng, 18 * HOUR, 0.8, n).astype(np.int64),
                     leads["first_touch"] + _lognormal(rng, 3 * DAY, 0.8, n).astype(np.int64))
    sql &= after <= end
    leads["sql"] = np.where(sql, after, NO_TIME)
    leads["held"] = held
    leads["booked"] = booked


def add_dispositions(rng, leads: dict, end: int) -> None:
    """Disposition codes by source and outcome; mostly within 48 h, some late, some missing."""
    n = len(leads["source"])
    contacted = leads["contacted"]
    by_source = _pick_by_group(rng, leads["source"], [s.dispositions for s in SOURCES])
    code = np.where(leads["junior"] & (rng.random(n) < 0.4), 1, by_source)
    after_meeting = np.where(rng.random(n) < 0.8, 0, np.where(rng.random(n) < 0.6, 2, 4))
    code = np.where(leads["booked"], after_meeting, code)
    code = np.where(leads["held"] | (leads["sql"] != NO_TIME), np.where(rng.random(n) < 0.95, 0, 2), code)
    code = np.where(contacted, code, 4)

    missing = np.where(contacted, rng.random(n) < 0.12, rng.random(n) < 0.55)
    code = np.where(leads["has_mql"] & ~missing, code, -1)
    base = np.where(contacted, leads["first_touch"], leads["mql"])
    timing = rng.random(n)
    soon = _lognormal(rng, 5 * HOUR, 1.0, n).clip(MINUTE, 46 * HOUR)
    late = rng.uniform(2 * DAY, 14 * DAY, n)
    delay = np.where(contacted, np.where(timing < 0.8, soon, late),
                     np.where(timing < 0.3, soon, late + 3 * DAY)).astype(np.int64)
    at = np.where(code >= 0, base + delay, NO_TIME)
    too_late = (at != NO_TIME) & (at > end)
    leads["disposition"] = np.where(too_late, -1, code)
    leads["disposition_at"] = np.where(too_late, NO_TIME, at)


def make_opportunities(rng, leads: dict, end: int) -> dict:
    """Opportunities from SQLs: win rate and amount fall with the response time."""
    idx = np.flatnonzero((leads["sql"] != NO_TIME) & (rng.random(len(leads["source"])) < 0.85))
    k = idx.size
    response = leads["response_minutes"][idx]
    created = leads["sql"][idx] + _lognormal(rng, 1 * DAY, 1.0, k).clip(0, 10 * DAY).astype(np.int64)
    keep = created <= end
    idx, created, response = idx[keep], created[keep], response[keep]
    k = idx.size
    segment = leads["segment"][idx]
    amount = np.array(SEGMENT_AMOUNT)[segment] * _lognormal(rng, 1.0, 0.45, k) * _decay(response, VALUE_MULT)
    amount = np.round(amount / 100) * 100
    won = rng.random(k) < BEST_WIN_RATE * _decay(response, WIN_MULT)
    cycle = _lognormal(rng, np.array([30, 55, 95])[segment] * DAY, 0.5, k).astype(np.int64)
    closed_at = created + cycle
    closed = closed_at <= end
    age = (end - created) / np.maximum(cycle, 1)
    open_stage = np.where(age < 0.3, 0, np.where(age < 0.7, 1, 2))
    stage = np.where(closed, np.where(won, 3, 4), open_stage)
    return {
        "lead": idx, "created": created, "amount": amount, "stage": stage,
        "closed": closed, "won": closed & won, "closed_at": np.where(closed, closed_at, NO_TIME),
    }


OPPORTUNITY_STAGES = ("Discovery", "Proposal", "Negotiation", "Closed Won", "Closed Lost")


# --------------------------------------------------------------------------- activities


def _block(lead, rep, kind, t) -> dict:
    return {"lead": np.asarray(lead), "rep": np.asarray(rep), "kind": np.asarray(kind), "t": np.asarray(t)}


def _automated_emails(rng, leads: dict) -> list[dict]:
    """Sequence emails: a welcome seconds after the MQL, then nurture steps days later.
    Created-only leads get nurture emails too. None of these is a touch."""
    n = len(leads["source"])
    has_mql = leads["has_mql"]
    sender = np.where(leads["owner"] >= 0, leads["owner"], -1)
    welcome = has_mql & (rng.random(n) < np.array([0.55, 0.85, 0.7])[leads["tier"]])
    idx = np.flatnonzero(welcome)
    blocks = [_block(idx, sender[idx], K_WELCOME, leads["mql"][idx] + rng.integers(3, 120, idx.size))]
    steps = rng.binomial(5, 0.5, n) * welcome + (~has_mql & (rng.random(n) < 0.5))
    lead = np.repeat(np.arange(n), steps)
    step = _group_starts(steps) + 1
    origin = np.where(has_mql, leads["mql"], leads["created"])[lead]
    t = origin + (step * 3 * DAY + rng.normal(0, 6 * HOUR, lead.size)).astype(np.int64)
    blocks.append(_block(lead, sender[lead], K_NURTURE, t))
    return blocks


def _touch_kinds(rng, size: int) -> np.ndarray:
    return TOUCH_KINDS[_pick(rng, TOUCH_KIND_WEIGHTS, size)]


def _before_mql(rng, leads: dict) -> dict:
    """Activities logged before the handoff (prospecting, replies, old tasks): never touches."""
    n = len(leads["source"])
    gap = leads["mql"] - leads["created"]
    eligible = leads["has_mql"] & (rng.random(n) < 0.16)
    counts = np.where(eligible, rng.integers(1, 3, n), 0)
    lead = np.repeat(np.arange(n), counts)
    span = np.maximum(gap[lead], 2 * HOUR)
    t = leads["mql"][lead] - (rng.random(lead.size) * span).astype(np.int64) - 1
    kind = np.where(rng.random(lead.size) < 0.7, _touch_kinds(rng, lead.size), K_IN_EMAIL)
    return _block(lead, leads["worker"][lead], kind, t)


def _first_touches(rng, leads: dict) -> dict:
    idx = np.flatnonzero(leads["contacted"] & ~leads["self_booked"])
    rep = leads["worker"][idx]
    cover = rng.random(idx.size) < 0.05  # a teammate picks it up
    rep = np.where(cover, rng.permutation(rep), rep)
    return _block(idx, rep, _touch_kinds(rng, idx.size), leads["first_touch"][idx])


def _follow_ups(rng, leads: dict, reps: dict, clock: Clock, total: int) -> dict:
    """The cadence after the first touch: how many and how tightly spaced depends on the rep."""
    contacted = np.flatnonzero(leads["contacted"])
    worker = leads["worker"][contacted]
    weight = reps["cadence"][worker]
    lam = weight * (max(total, 0) / max(weight.sum(), 1e-9))
    counts = rng.poisson(lam).clip(0, 25)
    lead = np.repeat(contacted, counts)
    rep = leads["worker"][lead]
    gaps = (rng.exponential(1.0, lead.size) * reps["gap"][rep]).clip(10 * MINUTE, None)
    csum = np.cumsum(gaps)
    nonempty = counts > 0
    starts = (np.cumsum(counts) - counts)[nonempty]
    before = np.repeat(csum[starts] - gaps[starts], counts[nonempty])
    offset = (csum - before).astype(np.int64)
    t = clock.add_business(leads["first_touch"][lead], offset, leads["tz"][lead])
    evening = rng.random(lead.size) > reps["in_hours"][rep]
    t = t + np.where(evening, rng.integers(HOUR, 6 * HOUR, lead.size), 0)
    return _block(lead, rep, _touch_kinds(rng, lead.size), t)


def _inbound_and_tasks(rng, leads: dict) -> list[dict]:
    """Replies and calls from the lead, and a few 'other' tasks (neither counts as a touch)."""
    n = len(leads["source"])
    engaged = leads["contacted"] & (rng.random(n) < np.where(leads["booked"], 0.55, 0.14))
    idx = np.flatnonzero(engaged)
    t = leads["first_touch"][idx] + _lognormal(rng, 5 * HOUR, 1.3, idx.size).astype(np.int64)
    kind = np.where(rng.random(idx.size) < 0.75, K_IN_EMAIL, K_IN_CALL)
    inbound = _block(idx, leads["worker"][idx], kind, t)
    early = np.flatnonzero(leads["has_mql"] & (rng.random(n) < 0.03))  # a reply to the welcome email
    early_block = _block(early, leads["worker"][early], K_IN_EMAIL,
                         leads["mql"][early] + _lognormal(rng, 40 * MINUTE, 1.0, early.size).astype(np.int64))
    tasks = np.flatnonzero(leads["has_mql"] & (rng.random(n) < 0.06))
    task_block = _block(tasks, leads["worker"][tasks], K_OTHER,
                        leads["mql"][tasks] + _lognormal(rng, 2 * HOUR, 1.5, tasks.size).astype(np.int64))
    return [inbound, early_block, task_block]


def make_activities(rng, leads: dict, reps: dict, meetings: dict, clock: Clock, end: int,
                    per_lead: float) -> dict:
    n = len(leads["source"])
    blocks = _automated_emails(rng, leads)
    blocks.append(_before_mql(rng, leads))
    blocks.append(_first_touches(rng, leads))
    blocks.extend(_inbound_and_tasks(rng, leads))
    held = meetings["status"] == 1
    blocks.append(_block(meetings["lead"][held], meetings["rep"][held], K_MEETING, meetings["scheduled"][held]))
    so_far = sum(len(b["lead"]) for b in blocks)
    blocks.append(_follow_ups(rng, leads, reps, clock, int(per_lead * n) - so_far))

    acts = {key: np.concatenate([np.broadcast_to(b[key], b["lead"].shape) for b in blocks])
            for key in ("lead", "rep", "kind", "t")}
    keep = acts["t"] <= end
    order = np.flatnonzero(keep)[np.argsort(acts["t"][keep], kind="stable")]
    acts = {k: v[order] for k, v in acts.items()}
    acts["subject"] = _pick_by_group(rng, acts["kind"], [[w for _, w in k[3]] for k in KINDS])
    acts["outcome"] = _pick_by_group(rng, acts["kind"], [[w for _, w in k[4]] for k in KINDS])
    return acts


# --------------------------------------------------------------------------- arrow tables


def _ids(prefix: str, n: int) -> pa.Array:
    width = max(6, len(str(n)))
    digits = pc.utf8_lpad(pa.array(np.arange(1, n + 1)).cast(pa.string()), width=width, padding="0")
    return pc.binary_join_element_wise(pa.scalar(prefix), digits, pa.scalar(""))


def _ts(seconds: np.ndarray) -> pa.Array:
    seconds = np.asarray(seconds, dtype=np.int64)
    missing = seconds == NO_TIME
    return pa.array(np.where(missing, 0, seconds) * 1_000_000, type=pa.timestamp("us", tz="UTC"),
                    mask=missing)


def _take(vocab, codes: np.ndarray) -> pa.Array:
    """Strings from a vocabulary by code; a negative code is empty (null)."""
    codes = np.asarray(codes, dtype=np.int64)
    indices = pa.array(np.where(codes < 0, 0, codes), mask=codes < 0)
    return pa.array(list(vocab), pa.string()).take(indices)


def leads_table(leads: dict) -> pa.Table:
    n = len(leads["source"])
    owner = leads["owner"]
    owner_vocab = [r[0] for r in REPS] + list(QUEUE_IDS)
    owner_code = np.where(owner >= 0, owner, np.where(owner == -1, -1, len(REPS) + (-owner - 2)))
    companies = [f"{s} {x}" for s in COMPANY_STEMS for x in COMPANY_SUFFIXES]
    countries = [c for r in REGIONS for c in r[4]]
    campaigns = [c for s in SOURCES for c in s.campaigns]
    return pa.table({
        "lead_id": _ids("L", n),
        "created_at": _ts(leads["created"]),
        "mql_at": _ts(leads["mql"]),
        "owner_id": _take(owner_vocab, owner_code),
        "assigned_at": _ts(leads["assigned"]),
        "source": _take([s.name for s in SOURCES], leads["source"]),
        "tier": _take(TIER_NAMES, np.where(leads["tier_blank"], -1, leads["tier"])),
        "campaign": _take(campaigns, leads["campaign"]),
        "company": _take(companies, leads["company"]),
        "title": _take([t[0] for t in TITLES], np.where(leads["title_missing"], -1, leads["title"])),
        "country": _take(countries, leads["country"]),
        "segment": _take(SEGMENT_NAMES, leads["segment"]),
        "score": pa.array(leads["score"], pa.float64()),
        "disposition": _take(DISPOSITIONS, leads["disposition"]),
        "disposition_at": _ts(leads["disposition_at"]),
        "sql_at": _ts(leads["sql"]),
    })


def activities_table(acts: dict, lead_ids: pa.Array) -> pa.Table:
    kind = acts["kind"]
    subjects = [s for k in KINDS for s, _ in k[3]]
    outcomes = [o for k in KINDS for o, _ in k[4]]
    subject_offset = np.cumsum([0] + [len(k[3]) for k in KINDS])[:-1]
    outcome_offset = np.cumsum([0] + [len(k[4]) for k in KINDS])[:-1]
    kind_type = np.array([("call", "email", "meeting", "sms", "linkedin", "other").index(k[0]) for k in KINDS])
    kind_inbound = np.array([k[1] == "inbound" for k in KINDS])
    kind_auto = np.array([k[2] for k in KINDS])
    return pa.table({
        "activity_id": _ids("A", len(kind)),
        "lead_id": lead_ids.take(pa.array(acts["lead"])),
        "rep_id": _take([r[0] for r in REPS], acts["rep"]),
        "type": _take(("call", "email", "meeting", "sms", "linkedin", "other"), kind_type[kind]),
        "direction": _take(("outbound", "inbound"), kind_inbound[kind].astype(np.int64)),
        "occurred_at": _ts(acts["t"]),
        "is_automated": pa.array(kind_auto[kind], pa.bool_()),
        "outcome": _take(outcomes, outcome_offset[kind] + acts["outcome"]),
        "subject": _take(subjects, subject_offset[kind] + acts["subject"]),
    })


def meetings_table(meetings: dict, lead_ids: pa.Array) -> pa.Table:
    order = np.argsort(meetings["booked"], kind="stable")
    m = {k: v[order] for k, v in meetings.items()}
    return pa.table({
        "meeting_id": _ids("M", len(order)),
        "lead_id": lead_ids.take(pa.array(m["lead"])),
        "rep_id": _take([r[0] for r in REPS], m["rep"]),
        "booked_at": _ts(m["booked"]),
        "scheduled_for": _ts(m["scheduled"]),
        "status": _take(("scheduled", "held", "no_show", "canceled"), m["status"]),
    })


def opportunities_table(opps: dict, lead_ids: pa.Array) -> pa.Table:
    order = np.argsort(opps["created"], kind="stable")
    o = {k: v[order] for k, v in opps.items()}
    return pa.table({
        "opportunity_id": _ids("O", len(order)),
        "lead_id": lead_ids.take(pa.array(o["lead"])),
        "created_at": _ts(o["created"]),
        "amount": pa.array(o["amount"], pa.float64()),
        "stage": _take(OPPORTUNITY_STAGES, o["stage"]),
        "is_closed": pa.array(o["closed"], pa.bool_()),
        "is_won": pa.array(o["won"], pa.bool_()),
        "closed_at": _ts(o["closed_at"]),
    })


def _for_csv(table: pa.Table) -> pa.Table:
    """Timestamps as ISO 8601 with an explicit UTC offset (whole seconds)."""
    columns = []
    for column in table.columns:
        if pa.types.is_timestamp(column.type):
            column = pc.strftime(column.cast(pa.timestamp("s", tz="UTC")), format="%Y-%m-%dT%H:%M:%S+00:00")
        columns.append(column)
    return pa.table(columns, names=table.column_names)


def write_table(table: pa.Table, out_dir: Path, fmt: str) -> None:
    expected = BY_NAME[_table_name(table)].column_names
    assert table.column_names == expected, (table.column_names, expected)
    name = _table_name(table)
    if fmt == "parquet":
        pq.write_table(table, out_dir / f"{name}.parquet", compression="zstd", compression_level=9)
    else:
        pacsv.write_csv(_for_csv(table), out_dir / f"{name}.csv")


def _table_name(table: pa.Table) -> str:
    first = table.column_names[0]
    return next(t.name for t in TABLES if t.key == first)


# --------------------------------------------------------------------------- entry point


def generate(
    out_dir,
    leads: int = 20000,
    seed: int = 7,
    months: int = 12,
    end=None,
    fmt: str = "parquet",
    activities_per_lead: float = 8.0,
) -> dict[str, int]:
    """Write reps, leads, activities, meetings and opportunities to `out_dir`.

    Deterministic for a given seed and arguments. `end` (default 2026-11-20 18:00 UTC)
    plays "now": nothing happens after it, so the latest leads are still untouched.
    Returns the row count of each table.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unknown format {fmt!r}: use parquet or csv")
    if leads < 1:
        raise ValueError("leads must be at least 1")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    end_s = _parse_utc_seconds(end if end is not None else DEFAULT_END)
    start_s = end_s - int(months * 30.4375 * DAY)
    clock = Clock(start_s // DAY - 200, int((end_s - start_s) // DAY) + 400)

    reps = make_reps(rng)
    lead_rows = make_leads(rng, leads, reps, clock, start_s, end_s)
    add_first_touch(rng, lead_rows, reps, clock, end_s)
    meetings = make_meetings(rng, lead_rows, reps, clock, end_s)
    add_sql(rng, lead_rows, meetings, end_s)
    add_dispositions(rng, lead_rows, end_s)
    opps = make_opportunities(rng, lead_rows, end_s)
    acts = make_activities(rng, lead_rows, reps, meetings, clock, end_s, activities_per_lead)

    leads_tab = leads_table(lead_rows)
    lead_ids = leads_tab.column("lead_id").combine_chunks()
    tables = [
        reps_table(reps),
        leads_tab,
        activities_table(acts, lead_ids),
        meetings_table(meetings, lead_ids),
        opportunities_table(opps, lead_ids),
    ]
    del acts
    counts = {}
    for table in tables:
        write_table(table, out, fmt)
        counts[_table_name(table)] = table.num_rows
    return counts


__all__ = ["generate", "DEFAULT_END"]
