-- registers/build: every practice's list ranked by risk at as-of with bands (top 0.5% / 5% / 20%,
-- ceil of the practice list share), tier and last year's activity; and the previous snapshot.
CREATE TABLE IF NOT EXISTS register_history (
  as_of         DATE NOT NULL,
  practice_code VARCHAR NOT NULL,
  patient_id    VARCHAR NOT NULL,
  band          VARCHAR NOT NULL   -- 'very high' | 'high' | 'moderate'
);

CREATE OR REPLACE TEMP TABLE _register_list AS
WITH shares AS (
  -- band shares scaled to millionths of a percent: ceil(L x pct / 100) in exact integers
  SELECT
    CAST(round($very_high_pct * 1000000) AS BIGINT) AS very_high_micro,
    CAST(round($high_pct * 1000000) AS BIGINT) AS high_micro,
    CAST(round($moderate_pct * 1000000) AS BIGINT) AS moderate_micro
),
list AS (
  -- the practice is the patient's registration at as-of, as scored: risk_scores.practice_code
  SELECT
    practice_code,
    patient_id,
    score,
    reason_1,
    reason_2,
    reason_3,
    row_number() OVER (PARTITION BY practice_code ORDER BY score DESC NULLS LAST, patient_id) AS rank,
    count(*) OVER (PARTITION BY practice_code) AS list_size
  FROM risk_scores
)
SELECT
  l.practice_code,
  CAST(l.rank AS INTEGER) AS rank,
  l.list_size,
  l.patient_id,
  CASE
    WHEN l.rank <= (l.list_size * s.very_high_micro + 99999999) // 100000000 THEN 'very high'
    WHEN l.rank <= (l.list_size * s.high_micro + 99999999) // 100000000 THEN 'high'
    WHEN l.rank <= (l.list_size * s.moderate_micro + 99999999) // 100000000 THEN 'moderate'
  END AS band,
  round(l.score, 1) AS risk_score,
  coalesce(l.score > $virtual_ward_score, false) AS virtual_ward,
  t.tier,
  t.complexity_rank,
  f.age_band,
  f.sex,
  f.condition_count,
  coalesce(array_to_string(f.condition_names, '; '), '') AS conditions,
  f.emergency_365d AS emergency_admissions_12m,
  f.ne_bed_days_365d AS bed_days_12m,
  f.last_emergency_date AS last_emergency_admission,
  round(f.cost_365d, 2) AS cost_12m,
  l.reason_1,
  l.reason_2,
  l.reason_3
FROM list l
CROSS JOIN shares s
LEFT JOIN tiers t ON t.patient_id = l.patient_id
LEFT JOIN patient_features f ON f.patient_id = l.patient_id;

-- "Last run" = the latest snapshot strictly before as-of, so re-running an as-of repeats its output.
CREATE OR REPLACE TEMP TABLE _register_previous AS
SELECT practice_code, patient_id, band
FROM register_history
WHERE as_of = (SELECT max(as_of) FROM register_history WHERE as_of < CAST($as_of AS DATE));
