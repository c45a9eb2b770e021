-- Model evaluation, calibration on the held-out patients: predicted vs observed by risk decile
-- (ties broken by md5 of the pseudonym), Brier score and totals.
CREATE OR REPLACE TEMP TABLE _calibration AS
WITH d AS (
  SELECT y, p, ntile(10) OVER (ORDER BY p, tiebreak) AS decile FROM _risk_eval_all
)
SELECT decile, count(*) AS patients, sum(p) AS predicted, sum(y) AS observed, avg(p) AS mean_predicted, avg(y) AS observed_rate
FROM d
GROUP BY decile
ORDER BY decile;

CREATE OR REPLACE TEMP TABLE _calibration_summary AS
SELECT
  count(*) AS holdout_patients,
  avg((p - y) * (p - y)) AS brier,
  avg((baseline_p - y) * (baseline_p - y)) AS baseline_brier,
  sum(p) AS predicted_total,
  sum(y) AS observed_total
FROM _risk_eval_all;

CREATE OR REPLACE TEMP TABLE _risk_logit AS
SELECT y, ln(greatest(p, 1e-12) / greatest(1 - p, 1e-12)) AS logit_p FROM _risk_eval_all;
