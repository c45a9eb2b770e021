-- outcome_panel: practice × month (× baseline tier) panel of adult 1+ day non-elective bed days and list size,
-- the input of the difference-in-differences estimator. tier = '' is every patient of the practice.
WITH grid AS (
  SELECT p.practice_code, t.tier, m.month
  FROM practices p
  CROSS JOIN (SELECT '' AS tier UNION ALL SELECT DISTINCT tier FROM outcome_tiers WHERE tier IS NOT NULL) t
  CROSS JOIN outcome_months m
),
values_by_tier AS (
  SELECT practice_code, coalesce(tier, '') AS tier, month, metric, value FROM outcome_practice_month
  WHERE practice_code IS NOT NULL AND tier IS NOT NULL AND metric IN ('ne_bed_days_adult_1plus', 'list_size')
  UNION ALL
  SELECT practice_code, '', month, metric, sum(value) FROM outcome_practice_month
  WHERE practice_code IS NOT NULL AND metric IN ('ne_bed_days_adult_1plus', 'list_size')
  GROUP BY ALL
)
SELECT g.practice_code, g.tier, strftime(g.month, '%Y-%m') AS month,
       coalesce(sum(v.value) FILTER (WHERE v.metric = 'ne_bed_days_adult_1plus'), 0) AS bed_days,
       coalesce(sum(v.value) FILTER (WHERE v.metric = 'list_size'), 0) AS list_size
FROM grid g
LEFT JOIN values_by_tier v ON v.practice_code = g.practice_code AND v.tier = g.tier AND v.month = g.month
GROUP BY ALL
ORDER BY g.practice_code, g.tier, month;
