-- ingest/check_hes_op: one pass over typed HES outpatient attendances (_in): placeholders to NULL,
-- first failed check in _reason (duplicates by ATTENDKEY: first valid row wins).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT _ord, trim(PSEUDO_HESID) AS patient_id, trim(ATTENDKEY) AS appointment_id,
         ingest_hes_date(APPTDATE, $placeholder_dates) AS appointment_date,
         upper(trim(ATTENDED)) AS attended, upper(trim(FIRSTATT)) AS first_attendance,
         coalesce(nullif(nullif(trim(TRETSPEF), '&'), ''), nullif(nullif(trim(MAINSPEF), '&'), '')) AS specialty,
         try_cast(trim(APPTAGE) AS DOUBLE) AS age,
         nullif(trim(PROCODE3), '') AS provider_code,
         ingest_hes_practice(GPPRAC, $no_practice) AS practice_code,
         upper(trim(SEX)) AS sex_code, nullif(trim(LSOA11), '') AS lsoa_code
  FROM _in
),
checked AS (
  SELECT *, CASE
    WHEN ingest_blank(patient_id) THEN 'missing_required: PSEUDO_HESID'
    WHEN ingest_blank(appointment_id) THEN 'missing_required: ATTENDKEY'
    WHEN appointment_date IS NULL THEN 'missing_required: APPTDATE'
    WHEN ingest_blank(attended) THEN 'missing_required: ATTENDED'
    WHEN ingest_blank(first_attendance) THEN 'missing_required: FIRSTATT'
    WHEN ingest_date_reason(appointment_date, 'APPTDATE', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(appointment_date, 'APPTDATE', $extract_date::DATE)
    WHEN NOT list_contains($attended_codes, attended) THEN 'unknown_code: ATTENDED'
    WHEN NOT list_contains($first_attendance_codes, first_attendance) THEN 'unknown_code: FIRSTATT'
    WHEN NOT ingest_blank(sex_code) AND NOT list_contains($sex_codes, sex_code) THEN 'unknown_code: SEX'
    WHEN practice_code IS NOT NULL AND NOT ingest_safe_code(practice_code) THEN 'unsafe_practice_code'
  END AS _reason
  FROM typed
)
SELECT * EXCLUDE (_reason),
  CASE WHEN _reason IS NULL AND row_number() OVER (PARTITION BY appointment_id, _reason IS NULL ORDER BY _ord) > 1
       THEN 'duplicate_key' ELSE _reason END AS _reason
FROM checked;
