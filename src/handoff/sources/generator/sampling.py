"""Time units and vectorised random draws for the simulation.

Times are int64 seconds since the Unix epoch in UTC; NO_TIME marks an event that did not
happen (an empty timestamp in the tables).
"""

from __future__ import annotations

import numpy as np

MINUTE = 60
HOUR = 3600
DAY = 86400
NO_TIME = np.iinfo(np.int64).min


def pick(rng: np.random.Generator, weights, size: int) -> np.ndarray:
    """Indices drawn with the given (unnormalised) weights."""
    cum = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cum / cum[-1], rng.random(size), side="right").clip(0, len(cum) - 1)


def pick_by_group(rng: np.random.Generator, groups: np.ndarray, weights_per_group) -> np.ndarray:
    """For each item, an index drawn with the weights of the item's group."""
    u = rng.random(len(groups))
    out = np.zeros(len(groups), dtype=np.int64)
    for g, weights in enumerate(weights_per_group):
        idx = np.flatnonzero(groups == g)
        if idx.size:
            cum = np.cumsum(np.asarray(weights, dtype=float))
            out[idx] = np.searchsorted(cum / cum[-1], u[idx], side="right").clip(0, len(cum) - 1)
    return out


def lognormal(rng: np.random.Generator, median, sigma, size: int) -> np.ndarray:
    return np.asarray(median) * np.exp(sigma * rng.standard_normal(size))


def positions_in_group(counts: np.ndarray) -> np.ndarray:
    """Position of each item within its group, for items laid out with np.repeat(counts)."""
    total = int(counts.sum())
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    return np.arange(total) - starts
