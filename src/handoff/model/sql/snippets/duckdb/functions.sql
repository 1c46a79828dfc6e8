-- The functions whose DuckDB form is its own (the Spark forms are in ../spark/functions.sql).
-- compose.render writes each call inline; each is `{function(name, parameters)} expression;`.

-- an instant as epoch microseconds
{function(to_us, t)} epoch_us(t);

-- epoch microseconds as a UTC instant (TIMESTAMPTZ)
{function(from_us, us)} timezone('UTC', make_timestamp(us));

-- an instant's wall-clock time in a timezone (a naive TIMESTAMP)
{function(local_time, tz, t)} timezone(tz, t);

-- a row's integer key, unique in its table
{function(row_key)} rowid;

-- a continuous quantile (linear interpolation between the two nearest values)
{function(continuous_quantile, x, p)} quantile_cont(x, p);

-- the x of the row with the greatest (least) y, a NULL x kept
{function(max_by_null, x, y)} arg_max_null(x, y);
{function(min_by_null, x, y)} arg_min_null(x, y);

-- the first three x of a group, newest `at` first (then by `id`)
{function(latest_three, x, at, id)} list(x ORDER BY at DESC, id)[1:3];
