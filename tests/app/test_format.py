"""Numbers for people: money in the policy's currency, counts, rates, durations with their
clock named, and table headers shared by tables and their CSV downloads."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from handoff.policy import Policy
from handoff.ui import format

MISSING = "\u2014"


@pytest.mark.parametrize(
    "value, currency, compact, text",
    [
        (73_726_334, "USD", True, "$73.7M"),
        (73_726_334, "USD", False, "$73,726,334"),
        (205_800, "USD", True, "$205.8K"),
        (950, "USD", True, "$950"),
        (950.4, "USD", False, "$950"),
        (999.6, "USD", True, "$1.0K"),
        (999_960, "USD", True, "$1.0M"),
        (1_234_000_000, "USD", True, "$1.2B"),
        (2.4e15, "USD", True, "$2,400.0T"),
        (2.4e15, "USD", False, "$2,400,000,000,000,000"),
        (-205_800, "USD", True, "-$205.8K"),
        (-1_500, "USD", False, "-$1,500"),
        (0, "USD", True, "$0"),
        (-0.2, "USD", False, "$0"),
        (73_726_334, "EUR", True, "\u20ac73.7M"),
        (1_234, "GBP", False, "\u00a31,234"),
        (5_000_000, "JPY", False, "\u00a55,000,000"),
        (5_000_000, "jpy", True, "\u00a55.0M"),
        (73_726_334, "CHF", True, "CHF 73.7M"),
        (-1_234, "SEK", False, "-SEK 1,234"),
        (None, "USD", True, MISSING),
        (math.nan, "EUR", False, MISSING),
        (pd.NA, "USD", False, MISSING),
    ],
)
def test_money(value, currency, compact, text):
    assert format.money(value, currency, compact=compact) == text


def test_money_defaults_to_dollars_in_full():
    assert format.money(1234567.89) == "$1,234,568"


@pytest.mark.parametrize(
    "value, text",
    [
        (0, "0"),
        (7, "7"),
        (1234, "1,234"),
        (1_234_567.4, "1,234,567"),
        (-3200, "-3,200"),
        (None, MISSING),
        (math.nan, MISSING),
    ],
)
def test_count(value, text):
    assert format.count(value) == text


@pytest.mark.parametrize(
    "value, text",
    [
        (0.598, "59.8%"),
        (0.5984, "59.8%"),
        (1, "100.0%"),
        (0, "0.0%"),
        (-0.0001, "0.0%"),
        (-0.125, "-12.5%"),
        (12.3456, "1,234.6%"),
        (None, MISSING),
        (math.nan, MISSING),
    ],
)
def test_rate_has_one_decimal(value, text):
    assert format.rate(value) == text


def test_points_are_signed():
    assert format.points(0.032) == "+3.2 pp"
    assert format.points(-0.1) == "-10.0 pp"
    assert format.points(None) == MISSING


@pytest.mark.parametrize(
    "minutes, clock, text",
    [
        (42, "business", "42 business min"),
        (4.54, "business", "4.5 business min"),
        (5, "business", "5 business min"),
        (0, "business", "0 business min"),
        (59.4, "business", "59 business min"),
        (59.6, "business", "1.0 business h"),
        (320, "business", "5.3 business h"),
        (2400, "business", "40.0 business h"),  # a business week: 5 days of 8 h
        (4416, "business", "9.2 business days"),
        (-42, "business", "-42 business min"),
        (-320, "business", "-5.3 business h"),
        (-0.01, "business", "0 business min"),
        (42, "wall-clock", "42 wall-clock min"),
        (2340, "wall-clock", "39.0 wall-clock h"),
        (10080, "wall-clock", "168.0 wall-clock h"),
        (13248, "wall-clock", "9.2 wall-clock days"),
        (None, "business", MISSING),
        (math.nan, "wall-clock", MISSING),
    ],
)
def test_duration_names_its_clock_and_unit(minutes, clock, text):
    assert format.duration(minutes, clock) == text


def test_duration_days_follow_the_business_day_length():
    # A 10-hour business day: 20 business days are 12,000 business minutes.
    assert format.duration(12_000, "business", day_minutes=600) == "20.0 business days"
    assert format.duration(12_000, "business") == "25.0 business days"


def test_duration_rejects_an_unknown_clock():
    with pytest.raises(ValueError, match="clock"):
        format.duration(5, "lunar")  # type: ignore[arg-type]


def test_symbol():
    assert [format.symbol(c) for c in ("USD", "EUR", "GBP", "JPY", "CAD")] == ["$", "\u20ac", "\u00a3", "\u00a5", "CAD"]


def test_money_column_uses_the_currency():
    assert format.money_column("Leak", "EUR")["type_config"]["format"] == "euro"
    chf = format.money_column("Leak", "CHF")
    assert chf["label"] == "Leak (CHF)" and chf["type_config"]["format"] == "localized"


def test_metric_money_column_follows_the_policy_currency():
    column = format.metric_column("pipeline_amount", Policy(currency="GBP"))
    assert "(\u00a3)" in column["label"]


def test_headers_are_words_not_column_names():
    policy = Policy()
    assert format.header("owner_id", policy) == "Owner (CRM id)"
    assert format.header("response_business_minutes", policy) == "Response (business min)"
    assert format.header("some_new_column", policy) == "Some new column"


def test_help_is_filled_from_the_policy():
    help_text = format.columns(Policy(disposition_sla_hours=24))["dispositions_final"]["help"]
    assert "24 h" in help_text and "48" not in help_text


def test_csv_has_the_table_headers_and_rounded_numbers():
    frame = pd.DataFrame({"owner_id": ["r1"], "share": [1 / 3], "amount": [1234.5678912345]})
    config = {
        "owner_id": format.text("Owner"),
        "share": format.rate_column("Share"),
        "amount": format.money_column("Amount", "USD"),
    }
    text = format.csv_bytes(frame, config).decode()
    head, row = text.splitlines()[:2]
    assert head == "Owner,Share,Amount"
    assert row == "r1,0.3333,1234.57"


def test_csv_guards_formulas():
    text = format.csv_bytes(pd.DataFrame({"company": ["=HYPERLINK(1)"]}), {}).decode()
    assert "'=HYPERLINK" in text and text.startswith("Company")


def all_entries() -> list[str]:
    from handoff.model.definitions import LISTS, METRICS, STATUSES

    return [e.name for e in (*METRICS, *LISTS, *STATUSES)]


@pytest.mark.parametrize("name", all_entries())
def test_help_and_labels_read_without_column_names(name):
    from handoff.model import definitions as registry

    policy = Policy(meeting_window_days=7, disposition_sla_hours=24, acceptance_target=0.8)
    for text in (registry.help_text(name, policy), registry.label(name, policy)):
        shown = format.words(text)
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", shown), shown
        assert "10 business days" not in shown and "48 hours" not in shown and "70%" not in shown, shown


def test_words_keep_the_meaning():
    assert format.words("Handoffs with a first touch by as_of.") == "Handoffs with a first touch by the as-of time."
    assert (
        format.words("business minutes mql_at -> first touch")
        == "business minutes from the MQL time to the first touch"
    )
    assert format.words("whose disposition_at - mql_at <= 24 hours") == (
        "whose disposition came at most 24 hours after the MQL time"
    )
