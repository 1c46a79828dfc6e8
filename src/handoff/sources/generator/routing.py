"""Lead routing and its owner history.

Every lead first lands in a routing queue (a queue id, not a rep): the partner queue for
partner referrals, the inbound queue for the rest. Round-robin then hands it to the next rep
of the right team (by region; Enterprise accounts to the AEs; a few to a manager) after a
routing delay: some at the MQL itself (an assignment rule), most within a few minutes, a
tail of hours, and leads arriving out of hours often wait for the next business morning when
the round-robin only serves reps on shift. A few leads never leave the queue or never get an
owner at all.

The playbook's escalation then moves some handoffs the owner leaves untouched: reassigned to
another rep of the team shortly after the SLA target passes, more often once it is past the
SLA plus the escalation time, and sometimes back to the queue (from where most are routed
again). The new owner's first touch is drawn afresh from the moment they get the lead.

Each move is an owner change (lead, time, from, to); `leads["owner"]` is the owner at `end`
and `leads["assigned"]` the first assignment to a rep, consistent with the changes. A few
leads have no history (and no assigned_at), as when the CRM does not track the field.
"""

from __future__ import annotations

import numpy as np

from handoff.schema import TIERS
from handoff.sources.generator.clock import BUSINESS_DAY, POLICY, Clock
from handoff.sources.generator.reference import REGIONS, REPS, SOURCES, TEAMS, TZ_INDEX
from handoff.sources.generator.sampling import DAY, MINUTE, NO_TIME, lognormal, pick

UNASSIGNED = -1
INBOUND_QUEUE = -2
PARTNER_QUEUE = -3
"""Owner codes that are not reps: empty, and the queues of reference.QUEUE_IDS (-2 - index)."""

ROUTING_MODES = (0.18, 0.62, 0.20)
"""Shares of leads assigned by a rule at the MQL, within minutes, and after a longer wait."""
ON_SHIFT = 0.45
"""Share of routed leads the round-robin hands only to a rep on shift (business clock): out
of hours these wait for the next opening."""
NEVER_ROUTED = 0.04
STUCK_IN_QUEUE = 0.02
UNTRACKED = 0.05
"""Shares of leads without an owner, left in their queue, and (of the routed) without history."""

REASSIGN_AT_BREACH = np.array([0.14, 0.08, 0.04])
REASSIGN_AT_ESCALATION = np.array([0.35, 0.22, 0.12])
"""By tier: the chance an untouched handoff is moved once its SLA has passed, and (if not
moved then) once the escalation time has passed too."""
BACK_TO_QUEUE = 0.15
ROUTED_AGAIN = 0.6
"""Of the moved handoffs, the share sent back to the queue; of those, the share routed again."""


def _pools(reps: dict) -> list[np.ndarray]:
    """Who can own a lead: one pool per SDR team, then the Americas and EMEA AEs."""
    sdrs = ~reps["is_manager"] & (reps["team"] != TEAMS.index("Enterprise"))
    pools = [np.flatnonzero(sdrs & (reps["team"] == t)) for t in range(len(TEAMS) - 1)]
    aes = np.array([r[3] == "AE" for r in REPS])
    london = reps["tz"] == TZ_INDEX["Europe/London"]
    return pools + [np.flatnonzero(aes & ~london), np.flatnonzero(aes & london)]


def _round_robin(rng, reps: dict, leads: dict, routed_at: np.ndarray, start: int, end: int) -> tuple:
    """Pool and rep per lead: each pool deals its leads in arrival order to the reps still
    with the company (a rep who leaves drops out of the rotation); a few go to a manager."""
    n = len(routed_at)
    pools = _pools(reps)
    region = leads["region"]
    region_pool = np.array([TEAMS.index(r[3]) for r in REGIONS])
    enterprise_pool = np.array([4, 4, 5, -1, -1])  # US East, US West, EMEA, India, ANZ
    to_ae = (leads["segment"] == 2) & (enterprise_pool[region] >= 0) & (rng.random(n) < 0.8)
    pool = np.where(to_ae, enterprise_pool[region], region_pool[region])
    leave_at = np.where(reps["active"], end + DAY, start + (end - start) * rng.uniform(0.45, 0.8, len(REPS))).astype(
        np.int64
    )
    owner = np.full(n, UNASSIGNED)
    for p, members in enumerate(pools):
        idx = np.flatnonzero(pool == p)
        idx = idx[np.argsort(routed_at[idx], kind="stable")]
        turn = np.arange(idx.size) + rng.integers(0, len(members))
        cuts = np.unique(leave_at[members][leave_at[members] < end])
        segment = np.searchsorted(cuts, routed_at[idx], side="right")
        for s in range(len(cuts) + 1):
            part = segment == s
            here = members[leave_at[members] > (cuts[s - 1] if s else start - 1)]
            owner[idx[part]] = here[turn[part] % len(here)]
    managers = np.flatnonzero(reps["is_manager"])
    to_manager = rng.random(n) < 0.012
    owner[to_manager] = managers[rng.integers(0, len(managers), int(to_manager.sum()))]
    reps["leave_at"] = leave_at
    return pool, owner


def _routing_delay(rng, clock: Clock, t: np.ndarray, cal: np.ndarray, direct: bool) -> np.ndarray:
    """When a lead that entered a queue at t reaches its rep (in calendar `cal`)."""
    n = len(t)
    mode = pick(rng, ROUTING_MODES, n) if direct else 1 + (rng.random(n) < 0.5)
    quick = lognormal(rng, 2 * MINUTE, 0.8, n).clip(20, 30 * MINUTE)
    longer = lognormal(rng, 40 * MINUTE, 1.1, n).clip(5 * MINUTE, 3 * BUSINESS_DAY)
    delay = np.select([mode == 0, mode == 1], [0, quick], longer).astype(np.int64)
    on_shift = (mode > 0) & (rng.random(n) < ON_SHIFT)
    return np.where(on_shift, clock.add_business(t, delay, cal), t + delay)


