"""The metric registry is the one place a metric is declared: a metric added there alone
shows up in `handoff metrics` (text and JSON), the generated docs and a page's help; the
declared dimensions, speed buckets and placeholders are the only copies the model has."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import handoff.model as model_package
from handoff.cli import main
from handoff.model import compose, definitions, dimensions, docs, speed_bucket_table, views
from handoff.model.definitions import HANDOFFS, HIGHER, LOWER, METRICS, METRICS_OF_GROUP, UNITS, Metric
from handoff.policy import Policy, policy_from_dict
from handoff.schema import NEVER_BUCKET, SPEED_BUCKETS
from handmade import act, build_model, lead, meet

ROOT = Path(__file__).resolve().parents[1]
SQL = ROOT / "src" / "handoff" / "model" / "sql"
AS_OF = "2026-06-30T00:00:00Z"

THROWAWAY = Metric(
    "high_tier_share", "High-tier share",
    "High-tier handoffs / handoffs, over a meeting window of {meeting_window_days} business days.",
    "share", "count(*) FILTER (WHERE tier = 'high') / count(*)",
)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two handoffs on Tue 2026-06-02, one high tier (Demo request), one low (Webinar)."""
    d = tmp_path / "in"
    d.mkdir()
    (d / "reps.csv").write_text("rep_id,name,team,timezone,country\nr1,Ann,East,America/New_York,US\n")
    (d / "leads.csv").write_text(
        "lead_id,created_at,mql_at,owner_id,source\n"
        "L1,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Demo request\n"
        "L2,2026-06-02T13:00:00Z,2026-06-02T14:00:00Z,r1,Webinar\n"
    )
    (d / "activities.csv").write_text("activity_id,lead_id,type,occurred_at\na1,L1,call,2026-06-02T14:04:00Z\n")
    return d


@pytest.fixture
def with_throwaway(monkeypatch):
    monkeypatch.setattr(definitions, "METRICS", METRICS + (THROWAWAY,))


