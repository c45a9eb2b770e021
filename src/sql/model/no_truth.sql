-- Model, synthetic truth absent: an empty truth table so evaluation SQL has one shape.
-- (truth_c_statistic is then reported as null.)
CREATE OR REPLACE TEMP TABLE _risk_truth (patient_id VARCHAR, p_true DOUBLE);