def _changes(lead, t, before, after, slot) -> dict:
    return {"lead": lead, "t": t, "from": before, "to": after, "slot": np.full(len(lead), slot)}


def route_leads(rng, leads: dict, reps: dict, clock: Clock, start: int, end: int) -> None:
    """Queue, first owner and the moment they got the lead (`ready`: when work can start)."""
    n = len(leads["source"])
    routed_at = np.where(leads["has_mql"], leads["mql"], leads["created"])
    pool, rep = _round_robin(rng, reps, leads, routed_at, start, end)
    assigned = _routing_delay(rng, clock, routed_at, reps["calendar"][rep], direct=True)
    partner = leads["source"] == [s.name for s in SOURCES].index("Partner referral")
    queue = np.where(partner, PARTNER_QUEUE, INBOUND_QUEUE)
    fate = rng.random(n)
    unowned = fate < NEVER_ROUTED
    stuck = (fate >= NEVER_ROUTED) & (fate < NEVER_ROUTED + STUCK_IN_QUEUE)
    reached = ~unowned & ~stuck & (assigned <= end)
    tracked = rng.random(n) >= UNTRACKED

    leads["team"] = np.array([TEAMS.index(r[3]) for r in REGIONS])[leads["region"]]
    leads["pool"] = pool
    leads["queue"] = queue
    leads["tracked"] = tracked
    leads["owner"] = np.where(unowned, UNASSIGNED, np.where(reached, rep, queue))
    leads["assigned"] = np.where(reached & tracked, assigned, NO_TIME)
    leads["ready"] = np.where(unowned | stuck, routed_at, assigned)
    idx = np.flatnonzero(reached)
    leads["changes"] = [_changes(idx, assigned[idx], queue[idx], rep[idx], 0)]


def _other_rep(rng, reps: dict, pool: np.ndarray, team: np.ndarray, current: np.ndarray) -> np.ndarray:
    """Another active rep of each lead's pool (a manager's lead goes to the pool's reps; a
    pool with one active rep hands over to the region's SDR team)."""
    out = np.empty_like(current)
    pools = _pools(reps)
    alone = np.array([reps["active"][m].sum() < 2 for m in pools])
    pool = np.where(alone[pool], team, pool)
    for p, members in enumerate(pools):
        idx = np.flatnonzero(pool == p)
        active = members[reps["active"][members]]
        k = len(active)
        pos = np.searchsorted(active, current[idx])
        mine = (pos < k) & (active[np.minimum(pos, k - 1)] == current[idx])
        shift = rng.integers(1, max(k, 2), idx.size)
        out[idx] = active[np.where(mine, pos + shift, rng.integers(0, k, idx.size)) % k]
    return out


def reassign_untouched(rng, leads: dict, reps: dict, clock: Clock, end: int) -> np.ndarray:
    """Move some handoffs their owner left untouched past the SLA (see the module's doc).

    Needs the first touches by the first owners (events.add_first_touch). Updates owner,
    ready and the owner changes; returns the indices of the moved leads, whose first touch
    is to be drawn again for the new worker from `ready`."""
    n = len(leads["source"])
    owner = leads["owner"]
    tier = leads["tier"]
    eligible = leads["has_mql"] & (owner >= 0) & ~leads["self_booked"]
    untouched_until = np.where(leads["contacted"], leads["first_touch"], np.iinfo(np.int64).max)
    cal = reps["calendar"][np.maximum(owner, 0)]
    target = np.array([POLICY.sla_for(t) * MINUTE for t in TIERS], dtype=np.int64)[tier]
    escalation = int(POLICY.escalation_minutes * MINUTE)
    noticed = lognormal(rng, 25 * MINUTE, 1.0, n).clip(MINUTE, BUSINESS_DAY).astype(np.int64)
    mql = np.where(leads["has_mql"], leads["mql"], leads["ready"])
    at_breach = clock.add_business(mql, target + noticed, cal)
    at_escalation = clock.add_business(mql, target + escalation + noticed, cal)
    after_ready = clock.add_business(leads["ready"], noticed, cal)
    at_breach, at_escalation = np.maximum(at_breach, after_ready), np.maximum(at_escalation, after_ready)

    first = eligible & (rng.random(n) < REASSIGN_AT_BREACH[tier]) & (at_breach < untouched_until)
    later = eligible & ~first & (rng.random(n) < REASSIGN_AT_ESCALATION[tier]) & (at_escalation < untouched_until)
    moved_at = np.where(first, at_breach, at_escalation)
    moved = np.flatnonzero((first | later) & (moved_at <= end))
    t = moved_at[moved]
    before = owner[moved]
    queue = leads["queue"][moved]
    to_queue = rng.random(moved.size) < BACK_TO_QUEUE
    new_rep = _other_rep(rng, reps, leads["pool"][moved], leads["team"][moved], before)
    after = np.where(to_queue, queue, new_rep)
    leads["changes"].append(_changes(moved, t, before, after, 1))

    again = _routing_delay(rng, clock, t, reps["calendar"][new_rep], direct=False)
    routed = to_queue & (rng.random(moved.size) < ROUTED_AGAIN) & (again <= end)
    leads["changes"].append(_changes(moved[routed], again[routed], queue[routed], new_rep[routed], 2))
    owner[moved] = np.where(to_queue & ~routed, queue, new_rep)
    leads["ready"][moved] = np.where(routed, again, t)
    return moved


__all__ = ["route_leads", "reassign_untouched"]
