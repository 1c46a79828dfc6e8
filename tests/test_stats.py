"""The shared interval estimates, against published values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from handoff.stats import Z95, bootstrap_mean_interval, wilson_interval

# Newcombe (1998), "Two-sided confidence intervals for the single proportion", Statistics
# in Medicine 17:857-872, Table II, method 3 (score interval without continuity
# correction), to four decimals; and the textbook 0/10, 5/10, 10/10 at z = 1.96.
PUBLISHED = [
    (81, 263, 0.2553, 0.3662),
    (15, 148, 0.0624, 0.1605),
    (0, 20, 0.0000, 0.1611),
    (1, 29, 0.0061, 0.1718),
    (0, 10, 0.0000, 0.2775),
    (5, 10, 0.2366, 0.7634),
    (10, 10, 0.7225, 1.0000),
]


@pytest.mark.parametrize("k,n,low,high", PUBLISHED)
def test_wilson_matches_published_values(k, n, low, high):
    got = wilson_interval(k, n)
    assert got == pytest.approx((low, high), abs=5e-5)


def test_wilson_of_no_trials_is_unknown():
    low, high = wilson_interval(0, 0)
    assert math.isnan(low) and math.isnan(high)


def test_wilson_stays_within_zero_and_one():
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(10, 10)[1] == pytest.approx(1.0)
    low, high = wilson_interval(5, 10)
    assert low + high == pytest.approx(1.0)  # symmetric around one half


def test_wilson_default_is_95_percent():
    assert Z95 == pytest.approx(1.959964, abs=1e-6)
    assert wilson_interval(5, 10) == wilson_interval(5, 10, z=Z95)
    assert wilson_interval(5, 10, z=2.576)[0] < wilson_interval(5, 10)[0]


def test_wilson_on_arrays_is_element_by_element():
    low, high = wilson_interval([81, 0, 5], [263, 0, 10])
    assert isinstance(low, np.ndarray) and low.shape == (3,)
    assert (low[0], high[0]) == wilson_interval(81, 263)
    assert math.isnan(low[1]) and math.isnan(high[1])
    assert (low[2], high[2]) == wilson_interval(5, 10)


def test_bootstrap_interval_holds_the_mean_and_repeats_with_the_seed():
    values = np.array([1000.0, 3000.0, 2000.0, 5000.0])
    low, high = bootstrap_mean_interval(values, seed=1)
    assert 1000 <= low < values.mean() < high <= 5000
    assert bootstrap_mean_interval(values, seed=1) == (low, high)
    assert bootstrap_mean_interval([2000.0] * 5) == (2000.0, 2000.0)
    assert all(math.isnan(v) for v in bootstrap_mean_interval([]))
