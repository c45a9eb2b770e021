-- Model, training set: features built at $train_as_of (table _risk_train_features), the outcome (any
-- emergency admission in [$train_as_of, $as_of)), and a deterministic holdout flag from md5 of the pseudonym.
CREATE OR REPLACE TEMP TABLE _risk_train AS
WITH outcome AS (
  SELECT DISTINCT patient_id
  FROM spells
  WHERE is_emergency
    AND admission_date >= $train_as_of::DATE
    AND admission_date < $as_of::DATE
)
SELECT
  f.*,
  (o.patient_id IS NOT NULL)::INTEGER AS y,
  -- md5 is fixed by definition (DuckDB's hash() may change between versions)
  (md5_number(f.patient_id) % 100)::INTEGER < $holdout_pct::DOUBLE AS holdout
FROM _risk_train_features f
LEFT JOIN outcome o ON o.patient_id = f.patient_id
ORDER BY f.patient_id;
