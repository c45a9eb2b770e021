-- Model, training set: who had the outcome (any emergency admission in [$train_as_of, $as_of)) and the
-- deterministic holdout rule, read by the design rows fit.ts builds from the features at $train_as_of.
CREATE OR REPLACE TEMP TABLE _risk_outcome AS
SELECT DISTINCT patient_id
FROM spells
WHERE is_emergency
  AND admission_date >= $train_as_of::DATE
  AND admission_date < $as_of::DATE;

-- md5_number(id) % 100 < pct (md5 is fixed by definition; DuckDB's hash() may change between versions),
-- worked on the two 64-bit halves as 2^64 = 16 (mod 100): a 128-bit modulo is ~30x slower.
CREATE OR REPLACE TEMP MACRO risk_holdout(id, pct) AS
  ((((md5_number(id) >> 64)::UBIGINT % 100) * 16
    + (md5_number(id) & 18446744073709551615::UHUGEINT)::UBIGINT % 100) % 100)::INTEGER < pct::DOUBLE;
