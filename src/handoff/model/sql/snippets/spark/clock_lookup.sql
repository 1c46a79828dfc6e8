-- clock_lookup(input, target, output): as the DuckDB form (an equi-join on an hour bucket of
-- accumulated business time, business_day_buckets).
SELECT q.*, from_us(d.open_us + (q.{target} - d.cum_before_us)) AS {output}
FROM {input} AS q
LEFT JOIN business_day_buckets AS d
    ON d.cal_no = q.cal_no
    AND d.bucket_no = (q.{target} - 1) // 3600000000
    AND q.{target} > d.cum_before_us
    AND q.{target} <= d.cum_before_us + d.length_us
