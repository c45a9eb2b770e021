-- registers/tier_rows: every practice's complex and less-complex caseloads in one pass, ordered
-- by practice, tier, then complexity (complexity_rank restarts at 1 in each practice).
WITH tier_order(tier, tier_level) AS (
  VALUES ('complex', 1), ('less_complex', 2)
)
SELECT
  l.practice_code,
  l.tier,
  CAST(row_number() OVER (PARTITION BY l.practice_code ORDER BY o.tier_level, l.complexity_rank) AS INTEGER) AS complexity_rank,
  l.patient_id,
  l.age_band,
  l.sex,
  l.condition_count,
  l.conditions,
  l.risk_score,
  l.band AS risk_band,
  l.cost_12m,
  l.emergency_admissions_12m,
  l.bed_days_12m
FROM _register_list l
JOIN tier_order o ON o.tier = l.tier
ORDER BY l.practice_code, o.tier_level, l.complexity_rank
