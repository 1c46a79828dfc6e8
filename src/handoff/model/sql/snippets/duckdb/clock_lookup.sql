-- clock_lookup(input, target, output): the rows of `input` with `output`, the earliest instant
-- at which the business time `target` (µs accumulated in the row's calendar, cal_no) is
-- reached: the business day in which it falls (end-inclusive), found by an ASOF join on the
-- time accumulated before each day.
SELECT q.*, from_us(d.open_us + (q.{target} - d.cum_before_us)) AS {output}
FROM {input} AS q
ASOF LEFT JOIN business_days AS d
    ON q.cal_no = d.cal_no AND q.{target} > d.cum_before_us
