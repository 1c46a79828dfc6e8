"""The SLA policy: `handoff.toml`, validated, with the defaults of the design.

```toml
timezone = "America/New_York"        # company timezone, an IANA name (default UTC)
holiday_country = "US"               # company holiday country (default none)
holiday_subdivision = "CA"           # optional
valid_from = 2000-01-01              # earliest plausible timestamp (default 2000-01-01; 1970 at the earliest)
valid_to = 2030-12-31                # latest plausible timestamp (default: none, meaning as_of
                                     # + 1 day: an event may not be later than that)

[business_hours]                     # local times of each rep's own timezone
start = "09:00"
end = "17:00"
days = ["Mon", "Tue", "Wed", "Thu", "Fri"]

[sla_minutes]                        # business minutes per tier
high = 5
medium = 60
low = 480

[tier_map]                           # source -> tier, case-insensitive
"Demo request" = "high"

[staffing]                           # coverage and staffing (docs/staffing.md)
weeks = 8                            # full weeks of arrivals before the week of as_of (1 to 104)
minutes_per_first_touch = 10         # S: minutes an SDR spends on one first touch (over 0, at most 480)
service_level = 0.80                 # share to answer within the tier's SLA target (over 0, under 1)
availability = 0.5                   # share of an SDR's hour free for new leads (over 0, at most 1)
cost_per_rep_month = 6000            # what one SDR costs a month, in the policy's currency (0 to 10,000,000)
tier = "high"                        # the tier staffed for by default

currency = "USD"                     # ISO 4217 code of every amount shown to people
cost_per_lead = 350                  # what one MQL costs marketing, in that currency (0 to 1,000,000)
escalation_minutes = 240             # business minutes after the SLA target before a breach escalates

[alerts]                             # `handoff alert` (docs/alerts.md); URLs and passwords are secrets
warn_minutes = 30                    # business minutes before the target a lead enters the warning stage
stages = ["warning", "breached", "escalated"]   # the stages that are sent
email_to = ["sales-managers@example.com"]       # recipients (email is sent only when smtp_host is set)
email_from = "handoff@example.com"
smtp_host = "smtp.example.com"
smtp_port = 587
smtp_user = "handoff"
smtp_starttls = true
```

Every setting is checked strictly, so that a policy that validates also runs: numbers are
numbers (`true` is not 1), finite and within sane bounds (an SLA of at most 100 business
days, a meeting window of at most 60 business days, a cadence target of 1 to 1,000 touches,
a disposition SLA of at most a year, shares between 0 and 1, staffing numbers within the
bounds written beside them above); day names are Mon..Sun or
Monday..Sunday, each once; business hours are local times without an offset, in whole
minutes; the timezone is a real IANA name; disposition codes are distinct even ignoring
case, spaces and underscores. `valid_from` and `valid_to` bound the timestamps the file
import accepts (`valid_from` also bounds `--as-of`). Secrets never belong here: a
`[salesforce]` or `[hubspot]` key named like one (password, token, secret, api key) is
refused; they go in `.streamlit/secrets.toml` or the environment.
"""

from __future__ import annotations

import re
import tomllib
import zoneinfo
from datetime import date, time
from functools import cache
from pathlib import Path
from typing import Annotated, Any

import holidays
import pycountry
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from handoff.schema import TIERS

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FULL_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DAYS_BY_NAME = {
    n.lower(): short for names in (DAY_NAMES, FULL_DAY_NAMES) for n, short in zip(names, DAY_NAMES, strict=True)
}
DEFAULT_TIER_MAP = {
    "demo request": "high",
    "contact sales": "high",
    "pricing page": "high",
    "free trial": "medium",
}
DEFAULT_CODES = ["Qualified", "Wrong Persona", "Wrong Timing", "Bad Fit", "Unresponsive"]

