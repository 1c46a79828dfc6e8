"""Engines other than DuckDB for the same model.

DuckDB (the default) runs the model in process: `handoff.model.Model` on a store's connection.
`handoff.engines.spark` runs the same SQL files on Apache Spark (`handoff leads|metrics
--engine spark`), transpiled from the DuckDB dialect by sqlglot with the Spark snippets of
`model/sql/snippets/spark/`. Only that module imports pyspark, so DuckDB users never need it.
"""

ENGINES = ("duckdb", "spark")
