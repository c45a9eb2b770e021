-- Model evaluation inputs on the held-out patients (_risk_eval: patient_id, y, p, baseline_count):
-- the baseline's calibrated score (training outcome rate by emergency admissions last year, capped at 5).
CREATE OR REPLACE TEMP TABLE _risk_baseline_rates AS
SELECT least(baseline_count, 5) AS band, count(*) AS n, avg(y) AS rate
FROM _risk_design
WHERE NOT holdout
GROUP BY band;

CREATE OR REPLACE TEMP TABLE _risk_eval_all AS
SELECT
  e.patient_id,
  e.y,
  e.p,
  e.baseline_count,
  coalesce(b.rate, 0) AS baseline_p,
  t.p_true,
  md5(e.patient_id) AS tiebreak
FROM _risk_eval e
LEFT JOIN _risk_baseline_rates b ON b.band = least(e.baseline_count, 5)
LEFT JOIN _risk_truth t ON t.patient_id = e.patient_id;

-- c-statistics: the model, the baseline ranked by its raw count (ties → average ranks), the truth.
CREATE OR REPLACE TEMP TABLE _auc_input AS
SELECT 'model' AS scorer, y, p AS s FROM _risk_eval_all
UNION ALL
SELECT 'baseline', y, baseline_count::DOUBLE FROM _risk_eval_all
UNION ALL
SELECT 'truth', y, p_true FROM _risk_eval_all WHERE p_true IS NOT NULL;

-- Cut-offs work on 0–100 scores.
CREATE OR REPLACE TEMP TABLE _cut_input AS
SELECT 'model' AS scorer, y, 100 * p AS s, tiebreak FROM _risk_eval_all
UNION ALL
SELECT 'baseline', y, 100 * baseline_p, tiebreak FROM _risk_eval_all;