# Bounds that keep every valid policy runnable (the calendar grows with these).
MAX_SLA_BUSINESS_DAYS = 100
MAX_WINDOW_DAYS = 60
EARLIEST_VALID_FROM = date(1970, 1, 1)

# Strict numbers: `true` is not 1, and inf, nan and 1e300 never pass the bounds.
Minutes = Annotated[float, Field(strict=True, gt=0, le=MAX_SLA_BUSINESS_DAYS * 24 * 60, allow_inf_nan=False)]
Share = Annotated[float, Field(strict=True, ge=0, le=1, allow_inf_nan=False)]

# zoneinfo keys that are files of the local system, not IANA zone names.
NOT_IANA = {"localtime", "posixrules", "Factory"}
# Words that mark a connector key as a secret (which handoff.toml must never hold).
SECRET_WORDS = ("password", "passwd", "token", "secret", "apikey", "api_key", "private_key")


@cache
def iana_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones() - NOT_IANA) | {"UTC"}


def valid_timezone(name: str) -> str:
    if name not in iana_timezones():
        raise ValueError(f"unknown timezone {name!r} (use an IANA name such as 'Europe/London')")
    return name


def valid_country(code: str) -> str:
    if pycountry.countries.get(alpha_2=code.upper()) is None or len(code) != 2:
        raise ValueError(f"unknown country code {code!r} (use ISO 3166 alpha-2, such as 'GB')")
    return code.upper()


def normalise_code(text: str) -> str:
    """A disposition code (or a CRM value) as codes are matched everywhere (file import,
    connectors, policy validation): case, whitespace and underscores ignored, so
    `WRONG_PERSONA` and `wrong persona` are Wrong Persona."""
    return re.sub(r"[\s_]+", "", str(text)).lower()


code_key = normalise_code  # the former name


def looks_secret(key: str) -> bool:
    return any(word in key.lower() for word in SECRET_WORDS)


