"""Erlang C against published values, an exact rational formula, and a simulated queue."""

from __future__ import annotations

import heapq
import math
from fractions import Fraction

import numpy as np
import pytest

from handoff.staffing.erlang import answered_within, erlang_b, servers_needed, wait_probability


def exact_wait_probability(c: int, a: Fraction) -> Fraction:
    """DESIGN.md's formula, literally, in exact rationals (slow, but no rounding at all):
    P_wait = (A^c/c! x c/(c-A)) / (sum_{k<c} A^k/k! + A^c/c! x c/(c-A))."""
    top = a**c / math.factorial(c) * Fraction(c) / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


# -- published references -------------------------------------------------------------------------
@pytest.mark.parametrize("c,published", [(11, 0.6821), (12, 0.4494), (13, 0.2853)])
def test_textbook_table_for_ten_erlangs(c, published):
    """The classic table for A = 10 Erlangs, checked first against the exact formula."""
    exact = float(exact_wait_probability(c, Fraction(10)))
    assert exact == pytest.approx(published, abs=5e-5)  # the table is right to its 4 decimals
    assert wait_probability(c, 10.0) == pytest.approx(exact, rel=1e-12)


def test_pyworkforce_published_example():
    """pyworkforce's README: 100 transactions per 30 minutes, AHT 3 min, ASA 20 s, 80%
    service level -> 14 raw positions. Load A = 100/30 per min x 3 min = 10 Erlangs."""
    load = 100 / 30 * 3
    assert servers_needed(load, minutes=20 / 60, handle=3, level=0.80) == 14
    assert answered_within(13, load, 20 / 60, 3) < 0.80 <= answered_within(14, load, 20 / 60, 3)


def test_erlang_b_recursion_matches_its_closed_form():
    """B(c, A) = (A^c/c!) / sum_{k<=c} A^k/k!, exactly, for A = 7/2 and c = 6."""
    a, c = Fraction(7, 2), 6
    exact = (a**c / math.factorial(c)) / sum(a**k / math.factorial(k) for k in range(c + 1))
    assert erlang_b(c, 3.5) == pytest.approx(float(exact), rel=1e-13)


# -- large loads ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("c", [501, 510, 520, 560])
def test_stable_for_five_hundred_erlangs(c):
    """A^c / c! overflows a float here (520! > 1e308); the recursion does not, and it agrees
    with the exact rational formula."""
    with pytest.raises(OverflowError):
        float(math.factorial(c))
    got = wait_probability(c, 500.0)
    assert 0 < got < 1 and math.isfinite(got)
    assert got == pytest.approx(float(exact_wait_probability(c, Fraction(500))), rel=1e-9)


def test_servers_needed_at_five_hundred_erlangs_is_the_least_that_reaches_the_level():
    need = servers_needed(500.0, minutes=5, handle=10, level=0.8)
    assert 500 < need < 600
    assert answered_within(need, 500.0, 5, 10) >= 0.8 > answered_within(need - 1, 500.0, 5, 10)


def test_edge_cases_of_the_definition():
    assert answered_within(3, 0.0, 5, 10) == 1.0  # lambda = 0: everyone is answered at once
    assert servers_needed(0.0, 5, 10, 0.8) == 0
    assert answered_within(2, 2.0, 5, 10) == 0.0  # c <= A: unstable
    assert answered_within(0, 0.5, 5, 10) == 0.0
    assert wait_probability(2, 3.0) == 1.0
    with pytest.raises(ValueError):
        servers_needed(1.0, 5, 10, 1.0)  # 100% within a finite time needs infinitely many
    with pytest.raises(ValueError):
        wait_probability(-1, 1.0)


def test_service_level_rises_with_servers():
    levels = [answered_within(c, 7.3, 5, 10) for c in range(0, 30)]
    assert levels == sorted(levels)


# -- against a simulated queue -------------------------------------------------------------------------
def simulate(servers: int, load: float, handle: float, minutes: float, arrivals: int, seed: int) -> tuple[float, float]:
    """A seeded M/M/c first-come-first-served queue: (share that waited, share answered
    within `minutes`), over `arrivals` arrivals after the first 5% (warm-up)."""
    rng = np.random.default_rng(seed)
    rate = load / handle
    times = np.cumsum(rng.exponential(1 / rate, arrivals))
    services = rng.exponential(handle, arrivals)
    free = [0.0] * servers  # when each server is next free
    heapq.heapify(free)
    waited = within = counted = 0
    skip = arrivals // 20
    for i, (t, s) in enumerate(zip(times, services)):
        start = max(t, heapq.heappop(free))
        heapq.heappush(free, start + s)
        if i >= skip:
            counted += 1
            waited += start > t
            within += start - t <= minutes
    return waited / counted, within / counted


@pytest.mark.parametrize("servers,load", [(1, 0.5), (3, 2.0), (6, 4.5), (12, 9.0)])
def test_matches_a_simulated_queue(servers, load):
    """200,000 simulated arrivals per case; tolerance +-0.02 on both shares (the
    simulation's own standard error is well under 0.01 at these loads)."""
    handle, minutes = 10.0, 5.0
    waited, within = simulate(servers, load, handle, minutes, 200_000, seed=servers)
    assert waited == pytest.approx(wait_probability(servers, load), abs=0.02)
    assert within == pytest.approx(answered_within(servers, load, minutes, handle), abs=0.02)
