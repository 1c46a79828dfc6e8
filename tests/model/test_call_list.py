"""The call list (DESIGN's breach queue) on a hand-made week, every bound on both sides.

Reps r1 (Ann) and r2 (Bo) work in New York (EDT = UTC-4 in June, US holidays: Memorial Day
Mon 05-25), 09:00-17:00 = 480 business minutes a day. as_of = Thu 2026-06-04 14:00 EDT
(18:00Z). Targets: high 5, medium (Free trial) 60, low (Webinar) 480 business minutes;
warning W = 30 and escalation E = 240 (the policy's defaults), so a medium lead is on the list
from 30 elapsed business minutes, a warning up to 60, breached up to 300, escalated beyond.
Elapsed business minutes mql_at -> as_of are worked out by hand beside each lead.
"""

from __future__ import annotations

import pandas as pd
import pytest
from handmade import act, build_store, facts, lead, meet

from handoff.model import Model, crm, views
from handoff.policy import Policy, policy_from_dict

AS_OF = "2026-06-04T18:00:00Z"  # Thu 14:00 EDT
BO = {"rep_id": "r2", "name": "Bo", "team": "West", "timezone": "America/New_York", "country": "US"}
MEDIUM = {"source": "Free trial"}
HIGH = {"source": "Demo request"}

LEADS = [
    # -- medium (60): on the list from 30 elapsed, warning up to 60, breached up to 300 --------
    lead("m_29", "2026-06-04T17:31:00Z", **MEDIUM),  # Thu 13:31 -> 14:00 = 29: not yet
    lead("m_30", "2026-06-04T17:30:00Z", **MEDIUM),  # 30 = target - W exactly: warning, 30 left
    lead("m_60", "2026-06-04T17:00:00Z", **MEDIUM, owner_id="r2"),  # 60 = target: warning, 0 left
    lead("m_60s", "2026-06-04T16:59:59Z", **MEDIUM),  # 60 min 1 s: breached, overdue 1 s
    lead("m_300", "2026-06-04T13:00:00Z", **MEDIUM),  # Thu 09:00 -> 14:00 = 300 = target + E: breached
    # unassigned: the company calendar (UTC, 09:00-17:00Z), 13:00Z -> 17:00Z = 240: breached
    lead("u_240", "2026-06-04T13:00:00Z", **MEDIUM, owner_id=None),
    # Wed 16:59 -> 17:00 = 1, Thu 09:00 -> 14:00 = 300: 301 = target + E + 1: escalated
    lead("m_301", "2026-06-03T20:59:00Z", **MEDIUM),
    # touched at Thu 13:30 (in the past at as_of): off the list
    lead("m_touched", "2026-06-04T13:00:00Z", **MEDIUM),
    # booked a meeting at 13:05 (a booking is contact): off the list
    lead("m_booked", "2026-06-04T13:00:00Z", **MEDIUM),
    # touched at 14:30, after as_of, so untouched at as_of: Thu 10:00 -> 14:00 = 240, breached
    lead("m_later", "2026-06-04T14:00:00Z", **MEDIUM, owner_id="r2"),
    # -- low (480): nights and the evening count nothing ----------------------------------------
    # Wed 14:30 -> 17:00 = 150, Thu 09:00 -> 14:00 = 300: 450 = target - W: warning, 30 left,
    # though 23.5 wall-clock hours (1,410 minutes) have passed
    lead("l_night", "2026-06-03T18:30:00Z"),
    lead("l_420", "2026-06-03T19:00:00Z"),  # Wed 15:00 -> 17:00 = 120, + 300 = 420: not yet
    lead("l_690", "2026-06-03T14:30:00Z"),  # Wed 10:30 -> 17:00 = 390, + 300 = 690: breached
    # -- high (5) ---------------------------------------------------------------------------------
    lead("h_60", "2026-06-04T17:00:00Z", **HIGH),  # 60 <= 5 + 240: breached
    lead("h_300", "2026-06-04T13:00:00Z", **HIGH, owner_id="r2"),  # 300 > 245: escalated
    # -- the meeting window: 4,800 business minutes after mql_at -----------------------------------
    # Wed 05-20 14:00 EDT: 05-20 180 + 05-21 480 + 05-22 480 + (05-25 Memorial Day) + 05-26..05-29
    # 4 x 480 + 06-01..06-03 3 x 480 + 06-04 300 = 4,800: window_end = as_of exactly: off the list
    lead("w_closed", "2026-05-20T18:00:00Z"),
    # one second later: window_end = as_of + 1 s, still open: 4,800 - 1/60 elapsed, escalated
    lead("w_open", "2026-05-20T18:00:01Z"),
]
ACTIVITIES = [
    act("t1", "m_touched", "2026-06-04T17:30:00Z"),
    act("t2", "m_later", "2026-06-04T18:30:00Z"),
]
MEETINGS = [meet("b1", "m_booked", "2026-06-04T17:05:00Z")]

