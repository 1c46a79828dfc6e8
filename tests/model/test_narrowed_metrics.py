"""A question that asks for some metrics gets the same values as the whole registry gives,
computed without the rest (and without the young-cohort facts when none of them reads those)."""

from __future__ import annotations

import pandas as pd
import pytest

from handoff.data import open_sample
from handoff.model import Filters, Model, sql_text
from handoff.model import definitions as registry
from handoff.model.compose import render
from handoff.policy import Policy

GROUPS = ("all", "week", "rep", "tier", "speed_bucket")
NAMES = [*registry.names(), *registry.status_names()]


@pytest.fixture(scope="module")
def model():
    store = open_sample()
    yield Model(store.con, Policy())
    store.close()


@pytest.fixture(scope="module")
def whole(model):
    filters = Filters(tiers=("high", "medium"))
    return {by: model.metrics(by, filters).set_index("group") for by in GROUPS}


@pytest.mark.parametrize("by", GROUPS)
def test_each_metric_asked_alone_equals_the_whole_registry(model, whole, by):
    filters = Filters(tiers=("high", "medium"))
    full = whole[by]
    for name in NAMES:
        narrow = model.metrics(by, filters, columns=[name]).set_index("group")
        assert list(narrow.index) == list(full.index), name
        pd.testing.assert_series_equal(narrow[name], full[name], check_dtype=False, obj=name)
        # only what was asked for and what it is computed from
        assert set(narrow.columns) <= {"owner_name", "team", "meeting_band", *registry.required({name})}, name


def test_several_metrics_with_a_band(model, whole):
    filters = Filters(tiers=("high", "medium"))
    cols = ["handoff_to_meeting_rate", "mature", "sla_compliance"]
    narrow = model.metrics("week", filters, columns=cols).set_index("group")
    full = whole["week"]
    for name in [*cols, "meeting_band"]:
        pd.testing.assert_series_equal(narrow[name], full[name], check_dtype=False, obj=name)


def test_the_cohort_is_read_only_by_metrics_that_need_it():
    sql = sql_text("handoff_metrics.sql")
    assert "handoff_cohort" not in render(
        sql, group="all", metrics=frozenset({"sla_compliance", "median_response_business_minutes"})
    )
    assert "handoff_cohort" in render(sql, group="all", metrics=frozenset({"projected"}))
    assert "handoff_cohort" in render(sql, group="all")
    # a formula brings the counts it divides
    assert {"met", "breached"} <= registry.required({"sla_compliance"})


def test_mature_weeks_only_is_computed_whole(model):
    filters = Filters(tiers=("high", "medium"))
    full = model.metrics("speed_bucket", filters, mature_weeks_only=True).set_index("group")
    narrow = model.metrics("speed_bucket", filters, mature_weeks_only=True, columns=["handoffs"]).set_index("group")
    pd.testing.assert_series_equal(narrow["handoffs"], full["handoffs"])
    assert narrow["handoffs"].sum() < model.metrics("all", filters, columns=["handoffs"])["handoffs"].sum()


def test_an_unknown_metric_is_refused(model):
    with pytest.raises(ValueError, match="not in the metric registry"):
        model.metrics("all", None, columns=["handoffs; DROP TABLE leads"])
