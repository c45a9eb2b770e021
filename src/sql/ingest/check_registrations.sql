-- ingest/check_registrations: one pass over the typed registrations extract (_in),
-- naming the first failed check of every row in _reason (NULL = loads).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT ingest_trim(patient_id) AS patient_id, ingest_trim(practice_code) AS practice_code,
         registration_start, registration_end, year_of_birth, upper(ingest_trim(sex)) AS sex,
         nullif(ingest_trim(lsoa_code), '') AS lsoa_code, imd_decile, date_of_death
  FROM _in
),
checked AS (
  SELECT *, CASE
    -- National data opt-out: the row is excluded (counted, never written to rejects or any table).
    WHEN patient_id IN (SELECT patient_id FROM _opt_outs) THEN 'opted_out'
    WHEN ingest_blank(patient_id) THEN 'missing_required: patient_id'
    WHEN ingest_blank(practice_code) THEN 'missing_required: practice_code'
    WHEN registration_start IS NULL THEN 'missing_required: registration_start'
    WHEN year_of_birth IS NULL THEN 'missing_required: year_of_birth'
    WHEN ingest_blank(sex) THEN 'missing_required: sex'
    WHEN ingest_date_reason(registration_start, 'registration_start', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(registration_start, 'registration_start', $extract_date::DATE)
    WHEN registration_end < DATE '1900-01-01' THEN 'date_before_1900: registration_end'
    WHEN ingest_date_reason(date_of_death, 'date_of_death', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(date_of_death, 'date_of_death', $extract_date::DATE)
    WHEN registration_end < registration_start THEN 'end_before_start: registration_end'
    WHEN year_of_birth < 1880 OR year_of_birth > year($extract_date::DATE) THEN 'out_of_range: year_of_birth'
    WHEN NOT list_contains($sex_codes, sex) THEN 'unknown_code: sex'
    WHEN imd_decile NOT BETWEEN 1 AND 10 THEN 'out_of_range: imd_decile'
    WHEN NOT ingest_safe_code(practice_code) THEN 'unsafe_practice_code'
    WHEN practice_code NOT IN (SELECT practice_code FROM practices) THEN 'unknown_practice'
  END AS _reason
  FROM typed
)
SELECT * FROM checked;
