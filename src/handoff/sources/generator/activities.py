"""The activity log: sequence emails, touches before and after the handoff, the cadence
of follow-ups, replies, tasks and held meetings; only some of them count as touches."""

from __future__ import annotations

import numpy as np

from handoff.sources.generator.clock import Clock
from handoff.sources.generator.reference import (
    K_IN_CALL,
    K_IN_EMAIL,
    K_MEETING,
    K_NURTURE,
    K_OTHER,
    K_WELCOME,
    KINDS,
    TOUCH_KIND_WEIGHTS,
    TOUCH_KINDS,
)
from handoff.sources.generator.sampling import DAY, HOUR, MINUTE, lognormal, pick, pick_by_group, positions_in_group


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
    step = positions_in_group(steps) + 1
    origin = np.where(has_mql, leads["mql"], leads["created"])[lead]
    t = origin + (step * 3 * DAY + rng.normal(0, 6 * HOUR, lead.size)).astype(np.int64)
    blocks.append(_block(lead, sender[lead], K_NURTURE, t))
    return blocks


def _touch_kinds(rng, size: int) -> np.ndarray:
    return TOUCH_KINDS[pick(rng, TOUCH_KIND_WEIGHTS, size)]


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
    t = clock.add_business(leads["first_touch"][lead], offset, leads["calendar"][lead])
    evening = rng.random(lead.size) > reps["in_hours"][rep]
    t = t + np.where(evening, rng.integers(HOUR, 6 * HOUR, lead.size), 0)
    return _block(lead, rep, _touch_kinds(rng, lead.size), t)


def _inbound_and_tasks(rng, leads: dict) -> list[dict]:
    """Replies and calls from the lead, and a few 'other' tasks (neither counts as a touch)."""
    n = len(leads["source"])
    engaged = leads["contacted"] & (rng.random(n) < np.where(leads["booked"], 0.55, 0.14))
    idx = np.flatnonzero(engaged)
    t = leads["first_touch"][idx] + lognormal(rng, 5 * HOUR, 1.3, idx.size).astype(np.int64)
    kind = np.where(rng.random(idx.size) < 0.75, K_IN_EMAIL, K_IN_CALL)
    inbound = _block(idx, leads["worker"][idx], kind, t)
    early = np.flatnonzero(leads["has_mql"] & (rng.random(n) < 0.03))  # a reply to the welcome email
    early_block = _block(
        early,
        leads["worker"][early],
        K_IN_EMAIL,
        leads["mql"][early] + lognormal(rng, 40 * MINUTE, 1.0, early.size).astype(np.int64),
    )
    tasks = np.flatnonzero(leads["has_mql"] & (rng.random(n) < 0.06))
    task_block = _block(
        tasks,
        leads["worker"][tasks],
        K_OTHER,
        leads["mql"][tasks] + lognormal(rng, 2 * HOUR, 1.5, tasks.size).astype(np.int64),
    )
    return [inbound, early_block, task_block]


def make_activities(rng, leads: dict, reps: dict, meetings: dict, clock: Clock, end: int, per_lead: float) -> dict:
    n = len(leads["source"])
    blocks = _automated_emails(rng, leads)
    blocks.append(_before_mql(rng, leads))
    blocks.append(_first_touches(rng, leads))
    blocks.extend(_inbound_and_tasks(rng, leads))
    held = meetings["status"] == 1
    blocks.append(_block(meetings["lead"][held], meetings["rep"][held], K_MEETING, meetings["scheduled"][held]))
    so_far = sum(len(b["lead"]) for b in blocks)
    blocks.append(_follow_ups(rng, leads, reps, clock, int(per_lead * n) - so_far))

    acts = {
        key: np.concatenate([np.broadcast_to(b[key], b["lead"].shape) for b in blocks])
        for key in ("lead", "rep", "kind", "t")
    }
    keep = acts["t"] <= end
    order = np.flatnonzero(keep)[np.argsort(acts["t"][keep], kind="stable")]
    acts = {k: v[order] for k, v in acts.items()}
    acts["subject"] = pick_by_group(rng, acts["kind"], [[w for _, w in k[3]] for k in KINDS])
    acts["outcome"] = pick_by_group(rng, acts["kind"], [[w for _, w in k[4]] for k in KINDS])
    return acts
