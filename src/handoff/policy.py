"""The SLA policy: `handoff.toml`, validated, with the defaults of the design.

```toml
timezone = "America/New_York"        # company timezone (default UTC)
holiday_country = "US"               # company holiday country (default none)
holiday_subdivision = "CA"           # optional

[business_hours]
start = "09:00"
end = "17:00"
days = ["Mon", "Tue", "Wed", "Thu", "Fri"]

[sla_minutes]                        # business minutes per tier
high = 5
medium = 60
low = 480

[tier_map]                           # source -> tier, case-insensitive
"Demo request" = "high"
```
"""

from __future__ import annotations

import tomllib
import zoneinfo
from datetime import time
from pathlib import Path
from typing import Any

import holidays
import pycountry
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from handoff.schema import TIERS

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DEFAULT_TIER_MAP = {
    "demo request": "high",
    "contact sales": "high",
    "pricing page": "high",
    "free trial": "medium",
}
DEFAULT_CODES = ["Qualified", "Wrong Persona", "Wrong Timing", "Bad Fit", "Unresponsive"]


def valid_timezone(name: str) -> str:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown timezone {name!r} (use an IANA name such as 'Europe/London')")
    return name


def valid_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code.upper()) is None or len(code) != 2:
        raise ValueError(f"unknown country code {code!r} (use ISO 3166 alpha-2, such as 'GB')")
    return code.upper()


