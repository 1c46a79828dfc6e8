"""The model on Apache Spark: the same SQL files, transpiled, on a SparkSession.

    spark = session()                                  # local[*] by default, or a master URL
    model = SparkModel(SparkConnection.from_store(spark, store.con), policy, as_of)
    model.leads(); metrics_summary(model)              # as with the DuckDB model

Every model file is written in the DuckDB dialect; `compose.render(..., engine="spark")` fills
the Spark snippets (`model/sql/snippets/spark/`: the owner at an instant with Spark's max_by
and min_by, the functions) and `to_spark` transpiles the result with sqlglot, then removes what
would be silently different on Spark: a decimal literal (DECIMAL arithmetic on Spark, DOUBLE on
DuckDB) is a DOUBLE, and a continuous quantile is Spark's exact `percentile`, never an approximation.

Each layer of the per-lead pipeline is materialised (`localCheckpoint`, or `checkpoint` with a
checkpoint directory on a cluster) and partitioned by lead. The calendar tables are built by
the same Python (`handoff.calendar`) and handed to Spark. `handoff_scope($filters)` and
`handoff_cohort(...)` become temporary views made per question; the question's values are
bound as parameters (`spark.sql(query, args=...)`), and the selection's filters, a STRUCT with
typed empty fields, as a one-row relation `handoff_args` built from a typed DataFrame: no value
from the data or the user ever becomes SQL text.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

import pandas as pd
import sqlglot
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T
from sqlglot import exp

from handoff.model import (
    PIPELINE,
    Filters,
    Model,
    _params_for,
    checked_as_of,
    default_as_of,
    speed_bucket_table,
    sql_text,
)
from handoff.model.compose import render
from handoff.model.definitions import PROJECTION_WEEKS
from handoff.model.dimensions import FILTERED
from handoff.schema import SQL_TYPES, TABLES

CANONICAL = tuple(t.name for t in TABLES)
# the store's column types (handoff.schema.SQL_TYPES) as Spark's
SPARK_TYPES = {
    "VARCHAR": T.StringType(),
    "TIMESTAMPTZ": T.TimestampType(),
    "BOOLEAN": T.BooleanType(),
    "DOUBLE": T.DoubleType(),
}
CREATE_TABLE = re.compile(r"^\s*CREATE OR REPLACE TABLE ([a-z_]+) AS (.*)$", re.S | re.I)
TABLE_MACRO_CALL = re.compile(r"\b(handoff_scope|handoff_cohort)\((?:\$?filters|\$?[a-z_]+)(?:, *\$?[a-z_]+)*\)")


def session(master: str | None = None, shuffle_partitions: int | None = None, app: str = "handoff") -> SparkSession:
    """A SparkSession set for exact parity with DuckDB: UTC session time, ANSI SQL, Arrow
    transfers. `master` None: the session already configured (spark-submit), else local[*]."""
    builder = SparkSession.builder.appName(app)
    if not master and not SparkSession.getActiveSession():
        master = "local[*]"
    if master:
        builder = builder.master(master)
    conf = {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.ansi.enabled": "true",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.execution.arrow.pyspark.fallback.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
    }
    if master and master.startswith("local"):
        conf["spark.ui.enabled"] = "false"  # one command's session on this machine: no web UI to start
    if shuffle_partitions:
        conf["spark.sql.shuffle.partitions"] = str(shuffle_partitions)
    for key, value in conf.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    for key, value in conf.items():  # a session that already existed takes them too
        if key.startswith("spark.sql."):
            spark.conf.set(key, value)
    return spark


# -- the SQL: from the DuckDB dialect to Spark's ---------------------------------------------------
def _exact(node: exp.Expression) -> exp.Expression:
    """What sqlglot would leave silently different on Spark, made the same as on DuckDB."""
    if isinstance(node, exp.Literal) and not node.is_string and re.search(r"[.eE]", node.this):
        return exp.Cast(this=node.copy(), to=exp.DataType.build("DOUBLE"))
    if isinstance(node, (exp.PercentileCont, exp.Quantile)):
        return exp.Anonymous(this="percentile", expressions=[node.this.copy(), node.expression.copy()])
    if isinstance(node, exp.Median):
        return exp.Anonymous(this="percentile", expressions=[node.this.copy(), exp.Literal.number("0.5")])
    if isinstance(node, exp.ApproxQuantile):
        raise ValueError("an approximate quantile has no place in the model")
    if (
        isinstance(node, exp.Add)
        and isinstance(node.expression, exp.Anonymous)
        and node.expression.name.lower() == "to_microseconds"
    ):
        # instant + to_microseconds(n): an instant n µs later
        micros = exp.Anonymous(this="unix_micros", expressions=[node.this.copy()])
        return exp.Anonymous(
            this="timestamp_micros",
            expressions=[exp.Add(this=micros, expression=node.expression.expressions[0].copy())],
        )
    return node


def to_spark(sql: str) -> str:
    """One statement of the DuckDB dialect as Spark SQL (`$name` parameters become `:name`)."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    return tree.transform(_exact).sql(dialect="spark")


