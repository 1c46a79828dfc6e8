"""What happens to each handoff: the first touch, meetings, SQLs, dispositions and
opportunities, with outcomes that decay as the response slows."""

from __future__ import annotations

import numpy as np

from handoff.sources.generator.clock import BUSINESS_DAY, Clock
from handoff.sources.generator.reference import (
    BEST_WIN_RATE,
    CONVERSION_MULT,
    RESPONSE_KNOTS,
    SEGMENT_AMOUNT,
    SEGMENT_MEETING,
    SOURCES,
    TEAMS,
    VALUE_MULT,
    WIN_MULT,
)
from handoff.sources.generator.sampling import DAY, HOUR, MINUTE, NO_TIME, lognormal, pick, pick_by_group


def _decay(response_minutes: np.ndarray, multipliers: np.ndarray) -> np.ndarray:
    """A multiplier per lead, interpolated in log-time between the knots (flat outside)."""
    x = np.log(np.maximum(response_minutes, 1e-3))
    return np.interp(x, np.log(RESPONSE_KNOTS), multipliers)


def _fallback_workers(rng, leads: dict, reps: dict) -> np.ndarray:
    """For a lead without a rep owner: somebody from the region's team who picks it up."""
    n = len(leads["source"])
    team_reps = [np.flatnonzero((reps["team"] == t) & reps["active"] & ~reps["is_manager"]) for t in range(len(TEAMS))]
    fallback = np.zeros(n, dtype=np.int64)
    u = rng.random(n)
    for t, members in enumerate(team_reps):
        idx = np.flatnonzero(leads["team"] == t)
        fallback[idx] = members[(u[idx] * len(members)).astype(np.int64)]
    return fallback


def _draw_first_touch(rng, leads: dict, reps: dict, clock: Clock, idx: np.ndarray) -> None:
    """Whether and when the leads `idx` are first reached, by their worker from `ready`.

    A mixture: an 'instant' mode (minutes) whose weight depends on the rep and the tier,
    else a lognormal with a heavy Pareto tail around the rep's typical delay. Delays run
    on the rep's business clock, except for the share of work a rep does out of hours.
    """
    n = idx.size
    owner = leads["owner"][idx]
    known = owner >= 0
    worker = np.where(known, owner, leads["fallback"][idx])
    tier = leads["tier"][idx]
    has_mql = leads["has_mql"][idx]

    p_contact = reps["p_contact"][worker] + np.array([0.1, 0.02, -0.08])[tier]
    p_contact = np.where(known, p_contact, np.where(owner == -1, 0.12, 0.3))
    contacted = has_mql & (rng.random(n) < p_contact)

    instant = rng.random(n) < reps["p_instant"][worker] * np.array([1.6, 0.8, 0.3])[tier]
    fast = lognormal(rng, 2 * MINUTE, 0.7, n)
    slow = lognormal(rng, reps["median_delay"][worker] * np.array([0.35, 0.8, 2.0])[tier], 1.2, n)
    tail = rng.random(n) < 0.12
    slow = np.where(tail, slow * (1 + rng.pareto(1.3, n)), slow).clip(MINUTE, 60 * BUSINESS_DAY)
    delay = np.where(instant, fast, slow).astype(np.int64)

    start = np.where(has_mql, leads["ready"][idx], 0)
    cal = reps["calendar"][worker]
    in_hours = rng.random(n) < reps["in_hours"][worker]
    touch = np.where(in_hours, clock.add_business(start, delay, cal), start + 3 * delay)
    leads["worker"][idx] = worker
    leads["calendar"][idx] = cal
    leads["contacted"][idx] = contacted
    leads["first_touch"][idx] = touch


def add_first_touch(rng, leads: dict, reps: dict, clock: Clock, end: int) -> None:
    """Whether and when sales first reaches each handed-off lead, by its owner (else by
    somebody from the region's team), counting from the moment the owner got it."""
    n = len(leads["source"])
    leads["fallback"] = _fallback_workers(rng, leads, reps)
    leads["worker"] = np.zeros(n, dtype=np.int64)
    leads["calendar"] = np.zeros(n, dtype=np.int64)
    leads["contacted"] = np.zeros(n, dtype=bool)
    leads["first_touch"] = np.full(n, NO_TIME)
    _draw_first_touch(rng, leads, reps, clock, np.arange(n))
    # Some high-intent leads book a meeting themselves straight away (a scheduler link).
    self_booked = leads["contacted"] & (leads["tier"] == 0) & (rng.random(n) < 0.05)
    leads["first_touch"] = np.where(self_booked, leads["mql"] + rng.integers(60, 6 * MINUTE, n), leads["first_touch"])
    leads["self_booked"] = self_booked
    _settle_first_touch(leads, end)


def touch_again(rng, leads: dict, reps: dict, clock: Clock, end: int, idx: np.ndarray) -> None:
    """Draw the first touch again for leads that changed hands (routing.reassign_untouched)."""
    _draw_first_touch(rng, leads, reps, clock, idx)
    _settle_first_touch(leads, end)


def _settle_first_touch(leads: dict, end: int) -> None:
    """Nothing after `end` has happened; the response time and its conversion multiplier."""
    touch = leads["first_touch"]
    contacted = leads["contacted"] & (touch != NO_TIME) & (touch <= end)
    leads["contacted"] = contacted
    leads["self_booked"] &= contacted
    leads["first_touch"] = np.where(contacted, touch, NO_TIME)
    response = np.where(contacted, (touch - leads["mql"]) / MINUTE, np.inf)
    leads["response_minutes"] = response
    leads["conversion_mult"] = np.where(contacted, _decay(response, CONVERSION_MULT), 0.0)