class BusinessHours(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: time = time(9, 0)
    end: time = time(17, 0)
    days: list[str] = Field(default_factory=lambda: list(DAY_NAMES[:5]))

    @field_validator("days")
    @classmethod
    def _days(cls, days: list[str]) -> list[str]:
        out = []
        for d in days:
            name = d.strip()[:3].title()
            if name not in DAY_NAMES:
                raise ValueError(f"unknown day {d!r} (use Mon, Tue, ... Sun)")
            out.append(name)
        if not out:
            raise ValueError("business_hours.days is empty: at least one business day is needed")
        return out

    @model_validator(mode="after")
    def _order(self) -> "BusinessHours":
        if self.end <= self.start:
            raise ValueError(
                f"business_hours.end ({self.end:%H:%M}) must be after business_hours.start "
                f"({self.start:%H:%M})"
            )
        return self

    @property
    def weekdays(self) -> list[int]:
        return [DAY_NAMES.index(d) for d in self.days]

    @property
    def day_minutes(self) -> float:
        return (self.end.hour * 60 + self.end.minute) - (self.start.hour * 60 + self.start.minute)


class SlaMinutes(BaseModel):
    model_config = ConfigDict(extra="forbid")
    high: float = Field(5, gt=0)
    medium: float = Field(60, gt=0)
    low: float = Field(480, gt=0)


class Bands(BaseModel):
    model_config = ConfigDict(extra="forbid")
    excellent: float = 0.40
    acceptable: float = 0.25
    below_average: float = 0.15

    @model_validator(mode="after")
    def _order(self) -> "Bands":
        if not (1 >= self.excellent >= self.acceptable >= self.below_average >= 0):
            raise ValueError("bands must satisfy 1 >= excellent >= acceptable >= below_average >= 0")
        return self

    def band(self, rate: float | None) -> str | None:
        if rate is None or rate != rate:
            return None
        if rate >= self.excellent:
            return "excellent"
        if rate >= self.acceptable:
            return "acceptable"
        if rate >= self.below_average:
            return "below average"
        return "critical"


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    timezone: str = "UTC"
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    business_hours: BusinessHours = Field(default_factory=BusinessHours)
    sla_minutes: SlaMinutes = Field(default_factory=SlaMinutes)
    tier_map: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_TIER_MAP))
    meeting_window_days: float = Field(10, gt=0)
    cadence_target: int = Field(6, ge=1)
    disposition_sla_hours: float = Field(48, gt=0)
    disposition_codes: list[str] = Field(default_factory=lambda: list(DEFAULT_CODES))
    accepting_code: str = "Qualified"
    acceptance_target: float = Field(0.70, ge=0, le=1)
    bands: Bands = Field(default_factory=Bands)
    salesforce: dict[str, Any] = Field(default_factory=dict)
    hubspot: dict[str, Any] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        return valid_timezone(v)

    @field_validator("holiday_country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        if not v:
            return None
        v = valid_country(v)
        if v not in holidays.list_supported_countries():
            raise ValueError(f"no public-holiday calendar for country {v!r} in the holidays package")
        return v

    @field_validator("tier_map", mode="after")
    @classmethod
    def _tiers(cls, v: dict[str, str]) -> dict[str, str]:
        out = dict(DEFAULT_TIER_MAP)
        for source, tier in v.items():
            t = str(tier).strip().lower()
            if t not in TIERS:
                raise ValueError(f"unknown tier {tier!r} for source {source!r} (use high, medium or low)")
            out[source.strip().lower()] = t
        return out

    @model_validator(mode="after")
    def _codes(self) -> "Policy":
        if self.accepting_code not in self.disposition_codes:
            raise ValueError(
                f"accepting_code {self.accepting_code!r} is not one of disposition_codes "
                f"{self.disposition_codes}"
            )
        if self.holiday_subdivision and self.holiday_country:
            subdivs = holidays.country_holidays(self.holiday_country).subdivisions
            if self.holiday_subdivision not in subdivs:
                raise ValueError(
                    f"holiday_subdivision {self.holiday_subdivision!r} is not a subdivision of "
                    f"{self.holiday_country}"
                )
        return self

    def sla_for(self, tier: str) -> float:
        return getattr(self.sla_minutes, tier)

    @property
    def window_business_minutes(self) -> float:
        return self.meeting_window_days * self.business_hours.day_minutes

    def summary(self) -> list[tuple[str, str]]:
        """The policy in plain words, one (setting, value) per line, for people to read."""
        hours = self.business_hours
        tiers = {"high": [], "medium": [], "low": []}
        for source, tier in sorted(self.tier_map.items()):
            tiers[tier].append(source)
        return [
            ("Company timezone", self.timezone),
            ("Public holidays", " / ".join(filter(None, [self.holiday_country, self.holiday_subdivision])) or "none"),
            ("Business hours", f"{', '.join(hours.days)} {hours.start:%H:%M}-{hours.end:%H:%M} (each rep's local time)"),
            *[(f"SLA, {tier} tier", f"{self.sla_for(tier):g} business minutes") for tier in ("high", "medium", "low")],
            *[(f"Sources of {tier} tier", ", ".join(srcs) or "(none)") for tier, srcs in tiers.items() if tier != "low"],
            ("Other sources", "low tier"),
            ("Meeting window", f"{self.meeting_window_days:g} business days"),
            ("Cadence target", f"{self.cadence_target} touches in the meeting window"),
            ("Disposition SLA", f"{self.disposition_sla_hours:g} hours (wall clock)"),
            ("Disposition codes", ", ".join(self.disposition_codes)),
            ("Acceptance", f"{self.accepting_code}; target {self.acceptance_target:.0%}"),
            ("Handoff-to-meeting bands", f"excellent >= {self.bands.excellent:.0%}, acceptable >= "
             f"{self.bands.acceptable:.0%}, below average >= {self.bands.below_average:.0%}, else critical"),
        ]

    def connector_config(self, crm: str) -> dict[str, Any]:
        """A connector's `[salesforce]`/`[hubspot]` table, with the policy's disposition codes
        unless the table names its own."""
        table = dict(getattr(self, crm))
        table.setdefault("disposition_codes", list(self.disposition_codes))
        return table

    def sql_params(self) -> dict[str, Any]:
        """The policy's numbers as DuckDB `$name` parameters for the model's SQL."""
        return {
            "sla_high": float(self.sla_minutes.high),
            "sla_medium": float(self.sla_minutes.medium),
            "sla_low": float(self.sla_minutes.low),
            "window_minutes": float(self.window_business_minutes),
            "disposition_sla_hours": float(self.disposition_sla_hours),
            "accepting_code": self.accepting_code,
            "cadence_target": int(self.cadence_target),
        }


def load_policy(path: str | Path | None = None) -> Policy:
    """Read `handoff.toml` (or the defaults when there is none) with readable errors."""
    if path is None:
        path = Path("handoff.toml")
        if not path.exists():
            return Policy()
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"policy file not found: {path}")
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}")
    return policy_from_dict(data, origin=str(path))


def policy_from_dict(data: dict[str, Any], origin: str = "policy") -> Policy:
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                key = err["loc"][-1]
                msg = (
                    f"unknown tier {key!r} (tiers are high, medium, low)"
                    if err["loc"][0] == "sla_minutes"
                    else f"unknown setting {key!r}"
                )
            lines.append(f"  {where}: {msg}")
        raise ValueError(f"{origin}: invalid policy\n" + "\n".join(lines)) from None
