-- outcome_tiers: each patient's tier fixed at the baseline date (copied from baseline_tiers),
-- so tier cohorts do not change month to month. Run only when baseline_tiers exists.
CREATE OR REPLACE TABLE outcome_tiers AS
WITH tiers AS (SELECT patient_id, tier FROM baseline_tiers)
-- one tier per patient (the first by name, should baseline_tiers ever hold two)
SELECT patient_id, min(tier) AS tier FROM tiers GROUP BY patient_id;
