-- outcome_monthly: every metric per group × month (0 where nothing happened), exact (unsuppressed).
-- Groups: level all/practice/network/wave/tier; unattributed activity (no practice) is in none.
CREATE OR REPLACE TABLE outcome_monthly AS
WITH base AS (
  SELECT p.practice_code, p.practice_name, p.network_code, p.network_name, p.wave, b.tier, b.month, b.metric, b.value
  FROM outcome_practice_month b
  JOIN practices p ON p.practice_code = b.practice_code
),
groups AS (
  SELECT 'all' AS level, 'ALL' AS code, 'Whole population' AS name, 0 AS level_order
  UNION ALL SELECT DISTINCT 'network', network_code, network_name, 2 FROM practices
  UNION ALL SELECT DISTINCT 'wave', CASE WHEN wave IS NULL THEN 'wave-none' ELSE 'wave-' || wave END,
                   CASE WHEN wave IS NULL THEN 'Not in the programme' ELSE 'Wave ' || wave END, 3 FROM practices
  UNION ALL SELECT DISTINCT 'tier', tier, tier, 4 FROM outcome_tiers WHERE tier IS NOT NULL
  UNION ALL SELECT 'practice', practice_code, practice_name, 1 FROM practices
),
metrics AS (
  SELECT * FROM (VALUES ('list_size'), ('emergency_admissions'), ('ne_bed_days_adult_1plus'), ('ne_bed_days_all'),
    ('zero_day_emergency_admissions'), ('ae_attendances'), ('ae_type1_attendances'), ('ae_admissions'), ('discharges'), ('readmissions_30d'), ('elective_admissions'),
    ('op_first_attendances'), ('op_followup_attendances'), ('total_cost')) AS t(metric)
),
sums AS (
  SELECT 'all' AS level, 'ALL' AS code, month, metric, sum(value) AS value FROM base GROUP BY ALL
  UNION ALL SELECT 'practice', practice_code, month, metric, sum(value) FROM base GROUP BY ALL
  UNION ALL SELECT 'network', network_code, month, metric, sum(value) FROM base GROUP BY ALL
  UNION ALL SELECT 'wave', CASE WHEN wave IS NULL THEN 'wave-none' ELSE 'wave-' || wave END, month, metric, sum(value) FROM base GROUP BY ALL
  UNION ALL SELECT 'tier', tier, month, metric, sum(value) FROM base WHERE tier IS NOT NULL GROUP BY ALL
)
SELECT g.level, g.code, g.name, g.level_order, m.month, k.metric, coalesce(s.value, 0) AS value
FROM groups g
CROSS JOIN outcome_months m
CROSS JOIN metrics k
LEFT JOIN sums s ON s.level = g.level AND s.code = g.code AND s.month = m.month AND s.metric = k.metric
ORDER BY g.level_order, g.code, m.month, k.metric;
