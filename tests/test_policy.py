"""The policy file: defaults of the design, and clear messages for bad settings."""

from __future__ import annotations

import pytest

from handoff.policy import Policy, load_policy, policy_from_dict


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
