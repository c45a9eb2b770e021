-- Model, synthetic truth: the true probability of any emergency admission in the outcome year,
-- 1 − exp(−expected count), from strata synth's truth/patients.csv.
CREATE OR REPLACE TEMP TABLE _risk_truth AS
SELECT
  patient_id::VARCHAR AS patient_id,
  1 - exp(-emergency_rate_last_year::DOUBLE) AS p_true
FROM read_csv($truth_csv, header = true, all_varchar = true);
