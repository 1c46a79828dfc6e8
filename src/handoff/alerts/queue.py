"""The alerts of one run: the breach queue's leads at as_of, each at its current stage."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from handoff.model import Filters, Model
from handoff.policy import ALERT_STAGES


@dataclass(frozen=True)
class Alert:
    """One lead of the breach queue at its current stage (text fields as the data has them:
    escaped only where they are drawn)."""

    lead_id: str
    stage: str
    tier: str
    mql_at: datetime
    elapsed_business_minutes: float
    sla_target_business_minutes: float
    minutes_left: float
    owner_id: str | None = None
    owner_name: str | None = None
    company: str | None = None
    title: str | None = None
    source: str | None = None
    crm_url: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (self.lead_id, self.stage)


def stage_rank(stage: str) -> int:
    return ALERT_STAGES.index(stage)


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value)
    return text if text.strip() else None


def _utc(value: Any) -> datetime:
    ts = pd.Timestamp(value)
    ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
    return ts.to_pydatetime().astimezone(UTC)


def _number(value: Any) -> float:
    return float(value) if value is not None and not pd.isna(value) else 0.0


def current_alerts(
    model: Model, warn_minutes: float, stages: list[str] | tuple[str, ...] = ALERT_STAGES
) -> list[Alert]:
    """The call list at the model's as_of as alerts, oldest MQL first, keeping the stages
    the policy sends."""
    from handoff.model.views import call_list

    frame = call_list(model, Filters(), warn_minutes=warn_minutes)
    alerts = []
    for row in frame.to_dict(orient="records"):
        stage = str(row["stage"])
        if stage not in stages:
            continue
        alerts.append(
            Alert(
                lead_id=str(row["lead_id"]),
                stage=stage,
                tier=str(row["tier"]),
                mql_at=_utc(row["mql_at"]),
                elapsed_business_minutes=_number(row["elapsed_business_minutes"]),
                sla_target_business_minutes=_number(row["sla_target_business_minutes"]),
                minutes_left=_number(row["minutes_left"]),
                owner_id=_text(row.get("owner_id")),
                owner_name=_text(row.get("owner_name")),
                company=_text(row.get("company")),
                title=_text(row.get("title")),
                source=_text(row.get("source")),
                crm_url=_text(row.get("crm_url")),
            )
        )
    return alerts