# warnings first, least time left (ties: tier, then newest); then by tier, newest first
EXPECTED = [
    ("m_60", "warning", 0.0),
    ("m_30", "warning", 30.0),
    ("l_night", "warning", 30.0),
    ("h_60", "breached", 5 - 60),
    ("h_300", "escalated", 5 - 300),
    ("m_60s", "breached", 60 - (60 + 1 / 60)),
    ("m_later", "breached", 60 - 240),
    ("m_300", "breached", 60 - 300),
    ("u_240", "breached", 60 - 240),  # same mql_at as m_300: by lead id
    ("m_301", "escalated", 60 - 301),
    ("l_690", "breached", 480 - 690),
    ("w_open", "escalated", 480 - (4800 - 1 / 60)),
]


def model_with(meta: dict[str, str] | None = None, leads: list[dict] | None = None, policy: Policy | None = None):
    store = build_store(reps=[ANN, BO], leads=leads or LEADS, activities=ACTIVITIES, meetings=MEETINGS)
    for key, value in (meta or {}).items():
        store.set_meta(key, value)
    return Model(store.con, policy or Policy(), pd.Timestamp(AS_OF).to_pydatetime())


ANN = {"rep_id": "r1", "name": "Ann", "team": "East", "timezone": "America/New_York", "country": "US"}


@pytest.fixture(scope="module")
def model():
    return model_with()


@pytest.fixture(scope="module")
def calls(model):
    return views.call_list(model)


def test_the_fixture_is_what_the_comments_say(model):
    out = facts(model)
    for lead_id, minutes in [("m_30", 30), ("m_60", 60), ("m_300", 300), ("u_240", 240), ("m_301", 301),
                             ("l_night", 450), ("l_420", 420), ("l_690", 690), ("h_300", 300), ("m_later", 240)]:
        assert out[lead_id]["age_business_minutes"] == pytest.approx(minutes, abs=1e-9), lead_id
    assert pd.Timestamp(out["w_closed"]["window_end"]) == pd.Timestamp(AS_OF)
    assert pd.Timestamp(out["w_open"]["window_end"]) == pd.Timestamp(AS_OF) + pd.Timedelta(seconds=1)


def test_exact_set_stages_and_order(calls):
    assert list(calls["lead_id"]) == [lead_id for lead_id, _, _ in EXPECTED]
    assert list(calls["stage"]) == [stage for _, stage, _ in EXPECTED]
    assert list(calls["minutes_left"]) == pytest.approx([left for _, _, left in EXPECTED], abs=1e-6)
    assert list(calls.columns) == views.CALL_LIST_COLUMNS


def test_left_off_the_list(calls):
    # 29 of 60 elapsed, 420 of 480, touched before as_of, booked, window ended exactly at as_of
    assert not {"m_29", "l_420", "m_touched", "m_booked", "w_closed"} & set(calls["lead_id"])


def test_columns_a_person_calls_from(calls):
    row = calls.set_index("lead_id")
    assert row.loc["m_60", "owner_name"] == "Bo" and row.loc["m_30", "owner_name"] == "Ann"
    assert pd.isna(row.loc["u_240", "owner_id"]) and pd.isna(row.loc["u_240", "owner_name"])
    assert row.loc["m_60", "tier"] == "medium" and row.loc["m_60", "source"] == "Free trial"
    assert row.loc["l_night", "elapsed_business_minutes"] == pytest.approx(450)
    assert row.loc["l_night", "sla_target_business_minutes"] == 480
    assert pd.Timestamp(row.loc["m_30", "mql_at"]) == pd.Timestamp("2026-06-04T17:30:00Z")
    # time left rounded down, overdue rounded up: neither looks better than it is
    assert row.loc["m_30", "due"] == "30 min business time left"
    assert row.loc["m_60", "due"] == "0 min business time left"
    assert row.loc["m_60s", "due"] == "overdue by 1 min business"
    assert row.loc["m_300", "due"] == "overdue by 4 h 00 min business"
    assert row.loc["m_301", "due"] == "overdue by 4 h 01 min business"
    assert row.loc["w_open", "due"] == "overdue by 72 h 00 min business"  # 4,320 - 1 s, rounded up
    assert row["crm_url"].isna().all()  # a files store has no CRM


