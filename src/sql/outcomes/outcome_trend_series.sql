-- outcome_trend_series: each group's exact monthly adult 1+ day non-elective bed days (the trend-chart series),
-- in the published group order.
WITH s AS (SELECT level, code, name, level_order, month, value FROM outcome_monthly WHERE metric = 'ne_bed_days_adult_1plus')
SELECT level, code, name, strftime(month, '%Y-%m') AS month, value
FROM s
ORDER BY level_order, code, month;
