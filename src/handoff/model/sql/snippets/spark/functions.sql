-- The functions whose Spark form is its own (the DuckDB forms are in ../duckdb/functions.sql).
-- Written in the DuckDB dialect like every model file, then transpiled to Spark SQL.

-- an instant as epoch microseconds
{function(to_us, t)} unix_micros(t);

-- epoch microseconds as a UTC instant
{function(from_us, us)} timestamp_micros(us);

-- an instant's wall-clock time in a timezone (the session timezone is UTC)
{function(local_time, tz, t)} from_utc_timestamp(t, tz);

-- a row's integer key, unique in its table (partitioned: no single-partition numbering)
{function(row_key)} monotonically_increasing_id();

-- a continuous quantile (exact `percentile`, never an approximate one)
{function(continuous_quantile, x, p)} percentile(x, p);

-- the x of the row with the greatest (least) y, a NULL x kept
{function(max_by_null, x, y)} max_by(x, y);
{function(min_by_null, x, y)} min_by(x, y);

-- the first three x of a group, newest `at` first (then by `id`)
{function(latest_three, x, at, id)}
    slice(transform(sort_array(collect_list(named_struct('k', -unix_micros(at), 'id', id, 'v', x))), s -> s.v), 1, 3);
