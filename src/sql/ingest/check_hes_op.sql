-- ingest/check_hes_op: one pass over typed HES outpatient attendances (_in): placeholders to NULL,
-- first failed check in _reason (duplicates by ATTENDKEY: first valid row wins).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT ingest_trim(PSEUDO_HESID) AS patient_id, ingest_trim(ATTENDKEY) AS appointment_id,
         ingest_hes_date(APPTDATE, $placeholder_dates) AS appointment_date,
         upper(ingest_trim(ATTENDED)) AS attended, upper(ingest_trim(FIRSTATT)) AS first_attendance,
         coalesce(nullif(nullif(ingest_trim(TRETSPEF), '&'), ''), nullif(nullif(ingest_trim(MAINSPEF), '&'), '')) AS specialty,
         try_cast(ingest_trim(APPTAGE) AS DOUBLE) AS age,
         nullif(ingest_trim(PROCODE3), '') AS provider_code,
         ingest_hes_practice(GPPRAC, $no_practice) AS practice_code,
         upper(ingest_trim(SEX)) AS sex_code, nullif(ingest_trim(LSOA11), '') AS lsoa_code,
         ingest_hrg(SUSHRG) AS hrg
  FROM _in
),
checked AS (
  SELECT *, CASE
    -- National data opt-out: the row is excluded (counted, never written to rejects or any table).
    WHEN patient_id IN (SELECT patient_id FROM _opt_outs) THEN 'opted_out'
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
SELECT * FROM checked;

-- Duplicate keys: the first valid row in file order (rowid order) loads; later valid ones do not.
-- Ranks only (key, rowid) of the valid rows, not whole rows.
UPDATE _checked SET _reason = 'duplicate_key'
WHERE rowid IN (SELECT rowid FROM (
  SELECT rowid, row_number() OVER (PARTITION BY appointment_id ORDER BY rowid) AS n FROM _checked WHERE _reason IS NULL
) WHERE n > 1);
