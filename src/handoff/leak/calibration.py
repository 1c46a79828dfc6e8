"""Calibration: leak inputs observed in per-lead facts, with the evidence behind them
(per-bucket counts, Wilson intervals for rates, bootstrap intervals for amounts)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import pandas as pd

from handoff.leak.inputs import BUCKETS, NEVER, LeakInputs, valid_number
from handoff.leak.presets import default_inputs
from handoff.stats import bootstrap_mean_interval, wilson_interval

FACT_COLUMNS = ("speed_bucket", "mql_at", "is_sql", "meeting_in_window", "is_won", "won_amount")
MATURITY_COLUMN = "week_mature"
"""Optional fact: whether the handoff's MQL week is mature (every meeting outcome in it is
known). When the facts carry it, the calibration learns from the mature handoffs only: a
young week's leads have had no time to book, qualify or win, and would pull every rate down
(and its few quick bookers would pull the meeting rate up)."""
METRICS = ("sql", "meeting")
DAYS_PER_MONTH = 365.25 / 12


@dataclass
class Calibration:
    """Inputs calibrated from data, with the evidence behind them.

    `table` has one row per contacted bucket (index `bucket`): n, converted, rate,
    rate_low, rate_high, won, win_rate, win_low, win_high, avg_amount, amount_low,
    amount_high, conversion_multiplier, win_multiplier, value_multiplier, warning.
    """

    inputs: LeakInputs
    table: pd.DataFrame
    warnings: list[str]
    best_bucket: str
    months: float
    metric: str


def _check_facts(facts: pd.DataFrame, metric: str) -> None:
    missing = [c for c in FACT_COLUMNS if c not in facts.columns]
    if missing:
        raise ValueError(f"calibration facts lack column(s): {', '.join(missing)}")
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    unknown = sorted(set(facts["speed_bucket"].dropna().astype(str)) - {*BUCKETS, NEVER})
    if unknown or facts["speed_bucket"].isna().any():
        raise ValueError(f"unknown speed bucket(s) in the facts: {unknown or ['<empty>']}")


def _truthy(series: pd.Series) -> pd.Series:
    """True where the value is true; missing counts as false."""
    return series.astype("boolean").fillna(False).astype(bool)


def mature_only(facts: pd.DataFrame, warnings: list[str]) -> pd.DataFrame:
    """The facts of mature handoffs (all of them when the facts do not say)."""
    if MATURITY_COLUMN not in facts.columns:
        return facts
    mature = _truthy(facts[MATURITY_COLUMN])
    young = int((~mature).sum())
    if young:
        warnings.append(
            f"{young} handoff(s) of MQL weeks that are not mature yet (meeting windows still "
            "open) are left out: the calibration learns from mature handoffs only."
        )
    return facts[mature]


def _converted(facts: pd.DataFrame, metric: str) -> tuple[pd.Series, pd.Series]:
    """(counted, converted) masks: SQL over all leads, or meetings over decided leads."""
    if metric == "sql":
        return pd.Series(True, index=facts.index), _truthy(facts["is_sql"])
    meeting = facts["meeting_in_window"]
    decided = meeting.notna()
    return decided, _truthy(meeting)


def _months(facts: pd.DataFrame, months: float | None, warnings: list[str]) -> float:
    if months is not None:
        if valid_number("months", months) <= 0:
            raise ValueError(f"months must be positive, got {months!r}")
        return float(months)
    times = pd.to_datetime(facts["mql_at"])
    span_days = (times.max() - times.min()).total_seconds() / 86400
    if not span_days > 0:
        warnings.append("The handoffs span no time; MQLs per month is the count of handoffs.")
        return 1.0
    return span_days / DAYS_PER_MONTH


def _bucket_row(group: pd.DataFrame, metric: str, resamples: int, seed: int) -> dict:
    """Counts, rates and intervals of one bucket's leads."""
    counted, converted = _converted(group, metric)
    n = int(counted.sum())
    k = int(converted.sum())
    won_mask = converted & _truthy(group["is_won"])
    won = int(won_mask.sum())
    amounts = pd.to_numeric(group.loc[won_mask, "won_amount"], errors="coerce").dropna().to_numpy(dtype=float)
    rate_low, rate_high = wilson_interval(k, n)
    win_low, win_high = wilson_interval(won, k)
    amount_low, amount_high = bootstrap_mean_interval(amounts, resamples, seed)
    return {
        "n": n,
        "converted": k,
        "rate": k / n if n else math.nan,
        "rate_low": rate_low,
        "rate_high": rate_high,
        "won": won,
        "win_rate": won / k if k else math.nan,
        "win_low": win_low,
        "win_high": win_high,
        "avg_amount": float(amounts.mean()) if amounts.size else math.nan,
        "amount_low": amount_low,
        "amount_high": amount_high,
    }


def _bucket_warning(row: pd.Series, bucket: str, noun: str, min_leads: int, min_wins: int) -> str:
    n, won = int(row["n"]), int(row["won"])
    if n == 0:
        return f"{bucket}: no {noun}; its multipliers are left at 1.0"
    parts = []
    if n < min_leads:
        parts.append(f"only {n} {noun} (fewer than {min_leads}): its rates are unreliable")
    if 0 < won < min_wins:
        parts.append(f"only {won} won deal(s) (fewer than {min_wins}): its average amount is unreliable")
    return f"{bucket}: " + "; ".join(parts) if parts else ""


