"""The availability that makes the model's predicted compliance equal the observed one.

Predicted compliance is a non-decreasing step function of the availability a: each hour
gets floor(on_duty x a) servers, and more servers never answer fewer leads in time. So the
answer is the least a in (0, 1] whose prediction reaches the observed compliance, found by
bisection (60 halvings: far below any step). It reads "your SDRs answer new leads as if a
of their hour were free for them".

When even a = 1 predicts less than what was observed (leads are answered in hours the
model counts nobody, or faster than the touch time says), the fit is `above` and a = 1;
when a prediction of the smallest availability already reaches it, the fit is `below` and
a is that smallest availability (1%).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

from handoff.staffing.plan import Settings, predicted_by_hour, weighted_mean

LOWEST = 0.01
STEPS = 60

__all__ = ["Fit", "calibrate_availability", "LOWEST"]


@dataclass(frozen=True)
class Fit:
    """The calibrated availability, the compliance it predicts, and how it fits:
    `fit` (reached), `above` (observed beyond any availability), `below` (reached at the
    lowest availability), or `none` (nothing observed or no arrivals)."""

    availability: float | None
    predicted: float | None
    observed: float | None
    status: str


def calibrate_availability(arrivals_per_week, on_duty, settings: Settings, observed: float | None) -> Fit:
    if observed is None:
        return Fit(None, None, None, "none")

    def predicted(a: float) -> float | None:
        return weighted_mean(
            arrivals_per_week, predicted_by_hour(arrivals_per_week, on_duty, replace(settings, availability=a))
        )

    top = predicted(1.0)
    if top is None:
        return Fit(None, None, observed, "none")

    def known(a: float) -> float:
        # predicted() is None only without arrivals, which do not depend on the availability:
        # with top a number, so is every other prediction.
        return cast(float, predicted(a))

    if top < observed:
        return Fit(1.0, top, observed, "above")
    bottom = known(LOWEST)
    if bottom >= observed:
        return Fit(LOWEST, bottom, observed, "below")
    low, high = LOWEST, 1.0  # predicted(low) < observed <= predicted(high)
    for _ in range(STEPS):
        mid = (low + high) / 2
        if known(mid) >= observed:
            high = mid
        else:
            low = mid
    return Fit(high, known(high), observed, "fit")