class BusinessHours(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: time = time(9, 0)
    end: time = time(17, 0)
    days: list[str] = Field(default_factory=lambda: list(DAY_NAMES[:5]))

    @field_validator("start", "end", mode="before")
    @classmethod
    def _time_text(cls, v: Any) -> Any:
        if not isinstance(v, (str, time)):
            raise ValueError('write a time as text, such as "09:00"')
        return v

    @field_validator("start", "end")
    @classmethod
    def _local_minutes(cls, v: time) -> time:
        if v.tzinfo is not None:
            raise ValueError(f"business hours are local times; write {v:%H:%M}")
        if v.second or v.microsecond:
            raise ValueError(f"business hours are whole minutes; write {v:%H:%M}")
        return v

    @field_validator("days")
    @classmethod
    def _days(cls, days: list[str]) -> list[str]:
        out = []
        for d in days:
            name = DAYS_BY_NAME.get(d.strip().lower())
            if name is None:
                raise ValueError(f"unknown day {d!r} (use Mon, Tue, ... Sun, or Monday ... Sunday)")
            if name in out:
                raise ValueError(f"business_hours.days names {name} twice")
            out.append(name)
        if not out:
            raise ValueError("business_hours.days is empty: at least one business day is needed")
        return out

    @model_validator(mode="after")
    def _order(self) -> BusinessHours:
        if self.end <= self.start:
            raise ValueError(
                f"business_hours.end ({self.end:%H:%M}) must be after business_hours.start ({self.start:%H:%M})"
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
    high: Minutes = 5
    medium: Minutes = 60
    low: Minutes = 480


class Bands(BaseModel):
    model_config = ConfigDict(extra="forbid")
    excellent: Share = 0.40
    acceptable: Share = 0.25
    below_average: Share = 0.15

    @model_validator(mode="after")
    def _order(self) -> Bands:
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


class StaffingSettings(BaseModel):
    """`[staffing]`: the numbers of the coverage and staffing model (DESIGN.md)."""

    model_config = ConfigDict(extra="forbid")
    weeks: Annotated[int, Field(strict=True, ge=1, le=104)] = 8
    minutes_per_first_touch: Annotated[float, Field(strict=True, gt=0, le=480, allow_inf_nan=False)] = 10
    service_level: Annotated[float, Field(strict=True, gt=0, lt=1, allow_inf_nan=False)] = 0.80
    availability: Annotated[float, Field(strict=True, gt=0, le=1, allow_inf_nan=False)] = 0.5
    cost_per_rep_month: Annotated[float, Field(strict=True, ge=0, le=10_000_000, allow_inf_nan=False)] = 6000
    tier: str = "high"

    @field_validator("tier")
    @classmethod
    def _tier(cls, v: str) -> str:
        t = v.strip().lower()
        if t not in TIERS:
            raise ValueError(f"unknown tier {v!r} (use high, medium or low)")
        return t


ALERT_STAGES = ("warning", "breached", "escalated")


class AlertSettings(BaseModel):
    """`[alerts]`: where and when `handoff alert` sends; webhook URLs and the SMTP password are
    secrets and come from `.streamlit/secrets.toml` or the environment, never from here."""

    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)
    warn_minutes: Annotated[
        float, Field(strict=True, ge=0, le=MAX_SLA_BUSINESS_DAYS * 24 * 60, allow_inf_nan=False)
    ] = 30
    stages: list[str] = Field(default_factory=lambda: list(ALERT_STAGES))
    email_to: list[str] = Field(default_factory=list)
    email_from: str | None = None
    smtp_host: str | None = None
    smtp_port: Annotated[int, Field(strict=True, ge=1, le=65535)] = 587
    smtp_user: str | None = None
    smtp_starttls: Annotated[bool, Field(strict=True)] = True

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict):
            secret = [key for key in data if looks_secret(str(key)) or str(key).endswith("webhook_url")]
            if secret:
                raise ValueError(
                    f"{', '.join(map(repr, secret))}: webhook URLs and the SMTP password are secrets; they belong "
                    "in .streamlit/secrets.toml [alerts] or the environment, never in handoff.toml"
                )
        return data

    @field_validator("stages")
    @classmethod
    def _stages(cls, stages: list[str]) -> list[str]:
        out = []
        for stage in stages:
            s = str(stage).strip().lower()
            if s not in ALERT_STAGES:
                raise ValueError(f"unknown alert stage {stage!r} (use warning, breached or escalated)")
            if s not in out:
                out.append(s)
        return out

    @field_validator("email_to")
    @classmethod
    def _addresses(cls, v: list[str]) -> list[str]:
        for address in v:
            if not re.fullmatch(r"[^@\s<>,;]+@[^@\s<>,;]+", str(address)):
                raise ValueError(f"{address!r} is not an email address")
        return v