def make_meetings(rng, leads: dict, reps: dict, clock: Clock, end: int) -> dict:
    """Meetings: booked more often and sooner after a fast response."""
    n = len(leads["source"])
    mult = leads["conversion_mult"]
    base = np.array([s.meeting_base for s in SOURCES])[leads["source"]]
    p_meet = (1.6 * base * np.array(SEGMENT_MEETING)[leads["segment"]] * mult**0.5).clip(0, 0.92)
    booked = leads["contacted"] & (leads["self_booked"] | (rng.random(n) < p_meet))
    after_touch = lognormal(rng, 0.6 * BUSINESS_DAY / np.maximum(mult, 0.05) ** 0.5, 1.0, n)
    on_call = rng.random(n) < 0.25  # booked during the first conversation
    after_touch = np.where(on_call, rng.integers(5 * MINUTE, 40 * MINUTE, n), after_touch)
    booked_at = np.where(
        leads["self_booked"],
        leads["first_touch"],
        clock.add_business(leads["first_touch"], after_touch.astype(np.int64), leads["calendar"]),
    )
    booked &= booked_at <= end
    idx = np.flatnonzero(booked)
    k = idx.size
    lead_time = lognormal(rng, 1.6 * BUSINESS_DAY, 0.7, k).clip(HOUR, 15 * BUSINESS_DAY).astype(np.int64)
    scheduled = clock.add_business(booked_at[idx], lead_time, leads["calendar"][idx])
    scheduled = (scheduled + 15 * MINUTE - 1) // (15 * MINUTE) * (15 * MINUTE)
    happened = scheduled <= end
    status = np.where(happened, pick(rng, [0, 72, 14, 14], k), np.where(rng.random(k) < 0.07, 3, 0))
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
    after = np.where(
        held,
        held_at + lognormal(rng, 18 * HOUR, 0.8, n).astype(np.int64),
        leads["first_touch"] + lognormal(rng, 3 * DAY, 0.8, n).astype(np.int64),
    )
    sql &= after <= end
    leads["sql"] = np.where(sql, after, NO_TIME)
    leads["held"] = held
    leads["booked"] = booked


def add_dispositions(rng, leads: dict, end: int) -> None:
    """Disposition codes by source and outcome; mostly within 48 h, some late, some missing."""
    n = len(leads["source"])
    contacted = leads["contacted"]
    by_source = pick_by_group(rng, leads["source"], [s.dispositions for s in SOURCES])
    code = np.where(leads["junior"] & (rng.random(n) < 0.4), 1, by_source)
    after_meeting = np.where(rng.random(n) < 0.8, 0, np.where(rng.random(n) < 0.6, 2, 4))
    code = np.where(leads["booked"], after_meeting, code)
    code = np.where(leads["held"] | (leads["sql"] != NO_TIME), np.where(rng.random(n) < 0.95, 0, 2), code)
    code = np.where(contacted, code, 4)

    missing = np.where(contacted, rng.random(n) < 0.12, rng.random(n) < 0.55)
    code = np.where(leads["has_mql"] & ~missing, code, -1)
    base = np.where(contacted, leads["first_touch"], leads["mql"])
    timing = rng.random(n)
    soon = lognormal(rng, 5 * HOUR, 1.0, n).clip(MINUTE, 46 * HOUR)
    late = rng.uniform(2 * DAY, 14 * DAY, n)
    delay = np.where(
        contacted, np.where(timing < 0.8, soon, late), np.where(timing < 0.3, soon, late + 3 * DAY)
    ).astype(np.int64)
    at = np.where(code >= 0, base + delay, NO_TIME)
    too_late = (at != NO_TIME) & (at > end)
    leads["disposition"] = np.where(too_late, -1, code)
    leads["disposition_at"] = np.where(too_late, NO_TIME, at)


def make_opportunities(rng, leads: dict, end: int) -> dict:
    """Opportunities from SQLs: win rate and amount fall with the response time."""
    idx = np.flatnonzero((leads["sql"] != NO_TIME) & (rng.random(len(leads["source"])) < 0.85))
    k = idx.size
    response = leads["response_minutes"][idx]
    created = leads["sql"][idx] + lognormal(rng, 1 * DAY, 1.0, k).clip(0, 10 * DAY).astype(np.int64)
    keep = created <= end
    idx, created, response = idx[keep], created[keep], response[keep]
    k = idx.size
    segment = leads["segment"][idx]
    amount = np.array(SEGMENT_AMOUNT)[segment] * lognormal(rng, 1.0, 0.45, k) * _decay(response, VALUE_MULT)
    amount = np.round(amount / 100) * 100
    won = rng.random(k) < BEST_WIN_RATE * _decay(response, WIN_MULT)
    cycle = lognormal(rng, np.array([30, 55, 95])[segment] * DAY, 0.5, k).astype(np.int64)
    closed_at = created + cycle
    closed = closed_at <= end
    age = (end - created) / np.maximum(cycle, 1)
    open_stage = np.where(age < 0.3, 0, np.where(age < 0.7, 1, 2))
    stage = np.where(closed, np.where(won, 3, 4), open_stage)
    return {
        "lead": idx,
        "created": created,
        "amount": amount,
        "stage": stage,
        "closed": closed,
        "won": closed & won,
        "closed_at": np.where(closed, closed_at, NO_TIME),
    }
