"""Erlang C for an M/M/c queue, in plain Python: no factorials, stable for large loads.

A queue of leads waiting for their first touch: leads arrive at `rate` per minute, a first
touch occupies an SDR for `handle` minutes on average, so the offered load is
A = rate x handle Erlangs; `servers` SDRs answer them first come, first served.

- Erlang B by its recursion, B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)), which stays in
  (0, 1] for any load (A^c / c! overflows a float from c = 171 on);
- Erlang C, the chance a lead waits, C = c B / (c - A (1 - B)) for c > A (1 when c <= A:
  the queue grows without end);
- the share answered within t minutes, P(W <= t) = 1 - C exp(-(c - A) t / handle);
- the least number of servers that answers a target share within t.

Nothing here reads data or knows about leads: numbers in, numbers out.
"""

from __future__ import annotations

import math

__all__ = ["erlang_b", "wait_probability", "answered_within", "servers_needed"]


def erlang_b(servers: int, load: float) -> float:
    """The Erlang B blocking probability of `servers` servers offered `load` Erlangs."""
    _check(servers, load)
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    return b


def _c_from_b(servers: int, load: float, b: float) -> float:
    return servers * b / (servers - load * (1.0 - b))


def wait_probability(servers: int, load: float) -> float:
    """Erlang C: the chance an arrival waits (0 without load; 1 when servers <= load)."""
    _check(servers, load)
    if load == 0:
        return 0.0
    if servers <= load:
        return 1.0
    return _c_from_b(servers, load, erlang_b(servers, load))


def answered_within(servers: int, load: float, minutes: float, handle: float) -> float:
    """P(W <= minutes): the share of arrivals answered within `minutes` of arriving.

    1 without load (nobody waits); 0 when servers <= load (the queue is unstable and
    every wait grows without bound); else 1 - C exp(-(servers - load) minutes / handle).
    """
    _check(servers, load)
    if handle <= 0:
        raise ValueError(f"the handling time must be positive, got {handle!r}")
    if load == 0:
        return 1.0
    if servers <= load:
        return 0.0
    if math.isinf(minutes):
        return 1.0
    return 1.0 - wait_probability(servers, load) * math.exp(-(servers - load) * minutes / handle)


def servers_needed(load: float, minutes: float, handle: float, level: float) -> int:
    """The least number of servers c with P(W <= minutes) >= level (0 without load).

    Walks c upward with the Erlang B recursion, so each step costs O(1).
    """
    _check(0, load)
    if not 0 <= level < 1:
        raise ValueError(f"the service level must lie in [0, 1), got {level!r}")
    if handle <= 0:
        raise ValueError(f"the handling time must be positive, got {handle!r}")
    if load == 0:
        return 0
    b, c = 1.0, 0
    while True:
        c += 1
        b = load * b / (c + load * b)
        if c > load:
            served = 1.0 - _c_from_b(c, load, b) * math.exp(-(c - load) * minutes / handle)
            if served >= level:
                return c


def _check(servers: int, load: float) -> None:
    if servers < 0 or int(servers) != servers:
        raise ValueError(f"servers must be a whole number >= 0, got {servers!r}")
    if not (load >= 0 and math.isfinite(load)):
        raise ValueError(f"the load must be a finite number >= 0, got {load!r}")
