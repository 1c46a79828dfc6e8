"""The model's SQL is one portable source for every engine: the constructs that DuckDB and Spark
read differently (or Spark not at all) live only in the per-engine snippets, and what the Spark
engine runs is exact: no approximate percentile, no DECIMAL arithmetic where DuckDB has DOUBLE.
No Spark session is needed here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import sqlglot
from test_layering import ROOT, SRC, imports, modules

from handoff.engines.spark import spark_sql, to_spark
from handoff.model import AGGREGATES, MACROS, PIPELINE, sql_text
from handoff.model.compose import render
from handoff.model.dimensions import GROUPS

SQL_DIR = SRC / "model" / "sql"
# What an engine reads its own way, and so may appear in sql/snippets/<engine>/ only.
ENGINE_SPECIFIC = {
    "a macro definition": r"\bCREATE\s+(OR\s+REPLACE\s+)?(TEMP\s+)?MACRO\b",
    "an ASOF join": r"\bASOF\b",
    "rowid": r"\browid\b",
    "epoch_us": r"\bepoch_(us|ms|ns)\s*\(",
    "timezone(tz, ts)": r"\btimezone\s*\(",
    "make_timestamp": r"\bmake_timestamp(tz)?\s*\(",
    "a DuckDB quantile": r"\b(quantile_cont|quantile_disc|quantile|percentile_cont|approx_quantile)\s*\(",
    "arg_max_null/arg_min_null": r"\barg_(max|min)(_null)?\s*\(",
    "list slicing": r"\[\s*-?\d*\s*:\s*-?\d*\s*\]",
    "a division by a decimal literal (DECIMAL on Spark)": r"/\s*\d+\.\d+",
    "a table macro call other than handoff_scope($filters) or handoff_cohort(...)": (
        r"\bhandoff_scope\((?!\$?filters\))|\bhandoff_cohort\((?!\$filters, \$reference_weeks\))"
    ),
}


def code(text: str) -> str:
    return "\n".join(line for line in text.split("\n") if not line.lstrip().startswith("--"))


def engine_specific(text: str) -> list[str]:
    return [name for name, pattern in ENGINE_SPECIFIC.items() if re.search(pattern, code(text), re.I)]


MODEL_FILES = sorted(p.name for p in SQL_DIR.glob("*.sql"))


@pytest.mark.parametrize("name", MODEL_FILES)
def test_model_files_use_no_engine_specific_construct(name):
    assert engine_specific((SQL_DIR / name).read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "planted,construct",
    [
        ("CREATE OR REPLACE MACRO f(x) AS x + 1", "a macro definition"),
        ("SELECT * FROM a ASOF LEFT JOIN b ON a.t >= b.t", "an ASOF join"),
        ("SELECT *, rowid AS lead_no FROM leads", "rowid"),
        ("SELECT epoch_us(mql_at) FROM leads", "epoch_us"),
        ("SELECT timezone($company_tz, mql_at) FROM leads", "timezone(tz, ts)"),
        ("SELECT quantile_cont(x, 0.9) FROM t", "a DuckDB quantile"),
        ("SELECT list(x ORDER BY y)[1:3] FROM t", "list slicing"),
        ("SELECT us / 60000000.0 FROM t", "a division by a decimal literal (DECIMAL on Spark)"),
        ("SELECT * FROM handoff_scope({'date_from': NULL})", next(k for k in ENGINE_SPECIFIC if "table macro" in k)),
    ],
)
def test_the_lint_sees_each_construct(planted, construct):
    assert construct in engine_specific(planted)
    assert engine_specific("-- " + planted) == []  # comments may name them


def test_snippets_exist_for_every_engine_alike():
    duck = {p.name for p in (SQL_DIR / "snippets" / "duckdb").glob("*.sql")}
    spark = {p.name for p in (SQL_DIR / "snippets" / "spark").glob("*.sql")}
    assert duck == spark and {"clock_lookup.sql", "functions.sql", "owner_at.sql"} <= duck


# a quantile's fraction is a literal, not arithmetic
QUANTILES = (sqlglot.exp.Quantile, sqlglot.exp.Anonymous)


def spark_statements() -> list[tuple[str, str]]:
    files = [name for _, name in PIPELINE] + [m for m in MACROS if m not in ("units.sql", "business_time.sql")]
    out = [(name, spark_sql(name)) for name in files]
    out += [(f"handoff_metrics.sql by {g}", spark_sql("handoff_metrics.sql", group=g)) for g in GROUPS]
    out += [(name, spark_sql(name, group="tier")) for name in AGGREGATES if name != "handoff_metrics.sql"]
    return out


@pytest.mark.parametrize("name,sql", spark_statements(), ids=lambda v: v if "\n" not in v else "")
def test_what_spark_runs_is_exact(name, sql):
    emitted = to_spark(sql)
    engine_specific_left = (
        r"approx|\bPERCENTILE_CONT\b|\bMEDIAN\(|\bASOF\b|\bEPOCH_US\b|\bROWID\b|\bMAKE_TIMESTAMP|\bARG_M"
    )
    assert not re.search(engine_specific_left, emitted, re.I)
    tree = sqlglot.parse_one(emitted, read="spark")
    for literal in tree.find_all(sqlglot.exp.Literal):
        if not literal.is_string and re.search(r"[.eE]", literal.this) and not isinstance(literal.parent, QUANTILES):
            assert isinstance(literal.parent, sqlglot.exp.Cast) and literal.parent.to.is_type("double"), name
    for division in tree.find_all(sqlglot.exp.Div):
        assert not any(isinstance(n, sqlglot.exp.DataType) and n.is_type("decimal") for n in division.walk())


def test_the_transpiler_makes_the_silent_differences_exact():
    emitted = to_spark("SELECT us / 60000000.0, quantile_cont(x, 0.9), median(x), max(t) + to_microseconds(5) FROM u")
    assert "CAST(60000000.0 AS DOUBLE)" in emitted
    assert "PERCENTILE(X, 0.9)" in emitted.upper() and "PERCENTILE(X, 0.5)" in emitted.upper()
    assert "TIMESTAMP_MICROS(UNIX_MICROS(MAX(T)) + 5)" in emitted.upper()


def test_the_clock_lookup_is_an_equi_join_on_an_hour_bucket_on_both_engines():
    duck = render(sql_text("handoff_clock.sql"))
    spark = to_spark(spark_sql("handoff_clock.sql"))
    for sql in (duck, spark):
        assert sql.count("LEFT JOIN business_day_buckets") == 2
        assert "business_days " not in sql and "business_days\n" not in sql
    assert not re.search(r"\bASOF\s+(LEFT\s+)?JOIN\b", duck, re.IGNORECASE)


def test_only_the_spark_engine_imports_pyspark_and_sqlglot():
    for package in ("pyspark", "sqlglot"):
        users = [p.relative_to(SRC).as_posix() for p in modules() if package in imports(p)]
        assert users == ["engines/spark.py"], package
    pages = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    assert not [p for p in pages if {"pyspark", "sqlglot"} & imports(p)]


def test_the_duckdb_commands_never_import_the_spark_engine():
    text = (SRC / "commands" / "engine.py").read_text(encoding="utf-8")
    top = text.split("def model_for")[0]
    assert "from handoff.engines" not in top  # imported inside model_for, for --engine spark only
    assert Path(SRC / "engines" / "spark.py").exists()
