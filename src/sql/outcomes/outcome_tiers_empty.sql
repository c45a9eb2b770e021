-- outcome_tiers (empty): used when there is no baseline_tiers table; no tier groups are produced.
-- Same columns as outcome_tiers.sql.
CREATE OR REPLACE TABLE outcome_tiers (patient_id VARCHAR, tier VARCHAR);
