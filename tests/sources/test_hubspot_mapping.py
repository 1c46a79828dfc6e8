"""HubSpot records -> canonical rows, on raw records (no server); and the `[hubspot]` settings.

DESIGN, "Connectors", HubSpot: mql_at from hs_v2_date_entered_marketingqualifiedlead, else
hs_lifecyclestage_marketingqualifiedlead_date, else the earliest lifecyclestage history entry
marketingqualifiedlead; hs_lead_status through the disposition map (OPEN_DEAL -> Qualified,
UNQUALIFIED -> Bad Fit, BAD_TIMING -> Wrong Timing, or equal to a code), disposition_at when
the history set the current value; calls: empty direction is outbound; emails: EMAIL
outbound, INCOMING_EMAIL inbound, sequence emails automated; meeting outcomes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from handoff.sources import hubspot as hs
from handoff.sources import hubspot_mapping as m
from handoff.policy import DEFAULT_CODES
from handoff.sources.connector import SyncError

T = "2026-03-02T{}:00.000Z".format


def contacts(records: list[dict], history: list[tuple] = (), **ctx) -> pd.DataFrame:
    context = m.Context(
        disposition=m.disposition_mapper(DEFAULT_CODES, ctx.pop("disposition_map", None)),
        history=pd.DataFrame(list(history), columns=m.HISTORY_COLUMNS),
        **ctx,
    )
    frame = pd.DataFrame([{"createdate": T("09:00"), **r} for r in records])
    return m.rows("contacts", frame, context).set_index("lead_id")


def test_the_handoff_moment_comes_from_the_first_date_that_is_set():
    out = contacts(
        [
            {
                "id": "1",
                "hs_v2_date_entered_marketingqualifiedlead": T("10:00"),
                "hs_lifecyclestage_marketingqualifiedlead_date": T("11:00"),
            },
            {"id": "2", "hs_lifecyclestage_marketingqualifiedlead_date": T("11:00")},
            {"id": "3"},
            {"id": "4"},
        ],
        history=[
            ("1", "lifecyclestage", "marketingqualifiedlead", T("09:30")),
            ("3", "lifecyclestage", "lead", T("09:00")),
            ("3", "lifecyclestage", "marketingqualifiedlead", T("12:00")),
            ("3", "lifecyclestage", "salesqualifiedlead", T("13:00")),
            ("3", "lifecyclestage", "marketingqualifiedlead", T("14:00")),
        ],
    )
    mql = {k: None if pd.isna(v) else f"{v:%H:%M}" for k, v in out["mql_at"].items()}
    assert mql == {"1": "10:00", "2": "11:00", "3": "12:00", "4": None}  # 3: the earliest entry


def test_a_custom_mql_property_comes_first():
    out = contacts(
        [{"id": "1", "mql_date__c": "1772452800000", "hs_v2_date_entered_marketingqualifiedlead": T("10:00")}],
        mql_property="mql_date__c",
    )
    assert out.loc["1", "mql_at"] == pd.Timestamp("2026-03-02T12:00:00Z")  # epoch milliseconds work too


@pytest.mark.parametrize(
    "status,code",
    [
        ("OPEN_DEAL", "Qualified"),
        ("UNQUALIFIED", "Bad Fit"),
        ("BAD_TIMING", "Wrong Timing"),
        ("WRONG_PERSONA", "Wrong Persona"),
        ("unresponsive", "Unresponsive"),
        ("NEW", None),
        ("IN_PROGRESS", None),
        (None, None),
    ],
)
def test_lead_statuses_map_to_disposition_codes(status, code):
    out = contacts([{"id": "1", "hs_lead_status": status}])
    got = out.loc["1", "disposition"]
    assert (None if pd.isna(got) else got) == code


def test_the_disposition_map_adds_and_overrides():
    out = contacts(
        [{"id": "1", "hs_lead_status": "NO_BUDGET"}, {"id": "2", "hs_lead_status": "OPEN_DEAL"}],
        disposition_map={"NO_BUDGET": "Bad Fit", "OPEN_DEAL": ""},
    )
    assert out.loc["1", "disposition"] == "Bad Fit" and pd.isna(out.loc["2", "disposition"])


def test_disposition_at_is_when_the_current_status_was_set():
    history = [
        ("1", "hs_lead_status", "NEW", T("09:00")),
        ("1", "hs_lead_status", "UNQUALIFIED", T("10:00")),
        ("1", "hs_lead_status", "NEW", T("11:00")),
        ("1", "hs_lead_status", "UNQUALIFIED", T("15:00")),
        ("2", "hs_lead_status", "NEW", T("09:00")),
    ]
    out = contacts([{"id": "1", "hs_lead_status": "UNQUALIFIED"}, {"id": "2", "hs_lead_status": "NEW"}], history)
    assert out.loc["1", "disposition_at"] == pd.Timestamp("2026-03-02T15:00:00Z")  # the latest setting of it
    assert pd.isna(out.loc["2", "disposition_at"])  # no disposition, no time


def test_tier_property_and_its_map():
    ctx = {"tier_property": "form", "tier": m.tier_mapper({"Demo request": "high", "free TRIAL": "medium"})}
    out = contacts(
        [
            {"id": "1", "form": " demo REQUEST "},
            {"id": "2", "form": "Free trial"},
            {"id": "3", "form": "Ebook"},
            {"id": "4"},
        ],
        **ctx,
    )
    assert {k: None if pd.isna(v) else v for k, v in out["tier"].items()} == {
        "1": "high",
        "2": "medium",
        "3": None,
        "4": None,
    }
    assert contacts([{"id": "1", "form": "Demo request"}])["tier"].isna().all()  # no tier_property: the policy decides


def engagements(obj: str, records: list[dict], contact_of: dict | None = None, **ctx) -> pd.DataFrame:
    frame = pd.DataFrame([{"hs_timestamp": T("10:00"), **r} for r in records])
    context = m.Context(contact_of=contact_of or {r["id"]: "c" for r in records}, **ctx)
    key = {"calls": "activity_id", "emails": "activity_id", "meetings": "meeting_id", "deals": "opportunity_id"}[obj]
    return m.rows(obj, frame, context).set_index(key)


@pytest.mark.parametrize(
    "direction,expected", [("OUTBOUND", "outbound"), ("INBOUND", "inbound"), (None, "outbound"), ("", "outbound")]
)
def test_call_direction(direction, expected):
    out = engagements("calls", [{"id": "1", "hs_call_direction": direction}])
    assert (out.loc["1", "direction"], out.loc["1", "type"], bool(out.loc["1", "is_automated"])) == (
        expected,
        "call",
        False,
    )


@pytest.mark.parametrize(
    "record,direction,automated",
    [
        ({"hs_email_direction": "EMAIL"}, "outbound", False),
        ({"hs_email_direction": "INCOMING_EMAIL"}, "inbound", False),
        ({"hs_email_direction": "FORWARDED_EMAIL"}, "outbound", False),
        ({"hs_email_direction": "EMAIL", "hs_sequence_id": "123"}, "outbound", True),
        ({"hs_email_direction": "EMAIL", "sent_by_tool": "true"}, "outbound", True),
        ({"hs_email_direction": "EMAIL", "sent_by_tool": "false"}, "outbound", False),
    ],
)
def test_email_direction_and_automation(record, direction, automated):
    out = engagements("emails", [{"id": "1", **record}], automated_property="sent_by_tool")
    assert (out.loc["1", "direction"], out.loc["1", "type"], bool(out.loc["1", "is_automated"])) == (
        direction,
        "email",
        automated,
    )


@pytest.mark.parametrize(
    "outcome,status",
    [
        ("SCHEDULED", "scheduled"),
        ("COMPLETED", "held"),
        ("NO_SHOW", "no_show"),
        ("CANCELED", "canceled"),
        ("RESCHEDULED", "scheduled"),
        (None, "scheduled"),
    ],
)
def test_meeting_outcomes(outcome, status):
    out = engagements("meetings", [{"id": "1", "hs_createdate": T("09:00"), "hs_meeting_outcome": outcome}])
    assert out.loc["1", "status"] == status


def test_engagements_without_a_contact_have_no_lead():
    out = engagements("calls", [{"id": "1"}, {"id": "2"}], contact_of={"1": "77"})
    assert out.loc["1", "lead_id"] == "77" and pd.isna(out.loc["2", "lead_id"])


def test_an_open_deal_has_no_close_date():
    out = engagements(
        "deals",
        [
            {"id": "1", "createdate": T("09:00"), "closedate": T("12:00"), "hs_is_closed": "false"},
            {
                "id": "2",
                "createdate": T("09:00"),
                "closedate": T("12:00"),
                "hs_is_closed": "true",
                "hs_is_closed_won": "true",
                "amount": "1200.50",
            },
        ],
    )
    assert pd.isna(out.loc["1", "closed_at"]) and out.loc["2", "closed_at"] == pd.Timestamp("2026-03-02T12:00:00Z")
    assert (bool(out.loc["2", "is_won"]), out.loc["2", "amount"]) == (True, 1200.5)


def test_extra_property_maps_fill_canonical_columns_by_their_kind():
    frame = pd.DataFrame(
        [{"id": "1", "createdate": T("09:00"), "utm_campaign": "Spring", "hs_lead_score": "87", "numemployees": "250"}]
    )
    out = m.rows(
        "contacts",
        frame,
        m.Context(),
        {"campaign": "utm_campaign", "score": "hs_lead_score", "employees": "numemployees"},
    )
    assert (out.loc[0, "campaign"], out.loc[0, "score"], out.loc[0, "employees"]) == ("Spring", 87.0, "250")


# -- settings ------------------------------------------------------------------------------------------
def test_default_settings():
    cfg = hs.HubSpotSettings.parse({})
    assert (cfg.source_property, cfg.tier_property, cfg.disposition_property) == (
        "hs_analytics_source",
        None,
        "hs_lead_status",
    )
    assert (cfg.lookback_seconds, cfg.page_size, cfg.retries) == (300, 100, 5)


@pytest.mark.parametrize(
    "raw,said",
    [
        ({"lookback_seconds": -1}, "lookback_seconds: Input should be greater than or equal to 0"),
        ({"page_size": 500}, "page_size: Input should be less than or equal to 200"),
        ({"page_size": True}, "page_size: must be a whole number"),
        ({"retries": "abc-7f3kq"}, "retries: must be a whole number"),
        ({"tier_map": {"Demo": "abc-7f3kq"}, "tier_property": "form"}, "tier_map: tiers are high"),
        ({"tier_map": {"Demo": "high"}}, "tier_map is set but tier_property is not"),
        ({"source_property": "abc-7f3kq; drop"}, "source_property: must be a HubSpot property's internal name"),
        ({"contact_properties": {"score": "abc-7f3kq!"}}, "contact_properties: score: must name"),
        ({"token_thing": "abc-7f3kq"}, "token_thing: unknown setting"),
    ],
)
def test_settings_are_validated_naming_the_setting_never_the_value(raw, said):
    with pytest.raises(SyncError) as err:
        hs.HubSpotSettings.parse(raw)
    text = str(err.value)
    assert "[hubspot]" in text and said in text, text
    assert "abc-7f3kq" not in text and "abc-7f3kq" not in repr(err.value)


def test_the_docs_list_every_setting():
    text = (Path(__file__).resolve().parents[2] / "docs" / "hubspot.md").read_text(encoding="utf-8")
    missing = [name for name in hs.HubSpotSettings.model_fields if f"`{name}`" not in text]
    assert missing == []
