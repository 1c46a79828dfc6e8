-- Unit conversions, as macros: the per-lead layer keeps instants and durations in integer
-- microseconds (exact, so a bound is met or not without rounding doubt) and shows minutes.
-- No other SQL file writes these factors.
CREATE OR REPLACE MACRO us_to_minutes(us) AS us / 60000000.0;

CREATE OR REPLACE MACRO us_to_hours(us) AS us / 3600000000.0;

-- a policy's minutes (a double) as whole microseconds
CREATE OR REPLACE MACRO minutes_to_us(minutes) AS CAST(round(minutes * 60000000) AS BIGINT);

-- a policy's hours as microseconds, compared with exact integer durations
CREATE OR REPLACE MACRO hours_to_us(hours) AS hours * 3600000000;

-- the UTC hour an instant falls in (floored, also before 1970)
CREATE OR REPLACE MACRO hour_no(t_us) AS
    t_us // 3600000000 - CAST(t_us % 3600000000 < 0 AS BIGINT);
