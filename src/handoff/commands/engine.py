"""The engine options of `handoff leads` and `handoff metrics`: --engine, --spark-master, --parquet.

DuckDB (the default) computes in process. `--engine spark` runs the same model on Apache Spark
(`handoff.engines.spark`, the optional extra `spark`): local mode unless `--spark-master` names
a cluster, over the canonical tables of `--data`/`--db` (validated and loaded as usual) or of
`--parquet PATH`, read by Spark itself (`PATH/<table>.parquet`, local or s3a://, abfss://, ...).
"""

from __future__ import annotations

import argparse

from handoff.model import Model


def add_engine_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--engine", choices=("duckdb", "spark"), default="duckdb", help="the SQL engine (default duckdb)"
    )
    parser.add_argument("--spark-master", help="with --engine spark: the master URL (default local[*])")
    parser.add_argument(
        "--parquet", help="with --engine spark: a folder (or URL) of the canonical tables as <table>.parquet"
    )


def model_for(args: argparse.Namespace) -> Model:
    """The model the options ask for."""
    from handoff.commands.common import model_from_args

    if args.engine != "spark":
        if args.parquet or args.spark_master:
            raise ValueError("--parquet and --spark-master go with --engine spark")
        return model_from_args(args)
    try:
        from handoff.engines import spark
    except ImportError:
        raise ValueError(
            "--engine spark needs PySpark and Java: pip install 'handoff[spark]' (and a JRE, e.g. "
            "apt-get install default-jre-headless)"
        ) from None
    from handoff.data import load
    from handoff.model import parse_as_of
    from handoff.policy import load_policy

    policy = load_policy(args.config)
    as_of = parse_as_of(args.as_of, policy.timezone)
    if args.parquet:
        if args.data or args.db:
            raise ValueError("--parquet reads the tables itself: leave out --data and --db")
        return spark.spark_model(policy, as_of, parquet=args.parquet, master=args.spark_master)
    dataset = load(db=args.db, data=args.data, policy=policy)
    return spark.spark_model(policy, as_of, store_con=dataset.store.con, master=args.spark_master)
