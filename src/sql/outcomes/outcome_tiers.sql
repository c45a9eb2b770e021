-- outcome_tiers: each patient's tier fixed at the baseline date (copied from baseline_tiers),
-- so tier cohorts do not change month to month. Run only when baseline_tiers exists.
CREATE OR REPLACE TABLE outcome_tiers AS
WITH tiers AS (SELECT patient_id, tier FROM baseline_tiers)
SELECT DISTINCT ON (patient_id) patient_id, tier FROM tiers ORDER BY patient_id, tier;
