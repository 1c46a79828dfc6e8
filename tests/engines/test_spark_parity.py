"""The model on Spark (local mode) gives what it gives on DuckDB: the per-lead facts, every column
(the extended ones too), and the aggregates `handoff metrics --json` prints, on a fixture with the
clock's hard cases and on the sample data. Counts, flags, text and instants are equal exactly;
minutes and shares within 1e-9.

The fixture's business hours run 00:30-23:30 every day, so the daylight-saving changes (US on
2026-03-08 and 2026-11-01, the UK on 2026-03-29 and 2026-10-25) fall inside business days, and
reps in three timezones with their countries' holidays (US Independence Day observed Fri
2026-07-03, Thanksgiving 2026-11-26, Christmas; the UK's and India's) change which days are open.
Leads arrive at opening and closing instants, inside the skipped and the repeated hour, and just
before holidays; touches land exactly at the SLA target and a second after it.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from handmade import act, build_store, frame, lead, meet, opp

from handoff.data import sample
from handoff.engines.spark import SparkConnection, SparkModel, session
from handoff.model import EXTENDED_COLUMNS, LEAD_COLUMNS, Model
from handoff.model.summary import metrics_summary
from handoff.policy import Policy

REPS = [
    {"rep_id": "ny", "name": "Ann", "team": "East", "timezone": "America/New_York", "country": "US"},
    {"rep_id": "ldn", "name": "Ben", "team": "Europe", "timezone": "Europe/London", "country": "GB"},
    {"rep_id": "in", "name": "Chitra", "team": "Asia", "timezone": "Asia/Kolkata", "country": "IN"},
]
POLICY = Policy.model_validate(
    {
        "timezone": "America/New_York",
        "holiday_country": "US",
        "business_hours": {"start": "00:30", "end": "23:30", "days": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]},
        "sla_minutes": {"high": 5, "medium": 60, "low": 480},
        "meeting_window_days": 2,
    }
)
AS_OF = datetime(2026, 12, 1, 12, tzinfo=UTC)
# instants around which leads arrive (UTC): the DST changes (inside business hours here), the
# holidays' eves and the opening and closing instants of New York, London and Kolkata
MOMENTS = [
    "2026-03-08T06:59:59Z",
    "2026-03-08T07:00:00Z",
    "2026-03-08T07:30:00Z",  # US spring forward
    "2026-03-29T00:59:59Z",
    "2026-03-29T01:00:00Z",
    "2026-03-29T01:30:00Z",  # UK spring forward
    "2026-10-25T00:30:00Z",
    "2026-10-25T01:00:00Z",
    "2026-10-25T01:30:00Z",  # UK fall back
    "2026-11-01T05:30:00Z",
    "2026-11-01T06:00:00Z",
    "2026-11-01T06:30:00Z",  # US fall back
    "2026-07-02T23:00:00Z",
    "2026-07-03T04:29:59Z",
    "2026-07-04T03:30:00Z",  # US Independence Day
    "2026-11-25T23:59:00Z",
    "2026-11-26T12:00:00Z",
    "2026-11-27T04:30:00Z",  # Thanksgiving
    "2026-08-14T18:00:00Z",
    "2026-08-15T03:00:00Z",  # India's Independence Day
    "2026-11-29T05:30:00Z",
    "2026-11-29T04:29:59Z",
    "2026-11-30T23:59:59Z",  # opening, closing
    "2026-11-30T19:00:00Z",
    "2026-11-30T18:00:00Z",
    "2026-12-01T11:59:59Z",  # late, to as_of
]
# business minutes after mql_at of the first touch: none, at once, exactly at a target, a second
# after it, across a night
RESPONSES = [None, 0.0, 5.0, 5 + 1 / 60, 60.0, 60 + 1 / 60, 480.0, 480 + 1 / 60, 1500.0]
SOURCES = ["Demo request", "Free trial", "Webinar", "", "Partner referral"]


def _iso(t: datetime) -> str:
    return t.isoformat().replace("+00:00", "Z")


def hard_cases() -> dict[str, list[dict]]:
    leads, acts, meetings, opps, changes = [], [], [], [], []
    owners = ["ny", "ldn", "in", "gone", None]
    n = 0
    for i, moment in enumerate(MOMENTS):
        at = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        for j, minutes in enumerate(RESPONSES):
            n += 1
            lead_id = f"L{n:04d}"
            owner = owners[(i + j) % len(owners)]
            leads.append(
                lead(
                    lead_id,
                    _iso(at),
                    owner_id=owner,
                    source=SOURCES[(i * 3 + j) % len(SOURCES)],
                    campaign=f"c{j % 3}" if j % 4 else None,
                    assigned_at=_iso(at + timedelta(minutes=7 * j - 10)) if j % 3 else None,
                    disposition=("Qualified", "Bad Fit", None)[j % 3],
                    disposition_at=_iso(at + timedelta(hours=10 * j)) if j % 3 < 2 else None,
                    sql_at=_iso(at + timedelta(days=1)) if j % 4 == 1 else None,
                )
            )
            if minutes is not None:
                # wall-clock minutes: business time is the whole day here, but for the closed
                # hour at night and the holidays, which is what the clock must get right
                acts.append(act(f"A{n}", lead_id, _iso(at + timedelta(minutes=minutes))))
                acts.append(act(f"A{n}b", lead_id, _iso(at + timedelta(minutes=minutes + 30)), type="email"))
                acts.append(act(f"A{n}c", lead_id, _iso(at + timedelta(minutes=minutes - 1)), direction="inbound"))
            if j % 2 == 0:
                status = "canceled" if j % 4 == 0 else "scheduled"
                meetings.append(meet(f"M{n}", lead_id, _iso(at + timedelta(hours=20 + 10 * j)), status=status))
            if j % 3 == 0:
                opps.append(
                    opp(
                        f"O{n}",
                        lead_id,
                        _iso(at + timedelta(days=2)),
                        amount=1000.0 * j,
                        is_won=j % 2 == 0,
                        is_closed=j % 2 == 0,
                        closed_at=_iso(at + timedelta(days=5)) if j % 2 == 0 else None,
                    )
                )
            if j % 3 == 1:
                # a queue at mql_at, then reps; two changes at one instant; one at the breach
                changes += [
                    {
                        "change_id": f"C{n}a",
                        "lead_id": lead_id,
                        "changed_at": _iso(at - timedelta(minutes=5)),
                        "from_owner_id": "queue",
                        "to_owner_id": "queue2",
                    },
                    {
                        "change_id": f"C{n}b",
                        "lead_id": lead_id,
                        "changed_at": _iso(at + timedelta(minutes=5)),
                        "from_owner_id": "queue2",
                        "to_owner_id": "ny",
                    },
                    {
                        "change_id": f"C{n}c",
                        "lead_id": lead_id,
                        "changed_at": _iso(at + timedelta(minutes=5)),
                        "from_owner_id": "ny",
                        "to_owner_id": "ldn",
                    },
                    {
                        "change_id": f"C{n}d",
                        "lead_id": lead_id,
                        "changed_at": _iso(at + timedelta(minutes=65)),
                        "from_owner_id": "ldn",
                        "to_owner_id": "in",
                    },
                ]
    return {
        "reps": REPS,
        "leads": leads,
        "activities": acts,
        "meetings": meetings,
        "opportunities": opps,
        "owner_changes": changes,
    }


# The JVM of these tests: no web UI (its listeners record every stage and task of the many
# small jobs a build runs) and only the quick JIT compiler with a single-threaded collector, so
# the few minutes of small queries are not spent compiling and collecting on a 2-core machine.
# Only the speed changes: `session` below still sets every SQL option the engine relies on.
TEST_JVM = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC",
}


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[2]").appName("handoff")
    for key, value in TEST_JVM.items():
        builder = builder.config(key, value)
    builder.getOrCreate().sparkContext.setLogLevel("ERROR")
    return session("local[2]", shuffle_partitions=2)  # the session above, with the engine's settings


def _fixture_store():
    tables = hard_cases()
    store = build_store(**{k: v for k, v in tables.items() if k != "owner_changes"})
    store.upsert("owner_changes", frame(tables["owner_changes"]))
    return store


@pytest.fixture(scope="module")
def hard(spark):
    store = _fixture_store()
    duck = Model(store.con, POLICY, AS_OF)
    return duck, SparkModel(SparkConnection.from_store(spark, store.con), POLICY, AS_OF)


@pytest.fixture(scope="module")
def on_sample(spark):
    store = sample(Policy()).store
    duck = Model(store.con, Policy())
    return duck, SparkModel(SparkConnection.from_store(spark, store.con), Policy(), duck.as_of)


def differences(duck: pd.DataFrame, spark: pd.DataFrame) -> list[str]:
    """Column by column, row by row (ordered by lead): what differs."""
    out = []
    if list(duck.columns) != list(spark.columns):
        return [f"columns: {list(duck.columns)} != {list(spark.columns)}"]
    if len(duck) != len(spark):
        return [f"rows: {len(duck)} != {len(spark)}"]
    duck, spark = duck.sort_values("lead_id", ignore_index=True), spark.sort_values("lead_id", ignore_index=True)
    for column in duck.columns:
        for lead_id, a, b in zip(duck["lead_id"], duck[column], spark[column], strict=True):
            if not same(a, b):
                out.append(f"{column} of {lead_id}: duckdb {a!r}, spark {b!r}")
    return out


def same(a, b) -> bool:
    if _missing(a) or _missing(b):
        return _missing(a) and _missing(b)
    if isinstance(a, float) or isinstance(b, float):
        return isinstance(a, (int, float)) and isinstance(b, (int, float)) and abs(a - b) <= 1e-9
    if isinstance(a, pd.Timestamp) or isinstance(b, pd.Timestamp):
        return pd.Timestamp(a) == pd.Timestamp(b)
    return a == b and type(_plain(a)) is type(_plain(b))


def _plain(v):
    return v.item() if hasattr(v, "item") else v


def _missing(v) -> bool:
    return v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and math.isnan(v))


def summary_differences(a, b, path="") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        return [d for k in sorted(set(a) | set(b)) for d in summary_differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} rows on DuckDB, {len(b)} on Spark"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in summary_differences(x, y, f"{path}[{i}]")]
    return [] if same(a, b) else [f"{path}: duckdb {a!r}, spark {b!r}"]


def test_the_fixture_has_the_hard_cases(hard):
    duck, _ = hard
    facts = duck.lead_handoff()
    assert len(facts) == len(MOMENTS) * len(RESPONSES)
    assert set(facts["sla_status"]) == {"met", "breached", "pending"}
    assert facts["has_owner_history"].any() and facts["escalated"].notna().any()
    assert facts["meeting_in_window"].isna().any() and facts["meeting_in_window"].eq(True).any()


def test_per_lead_facts_are_equal_on_the_hard_cases(hard):
    duck, spark = hard
    assert differences(duck.lead_handoff(), spark.lead_handoff()) == []


def test_the_contract_columns_and_the_extended_ones_are_equal(hard):
    duck, spark = hard
    assert list(spark.leads(extended=True).columns) == LEAD_COLUMNS + EXTENDED_COLUMNS
    assert differences(duck.leads(extended=True), spark.leads(extended=True)) == []


def test_metrics_json_is_equal_on_the_hard_cases(hard):
    duck, spark = hard
    ours, theirs = metrics_summary(duck), metrics_summary(spark)
    assert ours["by_rep"] and ours["by_week"]
    assert summary_differences(ours, theirs) == []


def test_metrics_asked_for_a_few_columns_are_equal_on_the_hard_cases(hard):
    duck, spark = hard
    columns = ["handoffs", "sla_compliance", "median_response_business_minutes", "routing_known"]
    for by in ("all", "rep", "week"):
        ours = duck.metrics(by, columns=columns).set_index("group")[columns]
        theirs = spark.metrics(by, columns=columns).set_index("group")[columns]
        assert list(theirs.index) == list(ours.index), by
        for name in columns:
            assert all(same(a, b) for a, b in zip(ours[name], theirs[name], strict=True)), (by, name)


def test_per_lead_facts_are_equal_on_the_sample(on_sample):
    duck, spark = on_sample
    assert differences(duck.lead_handoff(), spark.lead_handoff()) == []


def test_metrics_json_is_equal_on_the_sample(on_sample):
    duck, spark = on_sample
    assert summary_differences(metrics_summary(duck), metrics_summary(spark)) == []


def test_the_build_runs_a_bounded_number_of_spark_jobs(on_sample):
    _, spark = on_sample
    assert 0 < spark.jobs < 200


def test_the_command_line_reads_parquet_on_spark_and_writes_what_duckdb_writes(spark, tmp_path, monkeypatch):
    """`handoff leads --engine spark --parquet DIR` against `handoff leads --db FILE`: the same
    CSV, byte for byte (the hard cases imported into a database, then written out as canonical
    Parquet files, the default policy)."""
    from handoff.cli import main
    from handoff.store import Store

    monkeypatch.chdir(tmp_path)  # no handoff.toml, no handoff.duckdb
    store, raw, canonical = _fixture_store(), tmp_path / "raw", tmp_path / "canonical"
    raw.mkdir()
    canonical.mkdir()
    names = ("reps", "leads", "activities", "meetings", "opportunities", "owner_changes")
    for name in names:
        store.con.execute(f"COPY (SELECT * EXCLUDE (extra) FROM {name}) TO '{raw / name}.parquet' (FORMAT parquet)")
    assert main(["import", str(raw), "--db", "h.duckdb"]) in (0, 1)
    with Store(tmp_path / "h.duckdb") as db:
        for name in names:
            target = canonical / f"{name}.parquet"
            db.con.execute(f"COPY (SELECT * EXCLUDE (extra) FROM {name}) TO '{target}' (FORMAT parquet)")
    as_of = ["--as-of", "2026-12-01T12:00:00Z"]
    assert main(["leads", "--db", "h.duckdb", *as_of, "--extended", "--out", "duck.csv"]) == 0
    spark_run = ["leads", "--engine", "spark", "--spark-master", "local[2]", "--parquet", str(canonical)]
    assert main([*spark_run, *as_of, "--extended", "--out", "spark.csv"]) == 0
    duck, theirs = (tmp_path / "duck.csv").read_text(), (tmp_path / "spark.csv").read_text()
    assert duck.count("\n") > 200
    assert duck == theirs
