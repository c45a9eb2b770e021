-- Features, step 1: everyone registered and alive on $as_of (contracts.md definition), one row each:
-- the registration with the latest start wins (tie: practice_code), with age, band, sex, deprivation.
CREATE OR REPLACE TEMP TABLE _f_pop AS
WITH eligible AS (
  SELECT patient_id, practice_code, registration_start, year_of_birth, sex, imd_decile
  FROM registrations
  WHERE registration_start <= $as_of::DATE
    AND (registration_end IS NULL OR registration_end >= $as_of::DATE)
    AND (date_of_death IS NULL OR date_of_death > $as_of::DATE)
), chosen AS (
  SELECT *
  FROM eligible
  QUALIFY row_number() OVER (
    PARTITION BY patient_id
    ORDER BY registration_start DESC, practice_code, year_of_birth, sex, imd_decile NULLS LAST
  ) = 1
), aged AS (
  SELECT patient_id, practice_code, (year($as_of::DATE) - year_of_birth)::INTEGER AS age, sex, imd_decile
  FROM chosen
)
SELECT
  patient_id,
  practice_code,
  $as_of::DATE AS as_of,
  age,
  CASE
    WHEN age < 18 THEN '0-17'
    WHEN age < 45 THEN '18-44'
    WHEN age < 65 THEN '45-64'
    WHEN age < 75 THEN '65-74'
    WHEN age < 85 THEN '75-84'
    ELSE '85+'
  END AS age_band,
  sex,
  imd_decile::INTEGER AS imd_decile
FROM aged;
