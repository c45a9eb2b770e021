-- outcome_published: outcome_monthly as published, long format, with per-1,000 rates and the readmission rate.
-- Counts above practice level: 0 stays 0, 1..$suppress_max suppressed (NULL, suppressed = true), others rounded to $round_to.
CREATE OR REPLACE TABLE outcome_published AS
WITH monthly AS (
  SELECT o.*, (o.level <> 'practice') AS controlled,
         -- 30-day follow-up of the month's last discharge must lie inside the data
         (m.next_month + 28 <= CAST($data_end AS DATE)) AS follow_up_complete
  FROM outcome_monthly o JOIN outcome_months m USING (month)
),
counts AS (
  SELECT level, code, name, level_order, month, metric, controlled,
         CASE
           WHEN metric IN ('readmissions_30d') AND NOT follow_up_complete THEN NULL
           WHEN metric = 'total_cost' THEN round(value, 2)
           WHEN NOT controlled OR value = 0 THEN value
           WHEN value <= $suppress_max THEN NULL
           ELSE round(value / $round_to) * $round_to
         END AS value,
         (controlled AND metric <> 'total_cost' AND value > 0 AND value <= $suppress_max
          AND NOT (metric = 'readmissions_30d' AND NOT follow_up_complete)) AS suppressed
  FROM monthly
),
with_list AS (
  SELECT c.*, l.value AS list_size, d.value AS discharges
  FROM counts c
  LEFT JOIN counts l ON l.level = c.level AND l.code = c.code AND l.month = c.month AND l.metric = 'list_size'
  LEFT JOIN counts d ON d.level = c.level AND d.code = c.code AND d.month = c.month AND d.metric = 'discharges'
),
rows AS (
  -- per 1,000 registered, from the published (rounded) numbers so rates cannot undo the rounding
  SELECT level, code, name, level_order, month, metric, value, suppressed,
         CASE WHEN metric <> 'list_size' AND value IS NOT NULL AND list_size > 0
              THEN round(1000 * value / list_size, 3) END AS per_1000
  FROM with_list
  UNION ALL
  SELECT level, code, name, level_order, month, 'readmission_rate_pct',
         CASE WHEN value IS NOT NULL AND discharges > 0 THEN round(100 * value / discharges, 2) END,
         (suppressed OR (discharges IS NULL AND controlled)),
         NULL
  FROM with_list WHERE metric = 'readmissions_30d'
)
SELECT level, code, name, level_order, strftime(month, '%Y-%m') AS month, metric, value, suppressed, per_1000
FROM rows
ORDER BY level_order, code, month, metric;
