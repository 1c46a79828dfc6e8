"""The policy file: defaults of the design, and clear messages for bad settings."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from handoff.policy import Policy, load_policy, policy_from_dict
from handmade import build_model


def test_defaults_match_the_design():
    p = Policy()
    assert (p.timezone, p.holiday_country) == ("UTC", None)
    assert (p.sla_for("high"), p.sla_for("medium"), p.sla_for("low")) == (5, 60, 480)
    assert p.window_business_minutes == 4800
    assert p.business_hours.days == ["Mon", "Tue", "Wed", "Thu", "Fri"]
    assert (p.cadence_target, p.disposition_sla_hours, p.acceptance_target) == (6, 48, 0.70)
    assert p.tier_map["pricing page"] == "high" and p.tier_map["free trial"] == "medium"


@pytest.mark.parametrize(
    "data,message",
    [
        ({"timezone": "Mars/Olympus"}, "unknown timezone 'Mars/Olympus'"),
        ({"business_hours": {"start": "17:00", "end": "09:00"}}, "must be after business_hours.start"),
        ({"sla_minutes": {"urgent": 1}}, "unknown tier 'urgent'"),
        ({"tier_map": {"Webinar": "hot"}}, "unknown tier 'hot' for source 'Webinar'"),
        ({"holiday_country": "XX"}, "unknown country code 'XX'"),
        ({"business_hours": {"days": ["Funday"]}}, "unknown day 'Funday'"),
        ({"accepting_code": "Yes"}, "accepting_code 'Yes' is not one of"),
        ({"sla_minutes": {"high": -5}}, "sla_minutes.high"),
        ({"colour": "blue"}, "unknown setting 'colour'"),
    ],
)
def test_bad_settings_have_clear_messages(data, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(".", r"\.")):
        policy_from_dict(data)


def test_load_from_toml(tmp_path):
    path = tmp_path / "handoff.toml"
    path.write_text(
        'timezone = "Europe/London"\nholiday_country = "gb"\n'
        '[sla_minutes]\nhigh = 15\n[tier_map]\n"Webinar" = "medium"\n'
    )
    p = load_policy(path)
    assert (p.timezone, p.holiday_country, p.sla_for("high"), p.sla_for("low")) == ("Europe/London", "GB", 15, 480)
    assert p.tier_map["webinar"] == "medium" and p.tier_map["demo request"] == "high"
    path.write_text("timezone = ")
    with pytest.raises(ValueError, match="not valid TOML"):
        load_policy(path)


def test_summary_reads_in_plain_words():
    lines = dict(policy_from_dict({"timezone": "Europe/London", "holiday_country": "GB"}).summary())
    assert lines["Company timezone"] == "Europe/London" and lines["Public holidays"] == "GB"
    assert lines["SLA, high tier"] == "5 business minutes"
    assert lines["Sources of high tier"] == "contact sales, demo request, pricing page"
    assert lines["Business hours"].startswith("Mon, Tue, Wed, Thu, Fri 09:00-17:00")


def test_connector_config_carries_the_disposition_codes():
    p = policy_from_dict({"disposition_codes": ["Qualified", "Junk"], "salesforce": {"mql_statuses": ["MQL"]}})
    assert p.connector_config("salesforce") == {"mql_statuses": ["MQL"], "disposition_codes": ["Qualified", "Junk"]}
    own = policy_from_dict({"salesforce": {"disposition_codes": ["Qualified"]}})
    assert own.connector_config("salesforce")["disposition_codes"] == ["Qualified"]


# -- strict settings: every policy that validates also runs ---------------------------------

def bad(setting: str, value) -> dict:
    """A policy dict with one (possibly nested, dotted) setting set to `value`."""
    head, _, rest = setting.partition(".")
    return {head: bad(rest, value)} if rest else {head: value}


@pytest.mark.parametrize(
    "setting,value,message",
    [
        ("business_hours.days", ["Monkey"], "unknown day 'Monkey'"),
        ("business_hours.days", ["Mo"], "unknown day 'Mo'"),
        ("business_hours.days", ["Mon", "mon"], "business_hours.days names Mon twice"),
        ("business_hours.days", ["Monday", "Mon"], "business_hours.days names Mon twice"),
        ("business_hours.days", [], "business_hours.days is empty"),
        ("business_hours.start", "09:00+05:00", "business hours are local times; write 09:00"),
        ("business_hours.end", "17:00Z", "business hours are local times; write 17:00"),
        ("business_hours.start", "09:00:30", "business hours are whole minutes; write 09:00"),
        ("business_hours.start", 32400, 'write a time as text, such as "09:00"'),
        ("sla_minutes.high", True, "sla_minutes.high: must be a number"),
        ("sla_minutes.medium", float("inf"), "sla_minutes.medium: must be a finite number"),
        ("sla_minutes.low", float("nan"), "sla_minutes.low: must be a finite number"),
        ("sla_minutes.low", 1e300, "sla_minutes.low: Input should be less than or equal to"),
        ("sla_minutes.low", 0, "sla_minutes.low: Input should be greater than 0"),
        ("sla_minutes.low", "480", "sla_minutes.low: must be a number"),
        ("sla_minutes.low", 50_000, "sla_minutes.low (50000) is more than 100 business days (48000 business minutes"),
        ("meeting_window_days", 1e6, "meeting_window_days: Input should be less than or equal to 60"),
        ("meeting_window_days", 0, "meeting_window_days: Input should be greater than 0"),
        ("meeting_window_days", True, "meeting_window_days: must be a number"),
        ("meeting_window_days", float("nan"), "meeting_window_days: must be a finite number"),
        ("cadence_target", True, "cadence_target: must be a whole number"),
        ("cadence_target", 6.0, "cadence_target: must be a whole number"),
        ("cadence_target", 0, "cadence_target: Input should be greater than or equal to 1"),
        ("cadence_target", 1001, "cadence_target: Input should be less than or equal to 1000"),
        ("disposition_sla_hours", 0, "disposition_sla_hours: Input should be greater than 0"),
        ("disposition_sla_hours", 1e9, "disposition_sla_hours: Input should be less than or equal to 8760"),
        ("disposition_sla_hours", float("inf"), "disposition_sla_hours: must be a finite number"),
        ("acceptance_target", 1.5, "acceptance_target: Input should be less than or equal to 1"),
        ("acceptance_target", float("nan"), "acceptance_target: must be a finite number"),
        ("acceptance_target", True, "acceptance_target: must be a number"),
        ("bands.excellent", float("nan"), "bands.excellent: must be a finite number"),
        ("bands.below_average", -0.1, "bands.below_average: Input should be greater than or equal to 0"),
        ("bands.acceptable", False, "bands.acceptable: must be a number"),
        ("timezone", "localtime", "unknown timezone 'localtime'"),
        ("timezone", "posixrules", "unknown timezone 'posixrules'"),
        ("timezone", "Factory", "unknown timezone 'Factory'"),
        ("timezone", "utc", "unknown timezone 'utc'"),
        ("disposition_codes", ["Qualified", "qualified"], "disposition codes 'Qualified' and 'qualified' are the same code"),
        ("disposition_codes", ["Qualified", "Bad Fit", "bad_fit"], "disposition codes 'Bad Fit' and 'bad_fit' are the same code"),
        ("disposition_codes", [], "disposition_codes is empty"),
        ("disposition_codes", ["Qualified", " "], "disposition_codes has a blank code"),
        ("disposition_codes", ["Qualified", ""], "disposition_codes has a blank code"),
        ("disposition_codes", ["Qualified", 7], "disposition_codes.1: must be text"),
        ("valid_from", "1900-01-01", "valid_from must be 1970-01-01 or later"),
        ("valid_from", "2999-01-01", "valid_from is in the future"),
        ("valid_from", 946684800, "valid_from: write a date, such as 2000-01-01"),
        ("valid_to", "1999-12-31", "valid_to (1999-12-31) must be after valid_from (2000-01-01)"),
        ("currency", "XYZ", "unknown currency 'XYZ'"),
        ("currency", "dollars", "unknown currency 'dollars'"),
        ("cost_per_lead", -1, "cost_per_lead"),
        ("escalation_minutes", -5, "escalation_minutes"),
        ("alerts.stages", ["warning", "late"], "unknown alert stage 'late'"),
        ("alerts.email_to", ["not an address"], "'not an address' is not an email address"),
        ("alerts.smtp_port", 70000, "alerts.smtp_port"),
    ],
)
def test_strict_settings_are_refused_by_name(setting, value, message):
    with pytest.raises(ValueError) as err:
        policy_from_dict(bad(setting, value))
    assert message in str(err.value)


def test_money_and_escalation_defaults_follow_the_design():
    p = policy_from_dict({"currency": "eur", "alerts": {"stages": ["Escalated", "breached"]}})
    assert (p.currency, p.cost_per_lead, p.escalation_minutes) == ("EUR", 350, 240)
    assert p.alerts.stages == ["escalated", "breached"]
    assert Policy().currency == "USD" and Policy().alerts.warn_minutes == 30


def test_day_names_short_or_full_in_any_case():
    p = policy_from_dict({"business_hours": {"days": ["monday", "TUE", " Wednesday ", "sun"]}})
    assert p.business_hours.days == ["Mon", "Tue", "Wed", "Sun"]


def test_plausible_dates_default_and_parse(tmp_path):
    p = Policy()
    assert (p.valid_from, p.valid_to) == (date(2000, 1, 1), None)
    path = tmp_path / "handoff.toml"
    path.write_text("valid_from = 2015-01-01\nvalid_to = \"2030-12-31\"\n")
    p = load_policy(path)
    assert (p.valid_from, p.valid_to) == (date(2015, 1, 1), date(2030, 12, 31))


def test_every_numeric_setting_is_bounded_and_strict():
    """Each numeric field refuses true, inf, nan and 1e300 (a new setting must be bounded too)."""
    numeric = [
        "sla_minutes.high", "sla_minutes.medium", "sla_minutes.low", "meeting_window_days",
        "cadence_target", "disposition_sla_hours", "acceptance_target",
        "bands.excellent", "bands.acceptable", "bands.below_average",
        "staffing.weeks", "staffing.minutes_per_first_touch", "staffing.service_level",
        "staffing.availability", "staffing.cost_per_rep_month",
        "cost_per_lead", "escalation_minutes", "alerts.warn_minutes", "alerts.smtp_port",
    ]
    assert sorted(_numeric_fields(Policy)) == sorted(numeric)
    for setting in numeric:
        for value in (True, float("inf"), float("nan"), 1e300):
            with pytest.raises(ValueError, match=setting.replace(".", r"\.")):
                policy_from_dict(bad(setting, value))


def _numeric_fields(model, prefix: str = "") -> list[str]:
    out = []
    for name, info in model.model_fields.items():
        if info.annotation in (int, float):
            out.append(prefix + name)
        elif isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            out += _numeric_fields(info.annotation, f"{prefix}{name}.")
    return out


POLICIES_THAT_VALIDATE = st.fixed_dictionaries({
    "timezone": st.sampled_from(["UTC", "America/New_York", "Asia/Kolkata", "Pacific/Kiritimati"]),
    "holiday_country": st.sampled_from([None, "US", "GB", "RU", "CO", "CN"]),
    "days": st.lists(st.sampled_from(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]), min_size=1, max_size=7, unique=True),
    "start": st.integers(min_value=0, max_value=1438),
    "length": st.integers(min_value=1, max_value=1439),
    "window": st.floats(min_value=0.01, max_value=60),
    "sla_share": st.floats(min_value=0.0001, max_value=1),
})


@example(p={"timezone": "UTC", "holiday_country": "CO", "days": ["Mon"], "start": 0, "length": 1,
            "window": 60, "sla_share": 1})
@example(p={"timezone": "America/New_York", "holiday_country": "RU", "days": ["Sat", "Sun"], "start": 1380,
            "length": 59, "window": 60, "sla_share": 1})
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(p=POLICIES_THAT_VALIDATE)
def test_every_policy_that_validates_also_runs(p):
    start = p["start"]
    end = min(start + p["length"], 1439)
    day_minutes = end - start
    sla = max(round(p["sla_share"] * 100 * day_minutes, 2), 0.01)
    policy = policy_from_dict({
        "timezone": p["timezone"],
        "holiday_country": p["holiday_country"],
        "business_hours": {"start": f"{start // 60:02d}:{start % 60:02d}", "end": f"{end // 60:02d}:{end % 60:02d}",
                           "days": p["days"]},
        "sla_minutes": {"high": sla, "medium": sla, "low": sla},
        "meeting_window_days": p["window"],
    })
    reps = [{"rep_id": "r1", "timezone": "Europe/Moscow", "country": "RU"}, {"rep_id": "r2"}]
    leads = [
        {"lead_id": f"L{i}", "created_at": t, "mql_at": t, "owner_id": owner, "assigned_at": t}
        for i, (t, owner) in enumerate([("2025-12-27T12:00:00Z", "r1"), ("2026-01-03T10:00:00Z", "r2"),
                                        ("2026-05-30T23:59:00Z", None)])
    ]
    rows = build_model(policy, as_of="2026-06-01T00:00:00Z", reps=reps, leads=leads).lead_handoff()
    assert len(rows) == 3 and rows["window_end"].notna().all()