def _best_bucket(table: pd.DataFrame, min_leads: int, warnings: list[str]) -> str:
    """The reference bucket: the highest conversion among buckets with at least `min_leads`
    leads, so one lucky small bucket does not set the bar; when no bucket is that large,
    the highest among all buckets with leads (with a warning)."""
    large = table[(table.n >= min_leads) & table.rate.notna()]
    if large.empty:
        warnings.append(f"No speed bucket has {min_leads} leads; the reference is the best of the small ones.")
        large = table[table.rate.notna()]
    return str(large.rate.idxmax())


def _relative(values: pd.Series, reference: float, what: str, warnings: list[str]) -> pd.Series:
    """values / reference; 1.0 where a value is unknown (a missing multiplier means 1.0)."""
    if not (reference > 0):
        warnings.append(f"The reference {what} is zero or unknown; {what} multipliers are left at 1.0.")
        return pd.Series(1.0, index=values.index)
    return (values / reference).fillna(1.0)


def _pooled_reference(
    table: pd.DataFrame, best: str, column: str, weights: str, what: str, warnings: list[str]
) -> float:
    """The best bucket's value, or the pooled value over all buckets when it has none."""
    value = table.at[best, column]
    if value > 0:
        return float(value)
    w = table[weights].where(table[column].notna(), 0)
    if w.sum() == 0:
        return math.nan
    warnings.append(f"The reference bucket {best} has no {what}; the {what} of all buckets together is the reference.")
    return float((table[column].fillna(0) * w).sum() / w.sum())


def _add_multipliers(table: pd.DataFrame, best: str, warnings: list[str]) -> tuple[float, float]:
    """Adds the three multiplier columns; returns the reference win rate and amount (NaN
    when the data has none)."""
    best_win = _pooled_reference(table, best, "win_rate", "converted", "win rate", warnings)
    best_amount = _pooled_reference(table, best, "avg_amount", "won", "won amount", warnings)
    table["conversion_multiplier"] = _relative(table.rate, table.at[best, "rate"], "conversion", warnings)
    table["win_multiplier"] = _relative(table.win_rate, best_win, "win rate", warnings)
    table["value_multiplier"] = _relative(table.avg_amount, best_amount, "contract value", warnings)
    return best_win, best_amount if best_amount > 0 else math.nan


def _uncounted_wins(contacted: pd.DataFrame, metric: str) -> int:
    """Won leads left out of the win rate because they did not convert."""
    counted, converted = _converted(contacted, metric)
    return int((_truthy(contacted["is_won"]) & counted & ~converted).sum())


def calibrate(
    facts: pd.DataFrame,
    months: float | None = None,
    metric: str = "sql",
    min_leads: int = 30,
    seed: int = 0,
    *,
    min_wins: int = 10,
    resamples: int = 1000,
    base: LeakInputs | None = None,
) -> Calibration:
    """Leak inputs observed in per-lead facts (one row per handoff; see FACT_COLUMNS).

    Conversion is the SQL rate, or with metric="meeting" the meeting-in-window rate over
    leads whose window has closed. Win rate is won / converted, counting won deals among
    the converted leads only, so conversion x win rate is the lead's chance of a win.
    Multipliers are relative to the best bucket (see `_best_bucket`); its rates become
    best_conversion, win_rate and contract_value. MQLs per month are handoffs over
    `months`, by default the span from the first to the last mql_at. Cost per lead and any
    scenario come from `base` (default_inputs() when not given). Facts with a `week_mature`
    column are first cut to the mature handoffs (MATURITY_COLUMN).
    """
    _check_facts(facts, metric)
    warnings: list[str] = []
    if facts.empty:
        raise ValueError("no handoffs to calibrate from")
    facts = mature_only(facts, warnings)
    if facts.empty:
        raise ValueError(
            "no handoffs of a mature MQL week to calibrate from (every week still has meeting windows open)"
        )
    contacted = facts[facts["speed_bucket"] != NEVER]
    if contacted.empty:
        raise ValueError("no contacted handoffs: speed buckets cannot be calibrated")
    noun = "leads" if metric == "sql" else "leads with a closed meeting window"
    rows = {}
    for i, bucket in enumerate(BUCKETS):
        group = contacted[contacted["speed_bucket"] == bucket]
        rows[bucket] = _bucket_row(group, metric, resamples, seed + i)
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "bucket"
    table["warning"] = [_bucket_warning(table.loc[b], b, noun, min_leads, min_wins) for b in BUCKETS]
    warnings.extend(w for w in table["warning"] if w)

    best = _best_bucket(table, min_leads, warnings)
    best_win, best_amount = _add_multipliers(table, best, warnings)
    stray = _uncounted_wins(contacted, metric)
    if stray:
        warnings.append(f"{stray} won lead(s) did not convert by the {metric} measure and are not counted as wins.")

    span = _months(facts, months, warnings)
    counts = contacted["speed_bucket"].value_counts()
    base = base or default_inputs()
    inputs = replace(
        base,
        mqls_per_month=len(facts) / span,
        never_contacted_share=float((facts["speed_bucket"] == NEVER).mean()),
        bucket_shares={b: float(counts.get(b, 0)) / len(contacted) for b in BUCKETS},
        best_conversion=float(table.at[best, "rate"]),
        win_rate=0.0 if math.isnan(best_win) else best_win,
        contract_value=base.contract_value if math.isnan(best_amount) else best_amount,
        conversion_multipliers=table["conversion_multiplier"].to_dict(),
        win_multipliers=table["win_multiplier"].to_dict(),
        value_multipliers=table["value_multiplier"].to_dict(),
    )
    return Calibration(inputs=inputs, table=table, warnings=warnings, best_bucket=best, months=span, metric=metric)
