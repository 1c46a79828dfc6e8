"""The revenue-leak model: what slow and missing follow-up costs, in pure functions.

Every lead falls in one speed bucket (or `never`). A bucket converts at c_b = c* x m_b
(c_never = 0), wins at w_b = w* x v_b and closes at A_b = A* x a_b. The ideal has every
lead at c*, w* and A*; the gap between ideal and current revenue splits exactly into
conversion decline, competitive displacement and deal value compression. Marketing waste
(spend on never-contacted leads) is shown beside the gap, not inside it.

Nothing here reads a database or draws anything: the CLI and the app pass numbers in and
get numbers out, so they agree. The modules:

- `inputs`: the inputs, their validation, labels and JSON form;
- `formulas`: the leak, its exact split, marketing waste and recovery;
- `presets`: multiplier curves from published figures, and the default inputs;
- `tornado` and `explanation`: what moves the result (sensitivity), and what it takes as
  given (assumptions, in plain words);
- `calibration`: inputs observed in per-lead facts.
"""

from handoff.leak.calibration import DAYS_PER_MONTH, FACT_COLUMNS, METRICS, Calibration, calibrate
from handoff.leak.explanation import assumptions
from handoff.leak.formulas import (
    DIMENSIONS,
    KEYS,
    RESULT_LABELS,
    RESULT_NOTES,
    annual_recovery,
    breakdown,
    bucket_rates,
    compute,
    ideal_revenue,
    lead_shares,
    monthly_leak,
    revenue,
    scenario_inputs,
)
from handoff.leak.inputs import (
    BUCKETS,
    FAMILIES,
    FRACTIONS,
    LABELS,
    NEVER,
    REQUIRED,
    SCALARS,
    LeakInputs,
    Scenario,
    inputs_from_json,
    inputs_to_json,
    scenario_from_json,
)
from handoff.leak.presets import (
    DEFAULT_BUCKET_SHARES,
    DEFAULT_PRESET,
    PRESETS,
    Preset,
    apply_preset,
    default_inputs,
    preset,
)
from handoff.leak.tornado import sensitivity

__all__ = [
    "BUCKETS",
    "DAYS_PER_MONTH",
    "DEFAULT_BUCKET_SHARES",
    "DEFAULT_PRESET",
    "DIMENSIONS",
    "FACT_COLUMNS",
    "FAMILIES",
    "FRACTIONS",
    "KEYS",
    "LABELS",
    "METRICS",
    "NEVER",
    "PRESETS",
    "REQUIRED",
    "RESULT_LABELS",
    "RESULT_NOTES",
    "SCALARS",
    "Calibration",
    "LeakInputs",
    "Preset",
    "Scenario",
    "annual_recovery",
    "apply_preset",
    "assumptions",
    "breakdown",
    "bucket_rates",
    "calibrate",
    "compute",
    "default_inputs",
    "ideal_revenue",
    "inputs_from_json",
    "inputs_to_json",
    "lead_shares",
    "monthly_leak",
    "preset",
    "revenue",
    "scenario_from_json",
    "scenario_inputs",
    "sensitivity",
]