def valid_currency(code: str) -> str:
    c = str(code).strip().upper()
    if len(c) != 3 or pycountry.currencies.get(alpha_3=c) is None:
        raise ValueError(f"unknown currency {code!r} (use an ISO 4217 code such as 'USD' or 'EUR')")
    return c


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)  # a misplaced secret stays unseen
    timezone: str = "UTC"
    holiday_country: str | None = None
    holiday_subdivision: str | None = None
    valid_from: date = date(2000, 1, 1)
    valid_to: date | None = None
    business_hours: BusinessHours = Field(default_factory=BusinessHours)
    sla_minutes: SlaMinutes = Field(default_factory=SlaMinutes)
    tier_map: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_TIER_MAP))
    meeting_window_days: Annotated[float, Field(strict=True, gt=0, le=MAX_WINDOW_DAYS, allow_inf_nan=False)] = 10
    cadence_target: Annotated[int, Field(strict=True, ge=1, le=1000)] = 6
    disposition_sla_hours: Annotated[float, Field(strict=True, gt=0, le=24 * 365, allow_inf_nan=False)] = 48
    disposition_codes: list[str] = Field(default_factory=lambda: list(DEFAULT_CODES))
    accepting_code: str = "Qualified"
    acceptance_target: Share = 0.70
    bands: Bands = Field(default_factory=Bands)
    staffing: StaffingSettings = Field(default_factory=StaffingSettings)
    currency: str = "USD"
    cost_per_lead: Annotated[float, Field(strict=True, ge=0, le=1_000_000, allow_inf_nan=False)] = 350
    escalation_minutes: Annotated[
        float, Field(strict=True, ge=0, le=MAX_SLA_BUSINESS_DAYS * 24 * 60, allow_inf_nan=False)
    ] = 240
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    salesforce: dict[str, Any] = Field(default_factory=dict)
    hubspot: dict[str, Any] = Field(default_factory=dict)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, v: str) -> str:
        return valid_timezone(v)

    @field_validator("currency")
    @classmethod
    def _currency(cls, v: str) -> str:
        return valid_currency(v)

    @field_validator("holiday_country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        if not v:
            return None
        v = valid_country(v)
        if v not in holidays.list_supported_countries():
            raise ValueError(f"no public-holiday calendar for country {v!r} in the holidays package")
        return v

    @field_validator("valid_from", "valid_to", mode="before")
    @classmethod
    def _date_text(cls, v: Any) -> Any:
        if v is not None and not isinstance(v, (str, date)):
            raise ValueError("write a date, such as 2000-01-01")
        return v

    @field_validator("valid_from")
    @classmethod
    def _valid_from(cls, v: date) -> date:
        if v < EARLIEST_VALID_FROM:
            raise ValueError(f"valid_from must be {EARLIEST_VALID_FROM} or later")
        if v > date.today():
            raise ValueError("valid_from is in the future: no data could be valid")
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

    @field_validator("disposition_codes")
    @classmethod
    def _distinct_codes(cls, codes: list[str]) -> list[str]:
        if not codes:
            raise ValueError("disposition_codes is empty: name at least the accepting code")
        seen: dict[str, str] = {}
        for code in codes:
            key = normalise_code(code)
            if not key:
                raise ValueError("disposition_codes has a blank code")
            if key in seen:
                raise ValueError(
                    f"disposition codes {seen[key]!r} and {code!r} are the same code "
                    "(case, spaces and underscores are ignored when matching)"
                )
            seen[key] = code
        return codes

    @field_validator("salesforce", "hubspot")
    @classmethod
    def _no_secrets(cls, table: dict[str, Any]) -> dict[str, Any]:
        secret = [key for key in table if looks_secret(key)]
        if secret:
            raise ValueError(
                f"{', '.join(map(repr, secret))}: secrets belong in .streamlit/secrets.toml or the "
                "environment, never in handoff.toml"
            )
        return table

    @model_validator(mode="after")
    def _codes(self) -> Policy:
        if self.accepting_code not in self.disposition_codes:
            raise ValueError(
                f"accepting_code {self.accepting_code!r} is not one of disposition_codes {self.disposition_codes}"
            )
        if self.holiday_subdivision and self.holiday_country:
            subdivs = holidays.country_holidays(self.holiday_country).subdivisions
            if self.holiday_subdivision not in subdivs:
                raise ValueError(
                    f"holiday_subdivision {self.holiday_subdivision!r} is not a subdivision of {self.holiday_country}"
                )
        return self

    @model_validator(mode="after")
    def _sla_within_days(self) -> Policy:
        limit = MAX_SLA_BUSINESS_DAYS * self.business_hours.day_minutes
        for tier in ("high", "medium", "low"):
            if self.sla_for(tier) > limit:
                raise ValueError(
                    f"sla_minutes.{tier} ({self.sla_for(tier):g}) is more than {MAX_SLA_BUSINESS_DAYS} "
                    f"business days ({limit:g} business minutes with these business hours)"
                )
        return self

    @model_validator(mode="after")
    def _valid_range(self) -> Policy:
        if self.valid_to is not None and self.valid_to <= self.valid_from:
            raise ValueError(f"valid_to ({self.valid_to}) must be after valid_from ({self.valid_from})")
        return self

    def sla_for(self, tier: str) -> float:
        return getattr(self.sla_minutes, tier)

    @property
    def window_business_minutes(self) -> float:
        return self.meeting_window_days * self.business_hours.day_minutes

    def summary(self) -> list[tuple[str, str]]:
        """The policy in plain words, one (setting, value) per line, for people to read."""
        hours = self.business_hours
        tiers: dict[str, list[str]] = {"high": [], "medium": [], "low": []}
        for source, tier in sorted(self.tier_map.items()):
            tiers[tier].append(source)
        return [
            ("Company timezone", self.timezone),
            ("Public holidays", " / ".join(filter(None, [self.holiday_country, self.holiday_subdivision])) or "none"),
            (
                "Business hours",
                f"{', '.join(hours.days)} {hours.start:%H:%M}-{hours.end:%H:%M} (each rep's local time)",
            ),
            *[(f"SLA, {tier} tier", f"{self.sla_for(tier):g} business minutes") for tier in ("high", "medium", "low")],
            *[
                (f"Sources of {tier} tier", ", ".join(srcs) or "(none)")
                for tier, srcs in tiers.items()
                if tier != "low"
            ],
            ("Other sources", "low tier"),
            ("Meeting window", f"{self.meeting_window_days:g} business days"),
            ("Cadence target", f"{self.cadence_target} touches in the meeting window"),
            ("Disposition SLA", f"{self.disposition_sla_hours:g} hours (wall clock)"),
            ("Disposition codes", ", ".join(self.disposition_codes)),
            ("Acceptance", f"{self.accepting_code}; target {self.acceptance_target:.0%}"),
            (
                "Handoff-to-meeting bands",
                f"excellent >= {self.bands.excellent:.0%}, acceptable >= "
                f"{self.bands.acceptable:.0%}, below average >= {self.bands.below_average:.0%}, else critical",
            ),
        ]

    def connector_config(self, crm: str) -> dict[str, Any]:
        """A connector's `[salesforce]`/`[hubspot]` table, with the policy's disposition codes
        unless the table names its own."""
        table = dict(getattr(self, crm))
        table.setdefault("disposition_codes", list(self.disposition_codes))
        return table

    def disposition_code(self, text: Any) -> str | None:
        """The policy's disposition code that `text` names (see `normalise_code`), else None."""
        if text is None or (isinstance(text, float) and text != text):
            return None
        key = normalise_code(text)
        return next((code for code in self.disposition_codes if normalise_code(code) == key), None)

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
        raise ValueError(f"policy file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: not valid TOML: {exc}") from exc
    return policy_from_dict(data, origin=str(path))


def policy_from_dict(data: dict[str, Any], origin: str = "policy") -> Policy:
    """A validated policy, or a ValueError listing each bad setting. The lines are built from
    setting names and the validators' own words, never from pydantic's echo of the input (a
    misplaced secret must not be shown), and the error chains no exception that holds it."""
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        lines = [f"  {_where(err)}: {_problem(err)}" for err in exc.errors()]
    raise ValueError(f"{origin}: invalid policy\n" + "\n".join(lines))


def _where(err: ErrorDetails) -> str:
    return ".".join(str(p) for p in err["loc"]) or "(top level)"


PLAIN_TYPE_ERRORS = {
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "finite_number": "must be a finite number",
    "string_type": "must be text",
    "bool_type": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a table",
}


def _problem(err: ErrorDetails) -> str:
    if err["type"] == "extra_forbidden":
        key = err["loc"][-1]
        if err["loc"][0] == "sla_minutes":
            return f"unknown tier {key!r} (tiers are high, medium, low)"
        return f"unknown setting {key!r}"
    return PLAIN_TYPE_ERRORS.get(err["type"]) or err["msg"].removeprefix("Value error, ")