# -- a metric added through the registry alone ------------------------------------------------
def test_a_new_metric_is_in_the_cli_text_as_a_percent(with_throwaway, folder, capsys):
    assert main(["metrics", "--data", str(folder), "--as-of", AS_OF]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^high_tier_share\s+50\.0%$", out, re.M), out


def test_a_new_metric_is_in_the_cli_json_overall_and_by_group(with_throwaway, folder, capsys):
    assert main(["metrics", "--data", str(folder), "--as-of", AS_OF, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["overall"]["high_tier_share"] == 0.5
    assert {r["tier"]: r["high_tier_share"] for r in report["by_tier"]} == {"high": 1.0, "low": 0.0}
    assert [r["high_tier_share"] for r in report["by_rep"]] == [0.5]
    assert [r["high_tier_share"] for r in report["by_week"]] == [0.5]


def test_a_new_metric_is_in_the_generated_docs(with_throwaway):
    text = docs.render()
    assert ("| `high_tier_share` | High-tier share | High-tier handoffs / handoffs, over a meeting "
            "window of 10 business days. | share |") in text


def test_a_new_metric_is_in_the_help_a_page_shows(with_throwaway):
    """AppTest runs the helper every page draws a headline with."""
    def script():
        from handoff.ui import page

        page.metric("high_tier_share", 0.5, change=0.1)

    at = AppTest.from_function(script, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    headline = at.metric[0]
    assert headline.label == "High-tier share" and headline.value == "50.0%"
    assert headline.proto.help == (
        "High-tier handoffs / handoffs, over a meeting window of 10 business days. Unit: share."
    )


def test_a_new_metric_is_in_the_weekly_comparison_and_table_formats(with_throwaway, ny_rep):
    from handoff.ui import format

    model = build_model(reps=[ny_rep], leads=[lead("a", source="Demo request"), lead("b")], as_of=AS_OF)
    week = views.weeks(model, dimensions.Filters())[0]
    row = views.this_week(model, dimensions.Filters(), week).set_index("metric").loc["high_tier_share"]
    assert (row["label"], row["unit"], row["current"]) == ("High-tier share", "share", 0.5)
    column = format.metric_column("high_tier_share", Policy())
    assert column["label"] == "High-tier share" and column["type_config"]["format"] == "percent"


# -- the registry itself ----------------------------------------------------------------------
def test_names_are_unique_identifiers():
    names = [m.name for m in METRICS]
    assert len(names) == len(set(names))
    assert all(re.fullmatch(r"[a-z][a-z0-9_]*", n) for n in names)


@pytest.mark.parametrize("metric", METRICS, ids=lambda m: m.name)
def test_every_metric_is_fully_declared(metric):
    assert metric.label and metric.definition and metric.sql
    assert metric.unit in UNITS
    assert metric.direction in (HIGHER, LOWER, None)
    assert metric.over in (HANDOFFS, METRICS_OF_GROUP)
    if metric.over == METRICS_OF_GROUP:  # a formula names only aggregates over the handoffs
        aggregates = {m.name for m in METRICS if m.over == HANDOFFS}
        words = set(re.findall(r"[a-z_]+", metric.sql)) - {"nullif"}
        assert words <= aggregates, words - aggregates


POLICIES = {
    "default": Policy(),
    "changed": policy_from_dict({
        "meeting_window_days": 7, "disposition_sla_hours": 24, "acceptance_target": 0.8,
        "cadence_target": 4, "sla_minutes": {"high": 15}, "bands": {"excellent": 0.5},
    }),
}


@pytest.mark.parametrize("policy", POLICIES.values(), ids=list(POLICIES))
def test_every_template_fills_from_a_policy(policy):
    for entry in (*METRICS, *definitions.LISTS):
        for text in (definitions.label(entry.name, policy), definitions.help_text(entry.name, policy)):
            assert "{" not in text and "}" not in text, text
    for m in METRICS:
        assert "{" not in definitions.header(m.name, policy)
        if m.target:
            assert 0 <= definitions.target(m.name, policy) <= 1


def test_a_changed_policy_changes_the_help_text_and_labels():
    changed = POLICIES["changed"]
    assert "within 7 business days" in definitions.help_text("handoff_to_meeting_rate", changed)
    assert "50%+ excellent" in definitions.help_text("handoff_to_meeting_rate", changed)
    assert "Target 80%." in definitions.help_text("acceptance_rate", changed)
    assert "at least 4 qualifying touches" in definitions.help_text("cadence_met", changed)
    assert "(15, 60 and 480 business minutes" in definitions.help_text("met", changed)
    assert definitions.label("undispositioned", changed) == "Without disposition after 24 h"
    assert definitions.label("undispositioned") == "Without disposition after 48 h"
    assert definitions.target("acceptance_rate", changed) == 0.8
    assert definitions.target("handoff_to_meeting_rate", changed) == 0.5


def test_a_template_naming_no_setting_is_an_error():
    with pytest.raises(KeyError):
        definitions.fill("within {meeting_windows} days", Policy())


@pytest.mark.parametrize("value, unit, text, change", [
    (0.3, "share", "30.0%", "+30.0 pts"),
    (1234.56, "business minutes", "1,234.6 min", "+1,234.6 min"),
    (12.0, "minutes", "12.0 min", "+12.0 min"),
    (19280, "count", "19,280", "+19,280"),
    (66048000.0, "money", "66,048,000", "+66,048,000"),
    (4.25, "touches", "4.2", "+4.2"),
    (None, "share", "n/a", None),
    (float("nan"), "count", "n/a", None),
    (pd.NA, "count", "n/a", None),
])
def test_values_read_by_unit(value, unit, text, change):
    assert definitions.show(value, unit) == text
    assert definitions.show_change(value, unit) == change


def test_metrics_has_one_column_per_registry_metric_in_order(ny_rep):
    model = build_model(reps=[ny_rep], leads=[lead("a")], as_of=AS_OF)
    frame = model.metrics("tier")
    assert list(frame.columns) == ["group", "owner_name", "team", *definitions.names(), *definitions.status_names(),
                                   "meeting_band"]


def test_the_cli_and_the_app_show_the_same_metrics(folder, capsys):
    assert main(["metrics", "--data", str(folder), "--as-of", AS_OF, "--json"]) == 0
    overall = json.loads(capsys.readouterr().out)["overall"]
    assert set(definitions.names()) <= set(overall)
    assert main(["metrics", "--data", str(folder), "--as-of", AS_OF]) == 0
    text = capsys.readouterr().out
    for m in METRICS:
        line = re.search(rf"^{m.name}\s+(\S+)$", text, re.M)
        assert line, m.name
        if m.unit == "share" and overall[m.name] is not None:
            assert line.group(1).endswith("%"), (m.name, line.group(1))
    model = build_model(reps=[{"rep_id": "r1", "timezone": "America/New_York", "country": "US"}],
                        leads=[lead("L1", source="Demo request"), lead("L2")],
                        activities=[act("a1", "L1", "2026-06-02T14:04:00Z")], as_of=AS_OF)
    app = views.overall(model, dimensions.Filters())
    assert set(definitions.names()) <= set(app.index)
    assert app["contacted_share"] == overall["contacted_share"] == 0.5
    assert app["assigned_share"] == overall["assigned_share"] == 1.0


# -- one home each ----------------------------------------------------------------------------
def test_speed_buckets_reach_sql_as_a_table_from_the_schema():
    table = speed_bucket_table()
    assert list(table["name"]) == [n for n, _ in SPEED_BUCKETS] + [NEVER_BUCKET]
    uppers = [None if pd.isna(u) else u for u in table["upper_minutes"]]
    assert uppers == [u for _, u in SPEED_BUCKETS] + [None]
    assert list(table["lower_minutes"].iloc[1:-1]) == [u for _, u in SPEED_BUCKETS[:-1]]
    text = (SQL / "lead_handoff.sql").read_text()
    assert not any(f"'{name}'" in text for name, _ in SPEED_BUCKETS), "bucket names belong to the table"
    assert not re.search(r"\b(4320|1440)\b", text), "bucket bounds belong to the table"


def test_a_bucket_bound_moved_in_the_schema_moves_the_facts(monkeypatch, ny_rep):
    moved = (("0-5m", 5), ("5-30m", 30), ("30-60m", 60), ("1-4h", 240), ("4-24h", 1440), ("1-3d", 4320), ("3d+", None))
    leads = [lead("a")]
    acts = [act("x", "a", "2026-06-02T14:07:00Z")]  # 7 minutes
    assert build_model(reps=[ny_rep], leads=leads, activities=acts, as_of=AS_OF).leads()["speed_bucket"][0] == "5-30m"
    monkeypatch.setattr(model_package, "SPEED_BUCKETS", (("0-10m", 10),) + moved[1:])
    assert build_model(reps=[ny_rep], leads=leads, activities=acts, as_of=AS_OF).leads()["speed_bucket"][0] == "0-10m"


def test_microseconds_are_converted_by_the_unit_macros_only():
    for path in SQL.glob("*.sql"):
        if path.name != "units.sql":
            assert not re.search(r"60000000|3600000000", path.read_text()), path.name


MACROS_ONLY = {"units.sql", "business_time.sql"}


@pytest.mark.parametrize("path", sorted(SQL.glob("*.sql")), ids=lambda p: p.name)
def test_every_sql_file_states_its_grain(path):
    header = "".join(line for line in path.read_text().splitlines() if line.startswith("--"))
    if path.name not in MACROS_ONLY:
        assert "one row per" in header, path.name


def test_placeholders_are_declared_once():
    for path in [*SQL.glob("*.sql"), *(ROOT / "src" / "handoff" / "model").glob("*.py"),
                 *(ROOT / "src" / "handoff" / "ui").glob("*.py"), *(ROOT / "pages").glob("*.py")]:
        if path.name != "dimensions.py":
            text = path.read_text()
            assert "(unassigned)" not in text and "'(none)'" not in text, path.name


def test_placeholders_reach_sql_as_parameters(ny_rep, monkeypatch):
    leads = [lead("a", owner_id=None, source=None), lead("b")]
    monkeypatch.setitem(dimensions.PLACEHOLDERS, "unassigned", "-nobody-")
    monkeypatch.setitem(dimensions.PLACEHOLDERS, "none", "-blank-")
    model = build_model(reps=[ny_rep], leads=leads, as_of=AS_OF)
    assert set(model.metrics("rep")["group"]) == {"-nobody-", "r1"}
    assert set(model.metrics("source")["group"]) == {"-blank-", "Webinar"}
    picked = model.metrics("all", dimensions.Filters(owners=("-nobody-",), sources=("-blank-",)))
    assert picked.iloc[0]["handoffs"] == 1
    options = views.filter_options(model)
    assert options["rep"]["-nobody-"] == "-nobody-" and options["source"]["-blank-"] == "-blank-"


def test_filters_are_the_declared_dimensions():
    from handoff.ui import filters as sidebar

    fields = [f for f in dimensions.Filters.__dataclass_fields__]
    assert fields == ["date_from", "date_to", *(d.filter for d in dimensions.FILTERED)]
    assert sidebar.DIMENSIONS == tuple((d.key, d.label, d.filter) for d in dimensions.FILTERED)


def test_a_new_filter_dimension_is_one_declaration(monkeypatch, ny_rep):
    """Declare campaign as filtered: the selection, the scope macro, the options follow."""
    filtered = dimensions.FILTERED + (dimensions.Dimension("campaign", "Campaign", "campaign", "none",
                                                           filter="campaigns"),)
    selection = dimensions.filters_class(filtered)
    monkeypatch.setattr(dimensions, "FILTERED", filtered)
    monkeypatch.setattr(model_package, "Filters", selection)  # as `Filters = filters_class(FILTERED)` would
    leads = [lead("a", campaign="Spring"), lead("b", campaign="Fall"), lead("c")]
    model = build_model(reps=[ny_rep], leads=leads, as_of=AS_OF)
    assert model.metrics("all", selection(campaigns=("Spring", "(none)"))).iloc[0]["handoffs"] == 2
    assert list(model.lead_handoff(selection(campaigns=("Fall",)))["lead_id"]) == ["b"]
    assert set(views.filter_options(model)["campaign"]) == {"Spring", "Fall", "(none)"}


def test_groupings_are_the_declared_dimensions():
    assert set(dimensions.GROUPS) == {"all", *(d.key for d in dimensions.DIMENSIONS)}
    with pytest.raises(ValueError, match="unknown grouping"):
        compose.render("SELECT {group}", group="owner_id; DROP TABLE leads")


def test_rejects_columns_are_declared_once():
    from handoff.schema import REJECT_COLUMNS
    from handoff.store import Store

    store = Store()
    columns = [r[0] for r in store.con.execute("DESCRIBE rejects").fetchall()]
    assert columns == ["load_id", *REJECT_COLUMNS]
    model_sql = (SQL / "recent_rejects.sql").read_text()
    assert "record_id" not in model_sql, "the model reads the rejects table as it is"


def test_disposition_codes_normalise_in_one_place():
    from handoff.policy import normalise_code

    policy = Policy()
    assert normalise_code("WRONG_PERSONA") == normalise_code("wrong  persona") == normalise_code("Wrong Persona")
    assert policy.disposition_code("BAD_FIT") == "Bad Fit"
    assert policy.disposition_code(" qualified\t") == "Qualified"
    assert policy.disposition_code("Maybe") is None and policy.disposition_code(None) is None
    with pytest.raises(ValueError, match="same code"):
        policy_from_dict({"disposition_codes": ["Qualified", "QUALIFIED "]})


def test_meeting_booked_counts_as_contact_in_the_shares(ny_rep):
    """contacted_share is computed in SQL: a booking is contact, as the definition says."""
    model = build_model(reps=[ny_rep], leads=[lead("a"), lead("b")],
                        meetings=[meet("m", "a", "2026-06-02T15:00:00Z")], as_of=AS_OF)
    row = model.metrics("all").iloc[0]
    assert (row["contacted_share"], row["assigned_share"], row["never_contacted_rate"]) == (0.5, 1.0, 0.5)


@pytest.fixture
def app_with_policy(tmp_path, monkeypatch):
    """The app on the sample, with a handoff.toml of 24-hour dispositions in the working folder."""
    from streamlit.runtime.pages_manager import PagesManager

    from handoff.ui import state

    original = PagesManager.__init__

    def init(self, *args, **kwargs):  # keep st.navigation routing across runs (see tests/app/conftest.py)
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.delenv("HANDOFF_DB", raising=False)
    (tmp_path / "handoff.toml").write_text("disposition_sla_hours = 24\n")
    monkeypatch.chdir(tmp_path)
    caches = (state.policy, state._load, state._answer, state._options)
    for cache in caches:
        cache.clear()
    yield str(ROOT / "app.py")
    for cache in caches:
        cache.clear()


def test_a_page_help_follows_handoff_toml(app_with_policy):
    at = AppTest.from_file(app_with_policy, default_timeout=120)
    at.run()
    at.switch_page("pages/4_dispositions.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    headline = next(m for m in at.metric if m.label == "Without disposition after 24 h")
    assert "more than 24 hours before the as-of time" in headline.proto.help
    assert any(h.value == "Without disposition after 24 h" for h in at.subheader)