@pytest.mark.parametrize(
    "minutes,text",
    [(65, "1 h 05 min business time left"), (59.99, "59 min business time left"),
     (0.4, "under 1 min business time left"), (-200, "overdue by 3 h 20 min business"),
     (-0.01, "overdue by 1 min business"), (-60, "overdue by 1 h 00 min business")],
)
def test_due_text(minutes, text):
    assert views.due_text(minutes) == text


def test_warning_and_escalation_come_from_the_policy_and_the_argument():
    # W = 0: only leads at or past the target; m_30 and l_night (30 left) drop, m_60 (0 left) stays
    none = views.call_list(model_with(), warn_minutes=0)
    assert "m_30" not in set(none["lead_id"]) and "l_night" not in set(none["lead_id"])
    assert "m_60" in set(none["lead_id"])
    # W = 31 reaches m_29 (29 elapsed >= 60 - 31); through the policy's alerts.warn_minutes too
    assert "m_29" in set(views.call_list(model_with(), warn_minutes=31)["lead_id"])
    by_policy = model_with(policy=policy_from_dict({"alerts": {"warn_minutes": 31}}))
    assert "m_29" in set(views.call_list(by_policy)["lead_id"])
    # E = 241: m_301 (241 over its target) is breached now; h_300 (295 over) still escalated
    later = model_with(policy=policy_from_dict({"escalation_minutes": 241}))
    stages = views.call_list(later).set_index("lead_id")["stage"]
    assert stages["m_301"] == "breached" and stages["h_300"] == "escalated"  # 295 over > 241


def test_a_negative_or_endless_warning_is_refused(model):
    for bad in (-1, float("inf"), float("nan")):
        with pytest.raises(ValueError, match="warning time"):
            views.call_list(model, warn_minutes=bad)


def test_filters_narrow_the_list(model):
    from handoff.model import Filters

    assert list(views.call_list(model, Filters(owners=("r2",)))["lead_id"]) == ["m_60", "h_300", "m_later"]
    assert list(views.call_list(model, Filters(tiers=("low",)))["lead_id"]) == ["l_night", "l_690", "w_open"]


def test_counts_and_groups_by_rep(calls):
    assert views.call_list_counts(calls) == {"warning": 3, "breached": 6, "escalated": 3}
    assert views.call_list_counts(calls.iloc[0:0]) == {"warning": 0, "breached": 0, "escalated": 0}
    groups = views.call_list_by_rep(calls)
    # Ann 8 leads, Bo 3, unassigned 1; each rep's leads stay in calling order
    assert [(owner, name, len(rows)) for owner, name, rows in groups] == [("r1", "Ann", 8), ("r2", "Bo", 3),
                                                                         (None, None, 1)]
    assert list(groups[1][2]["lead_id"]) == ["m_60", "h_300", "m_later"]


# -- CRM links -----------------------------------------------------------------------------------------
def test_salesforce_links(model):
    sf = model_with({"origin": "salesforce", "salesforce_instance_url": "https://acme.my.salesforce.com"})
    row = views.call_list(sf).set_index("lead_id")
    assert row.loc["m_30", "crm_url"] == "https://acme.my.salesforce.com/lightning/r/Lead/m_30/view"
    assert views.call_list_system(sf) == "Salesforce"
    assert views.call_list_system(model) is None


def test_hubspot_links_default_and_own_ui_domain():
    hs = model_with({"origin": "hubspot", "hubspot_portal_id": "4411"})
    assert views.call_list(hs).set_index("lead_id").loc["m_30", "crm_url"] == (
        "https://app.hubspot.com/contacts/4411/record/0-1/m_30"
    )
    eu = model_with({"origin": "hubspot", "hubspot_portal_id": "4411", "hubspot_ui_domain": "app-eu1.hubspot.com"})
    assert views.call_list(eu).set_index("lead_id").loc["m_30", "crm_url"] == (
        "https://app-eu1.hubspot.com/contacts/4411/record/0-1/m_30"
    )
    assert views.call_list_system(eu) == "HubSpot"


