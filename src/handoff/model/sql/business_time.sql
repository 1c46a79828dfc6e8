-- The clock's lookup. `business_us` is the business time (µs accumulated since the calendar's
-- first day) at instant t_us, given the `business_hours` row of its hour (`hour_no(t_us)`,
-- units.sql): the time accumulated at the hour's start plus the parts of the hour's (at most
-- two) business intervals before t_us. A NULL instant, or one outside the calendar, has none.
{function(business_us, t_us, cum_us, lo1, hi1, lo2, hi2)}
    cum_us + greatest(least(t_us, hi1) - lo1, 0) + greatest(least(t_us, hi2) - lo2, 0);