def spark_sql(name: str, group: str | None = None, metrics: frozenset[str] | None = None) -> str:
    """A model file as the Spark engine runs it (before transpiling)."""
    return render(sql_text(name), group=group, engine="spark", metrics=metrics)


def _table_macro_query(name: str, params: tuple[str, ...]) -> str:
    """A table macro file (scope.sql, cohort.sql) as the query of its view: a call of another
    table macro reads its view, and each parameter comes from the one-row `handoff_args`."""
    text = TABLE_MACRO_CALL.sub(lambda m: m.group(1), spark_sql(name))
    for param in params:
        text = re.sub(rf"(?<![\w.$'\"]){param}(?![\w'\"])", f"(SELECT {param} FROM handoff_args)", text)
    return text


def _arg(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return F.array(*[F.lit(v) for v in value])
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


FILTERS_TYPE = T.StructType(
    [T.StructField("date_from", T.DateType()), T.StructField("date_to", T.DateType())]
    + [T.StructField(str(d.filter), T.ArrayType(T.StringType())) for d in FILTERED]
    + [T.StructField("unassigned", T.StringType()), T.StructField("none", T.StringType())]
)


@dataclass
class _Result:
    frame: DataFrame | None

    def fetchall(self) -> list[tuple]:
        return [tuple(row) for row in self.frame.collect()] if self.frame is not None else []

    def df(self) -> pd.DataFrame:
        assert self.frame is not None
        return to_pandas(self.frame)


def to_pandas(frame: DataFrame) -> pd.DataFrame:
    """A Spark result as the DuckDB engine gives it: instants as UTC-aware timestamps."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = cast(pd.DataFrame, frame.toPandas())
    for field in frame.schema.fields:
        if isinstance(field.dataType, T.TimestampType):
            out[field.name] = pd.to_datetime(out[field.name]).dt.tz_localize("UTC")
        elif isinstance(field.dataType, T.DateType):  # as DuckDB gives a DATE
            out[field.name] = pd.to_datetime(out[field.name])
    return out


class SparkConnection:
    """What the model asks of a connection, on a SparkSession: `execute(sql, params)` of the
    DuckDB dialect (transpiled, parameters bound), `register` of a pandas frame, and
    `CREATE OR REPLACE TABLE name AS ...`, which materialises the table partitioned by lead."""

    def __init__(self, spark: SparkSession, partitions: int | None = None, checkpoint: str = "local") -> None:
        self.spark = spark
        self.partitions = partitions or int(spark.conf.get("spark.sql.shuffle.partitions") or 8)
        self.checkpoint = checkpoint  # "local" (localCheckpoint) or "reliable" (checkpoint dir)
        self._registered: dict[str, DataFrame] = {}
        self._selection = ""  # the selection the views handoff_scope and handoff_cohort hold

    # -- the canonical tables -----------------------------------------------------------------
    @classmethod
    def from_store(cls, spark: SparkSession, con, **kw: Any) -> SparkConnection:
        """The canonical tables of a DuckDB store's connection, handed over through pandas."""
        self = cls(spark, **kw)
        for table in TABLES:
            columns = ", ".join(f'"{c}"' for c in table.column_names)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                frame = con.execute(f"SELECT {columns} FROM {table.name}").df()
            self.load(
                table.name, spark.createDataFrame(frame.astype(object).where(frame.notna(), None), _schema(table))
            )
        return self

    @classmethod
    def from_parquet(cls, spark: SparkSession, path: str, **kw: Any) -> SparkConnection:
        """The canonical tables as Parquet under `path` (`<table>.parquet`, a file or a folder of
        part files; any filesystem Spark reads: a local folder, s3a://, abfss://, gs://);
        `owner_changes` may be missing (no owner history)."""
        self = cls(spark, **kw)
        for table in TABLES:
            where = f"{path.rstrip('/')}/{table.name}.parquet"
            schema = _schema(table)
            try:
                frame = spark.read.parquet(where)
            except Exception as exc:
                if table.name != "owner_changes" or "PATH_NOT_FOUND" not in str(exc):
                    raise ValueError(f"--parquet: cannot read {where}: {str(exc).splitlines()[0]}") from None
                frame = spark.createDataFrame([], schema)
            missing = [c for c in table.column_names if c not in frame.columns]
            if missing:
                raise ValueError(f"--parquet: {where} has no column {', '.join(missing)}")
            self.load(table.name, frame.select(*[F.col(f.name).cast(f.dataType) for f in schema.fields]))
        return self

    def load(self, name: str, frame: DataFrame) -> None:
        frame.createOrReplaceTempView(name)

    # -- what the model calls -----------------------------------------------------------------
    def cursor(self) -> SparkConnection:
        return self

    def register(self, name: str, frame: pd.DataFrame) -> None:
        text = {c: object for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype)}
        self._registered[name] = self.spark.createDataFrame(frame.astype(text))
        self._registered[name].createOrReplaceTempView(name)

    def unregister(self, name: str) -> None:
        self._registered.pop(name, None)
        self.spark.catalog.dropTempView(name)

    def sql(self, sql: str, params: dict[str, Any] | None = None) -> DataFrame:
        text = self._scoped(sql, params or {})
        args = {k: _arg(v) for k, v in _params_for(text, params or {}).items()}
        return self.spark.sql(to_spark(text), args=args or None)

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> _Result:
        created = CREATE_TABLE.match(sql)
        if created:
            self.create_table(created.group(1), created.group(2), params or {})
            return _Result(None)
        return _Result(self.sql(sql, params))

    def create_table(self, name: str, sql: str, params: dict[str, Any]) -> DataFrame:
        """`name` as a materialised temporary view, partitioned by lead when it has a lead key."""
        frame = self.sql(sql, params)
        key = next((k for k in ("lead_no", "lead_id") if k in frame.columns), None)
        if key:
            frame = frame.repartition(self.partitions, key)
        frame = frame.checkpoint() if self.checkpoint == "reliable" else frame.localCheckpoint()
        frame.createOrReplaceTempView(name)
        self._selection = ""
        return frame

    # -- the selection: handoff_scope($filters), handoff_cohort($filters, $reference_weeks) ----------
    def _scoped(self, sql: str, params: dict[str, Any]) -> str:
        if not TABLE_MACRO_CALL.search(sql):
            return sql
        filters = params.get("filters") or Filters().params()
        row = {k: filters.get(k) for k in FILTERS_TYPE.fieldNames()}
        for key in ("date_from", "date_to"):
            value = row[key]
            if isinstance(value, datetime):
                row[key] = value.date()
            elif value is not None and not isinstance(value, date):
                row[key] = date.fromisoformat(str(value))
        args_type = T.StructType([T.StructField("filters", FILTERS_TYPE), T.StructField("recent_weeks", T.LongType())])
        weeks = int(params.get("reference_weeks", PROJECTION_WEEKS))
        selection = repr((sorted(row.items()), weeks))
        if selection != self._selection:  # the views of the last selection are reused
            self.spark.createDataFrame([(row, weeks)], args_type).createOrReplaceTempView("handoff_args")
            for view, file, macro_params in (
                ("handoff_scope", "scope.sql", ("filters",)),
                ("handoff_cohort", "cohort.sql", ("recent_weeks",)),
            ):
                frame = self.spark.sql(to_spark(_table_macro_query(file, macro_params)))
                frame.localCheckpoint().createOrReplaceTempView(view)
            self._selection = selection
        return TABLE_MACRO_CALL.sub(lambda m: m.group(1), sql)


