-- ingest/check_hes_ae: one pass over typed HES A&E attendances (_in): placeholders to NULL,
-- first failed check in _reason (duplicates by AEKEY: first valid row wins).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT ingest_trim(PSEUDO_HESID) AS patient_id, ingest_trim(AEKEY) AS attendance_id,
         ingest_hes_date(ARRIVALDATE, $placeholder_dates) AS arrival_date,
         upper(ingest_trim(AEATTENDCAT)) AS attendance_category,
         try_cast(ingest_trim(ARRIVALAGE) AS DOUBLE) AS age,
         nullif(ingest_trim(PROCODE3), '') AS provider_code,
         ingest_hes_practice(GPPRAC, $no_practice) AS practice_code,
         upper(ingest_trim(SEX)) AS sex_code, nullif(ingest_trim(LSOA11), '') AS lsoa_code,
         -- AEDEPTTYPE 01-04 (99 = not known); AEATTENDDISP 01 = admitted, 10 = died in department
         CASE WHEN list_contains($department_types, ingest_code2(AEDEPTTYPE)) THEN ingest_code2(AEDEPTTYPE) END AS department_type,
         ingest_code2(AEATTENDDISP) AS disposal, ingest_hrg(SUSHRG) AS hrg
  FROM _in
),
checked AS (
  SELECT *, CASE
    -- National data opt-out: the row is excluded (counted, never written to rejects or any table).
    WHEN patient_id IN (SELECT patient_id FROM _opt_outs) THEN 'opted_out'
    WHEN ingest_blank(patient_id) THEN 'missing_required: PSEUDO_HESID'
    WHEN ingest_blank(attendance_id) THEN 'missing_required: AEKEY'
    WHEN arrival_date IS NULL THEN 'missing_required: ARRIVALDATE'
    WHEN ingest_blank(attendance_category) THEN 'missing_required: AEATTENDCAT'
    WHEN ingest_date_reason(arrival_date, 'ARRIVALDATE', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(arrival_date, 'ARRIVALDATE', $extract_date::DATE)
    WHEN NOT list_contains($attendance_categories, attendance_category) THEN 'unknown_code: AEATTENDCAT'
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
  SELECT rowid, row_number() OVER (PARTITION BY attendance_id ORDER BY rowid) AS n FROM _checked WHERE _reason IS NULL
) WHERE n > 1);
