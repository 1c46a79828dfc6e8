"""Interval estimates shared by the model views and the revenue-leak calibration.

Written out rather than taken from scipy, which is not a dependency; one definition
each, so the dashboard and the leak calibration show the same interval for the same
counts.
"""

from __future__ import annotations

import math

import numpy as np

Z95 = 1.959963984540054
"""The 97.5% quantile of the standard normal: a two-sided 95% interval."""


def wilson_interval(successes, n, z: float = Z95):
    """The Wilson score interval of a proportion, clipped to [0, 1]; NaN where n is 0.

    Scalars give a `(low, high)` pair of floats; arrays (or Series) give a pair of arrays,
    element by element.
    """
    k = np.asarray(successes, dtype=float)
    trials = np.asarray(n, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / trials
        denominator = 1 + z * z / trials
        centre = (p + z * z / (2 * trials)) / denominator
        half = z * np.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    low = np.where(trials > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    high = np.where(trials > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    if low.ndim == 0:
        return float(low), float(high)
    return low, high


def bootstrap_mean_interval(values, resamples: int = 1000, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap 95% interval of a mean (NaN, NaN without values)."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return (math.nan, math.nan)
    rng = np.random.default_rng(seed)
    means = rng.choice(values, size=(resamples, values.size), replace=True).mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return (float(low), float(high))
