-- Unit conversions: the per-lead layer keeps instants and durations in integer microseconds
-- (exact, so a bound is met or not without rounding doubt) and shows minutes. No other SQL file
-- writes these factors. compose.render writes each call inline (on every engine); on DuckDB
-- they are also installed as macros. Divisions are of a DOUBLE, so every engine gives a DOUBLE.
{function(us_to_minutes, us)} CAST(us AS DOUBLE) / 60000000;

{function(us_to_hours, us)} CAST(us AS DOUBLE) / 3600000000;

-- a policy's minutes (a double) as whole microseconds
{function(minutes_to_us, minutes)} CAST(round(minutes * 60000000) AS BIGINT);

-- a policy's hours as microseconds, compared with exact integer durations
{function(hours_to_us, hours)} hours * 3600000000;

-- the UTC hour an instant falls in (floored, also before 1970)
{function(hour_no, t_us)} t_us // 3600000000 - CAST(t_us % 3600000000 < 0 AS BIGINT);
