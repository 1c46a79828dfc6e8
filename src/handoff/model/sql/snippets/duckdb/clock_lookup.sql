-- clock_lookup(input, target, output): the rows of `input` with `output`, the earliest instant
-- at which the business time `target` (µs accumulated in the row's calendar, cal_no) is
-- reached: the business day in which it falls (end-inclusive). An equi-join on an hour bucket
-- of accumulated business time: business_day_buckets has one row per (business day, hour of
-- accumulated time the day spans), so each lookup meets at most two days and keeps the one
-- whose span (cum_before_us, cum_before_us + length_us] holds the target (several times
-- faster than an ASOF join on cum_before_us, whose partitions by calendar are few and large).
SELECT q.*, from_us(d.open_us + (q.{target} - d.cum_before_us)) AS {output}
FROM {input} AS q
LEFT JOIN business_day_buckets AS d
    ON d.cal_no = q.cal_no
    AND d.bucket_no = (q.{target} - 1) // 3600000000
    AND q.{target} > d.cum_before_us
    AND q.{target} <= d.cum_before_us + d.length_us