def test_a_lead_id_is_quoted_as_one_path_segment():
    odd = [lead("a/../b?x=1#y", "2026-06-04T17:00:00Z", **MEDIUM), lead("..", "2026-06-04T17:00:00Z", **MEDIUM)]
    sf = model_with({"origin": "salesforce", "salesforce_instance_url": "https://acme.my.salesforce.com/"}, odd)
    urls = views.call_list(sf).set_index("lead_id")["crm_url"]
    assert urls["a/../b?x=1#y"] == "https://acme.my.salesforce.com/lightning/r/Lead/a%2F..%2Fb%3Fx%3D1%23y/view"
    assert urls[".."] == "https://acme.my.salesforce.com/lightning/r/Lead/%2E%2E/view"


@pytest.mark.parametrize(
    "instance_url",
    [
        "http://acme.my.salesforce.com",  # not https
        "https://evil.example.com",  # not Salesforce
        "https://acme.my.salesforce.com.evil.com",
        "https://evilsalesforce.com",
        "https://user:pw@acme.my.salesforce.com",
        "https://acme.my.salesforce.com:8443",
        "https://acme.my.salesforce.com/other/path",
        "https://acme.my.salesforce.com?next=https://evil.com",
        "javascript:alert(1)//acme.my.salesforce.com",
        "",
    ],
)
def test_an_invalid_salesforce_instance_url_is_refused(instance_url):
    links = crm.links_from({"origin": "salesforce", "salesforce_instance_url": instance_url})
    assert links.system is None and links.url("L1") is None and links.problem


@pytest.mark.parametrize(
    "settings",
    [
        {"hubspot_portal_id": "44a1"},
        {"hubspot_portal_id": "4411/../x"},
        {"hubspot_portal_id": ""},
        {"hubspot_portal_id": "4411", "hubspot_ui_domain": "evil.com"},
        {"hubspot_portal_id": "4411", "hubspot_ui_domain": "app.hubspot.com.evil.com"},
        {"hubspot_portal_id": "4411", "hubspot_ui_domain": "app.hubspot.com/x"},
        {"hubspot_portal_id": "4411", "hubspot_ui_domain": "evil.hubspot.com"},
    ],
)
def test_an_invalid_hubspot_setting_is_refused(settings):
    links = crm.links_from({"origin": "hubspot", **settings})
    assert links.system is None and links.url("L1") is None and links.problem


def test_an_invalid_setting_in_the_store_gives_no_links():
    bad = model_with({"origin": "salesforce", "salesforce_instance_url": "http://acme.my.salesforce.com"})
    assert views.call_list(bad)["crm_url"].isna().all()
    assert views.call_list_system(bad) is None


@pytest.mark.parametrize("origin", ["files", "sample", "upload", "pipedrive"])
def test_files_and_other_origins_have_no_links(origin):
    links = crm.links_from({"origin": origin, "salesforce_instance_url": "https://acme.my.salesforce.com"})
    assert links.system is None and links.problem is None and links.url("L1") is None


def test_without_an_origin_the_one_crm_with_settings_is_the_stores():
    # a store a sync filled (the sync writes its CRM's settings, not necessarily an origin)
    salesforce = crm.links_from({"salesforce_instance_url": "https://acme.lightning.force.com"})
    assert salesforce.url("00Q1") == "https://acme.lightning.force.com/lightning/r/Lead/00Q1/view"
    assert crm.links_from({"hubspot_portal_id": "77"}).url("5") == "https://app.hubspot.com/contacts/77/record/0-1/5"
    # both, or neither: no way to tell, no links
    both = {"salesforce_instance_url": "https://acme.my.salesforce.com", "hubspot_portal_id": "77"}
    assert crm.links_from(both).system is None and crm.links_from({}).system is None
    # an explicit origin wins
    assert crm.links_from({**both, "origin": "hubspot"}).name == "HubSpot"
    model = model_with({"salesforce_instance_url": "https://acme.my.salesforce.com"})
    assert views.call_list(model)["crm_url"].str.startswith("https://acme.my.salesforce.com/").all()


@pytest.mark.parametrize(
    "instance_url,base",
    [
        ("https://acme.my.salesforce.com", "https://acme.my.salesforce.com"),
        ("https://ACME.my.Salesforce.com/", "https://acme.my.salesforce.com"),
        ("https://acme.lightning.force.com", "https://acme.lightning.force.com"),
        ("https://acme.my.salesforce.mil", "https://acme.my.salesforce.mil"),
        ("https://acme.cloudforce.com:443", "https://acme.cloudforce.com"),
    ],
)
def test_salesforce_hosts_accepted(instance_url, base):
    assert crm.salesforce_base(instance_url) == base