def _schema(table) -> T.StructType:
    return T.StructType([T.StructField(c.name, SPARK_TYPES[SQL_TYPES[c.kind]]) for c in table.columns])


@dataclass
class SparkModel(Model):
    """`handoff.model.Model` on Spark: the same pipeline and questions, the Spark snippets."""

    persisted: bool = False  # per-lead facts are computed on Spark, never read from a database
    jobs: int = 0  # the Spark jobs the last build ran

    def __post_init__(self) -> None:
        # nothing is read back from, or written to, a database: the facts are computed on Spark
        self.as_of = checked_as_of(self.as_of, self.policy) if self.as_of else default_as_of(self.con)
        self.as_of = self.as_of or datetime.now(UTC)
        self.build()

    def build(self) -> None:
        con = self.con
        assert isinstance(con, SparkConnection), "a SparkModel computes on a SparkConnection"
        sc = con.spark.sparkContext
        sc.setJobGroup("handoff-build", "the per-lead facts", interruptOnCancel=True)
        try:
            tiers = pd.DataFrame(
                {"source_key": list(self.policy.tier_map), "tier": list(self.policy.tier_map.values())},
                dtype="str",
            )
            con.register("tier_map", tiers)
            con.register("speed_buckets", speed_bucket_table())
            params = self.base_params()
            for table, name in PIPELINE:
                sql = spark_sql(name)
                con.create_table(table, sql, _params_for(sql, params))
                if table == "handoffs":
                    self._install_calendar()
            self._check_calendar()
        finally:
            sc._jsc.clearJobGroup()
        self.jobs = len(sc.statusTracker().getJobIdsForGroup("handoff-build"))

    def _check_calendar(self) -> None:
        uncovered = self.con.execute(
            "SELECT count(*) FROM handoff_clock AS c "
            "LEFT JOIN (SELECT cal_no, max(cum_before_us + length_us) AS reach FROM business_days GROUP BY cal_no) "
            "AS d ON d.cal_no = c.cal_no "
            "LEFT JOIN (SELECT lead_no, assigned_at FROM handoffs) AS h ON h.lead_no = c.lead_no "
            "WHERE c.window_end IS NULL OR c.bt_mql_us IS NULL OR c.bt_asof_us IS NULL "
            "OR (c.bt_assigned_us IS NULL AND h.assigned_at IS NOT NULL) OR c.window_target_us > d.reach"
        ).fetchall()[0][0]
        if uncovered:
            raise RuntimeError(f"business calendar does not cover {uncovered} handoffs")

    def ask(self, name: str, filters: Filters | None, **extra: Any) -> pd.DataFrame:
        sql = spark_sql(name, group=extra.pop("group", None), metrics=extra.pop("metrics", None))
        params = {**self.base_params(), "filters": (filters or Filters()).params(), **extra}
        return self.con.execute(sql, params).df()


def spark_model(
    policy,
    as_of: datetime | None = None,
    *,
    store_con=None,
    parquet: str | Path | None = None,
    master: str | None = None,
) -> SparkModel:
    """The model on Spark over a store's canonical tables or a Parquet folder."""
    spark = session(master)
    if parquet is not None:
        con = SparkConnection.from_parquet(spark, str(parquet))
    else:
        con = SparkConnection.from_store(spark, store_con)
    return SparkModel(con, policy, as_of)
