-- ingest/check_ecds_ae: one pass over a typed ECDS extract (_in): placeholder dates to NULL, codes
-- normalised ('1' = '01'), first failed check in _reason (duplicates by EC_IDENT: first valid row wins).
-- Discharge destination and status are SNOMED CT: a code outside the ECDS reference set keeps the
-- attendance (as the ECDS extracts keep it, flagged not valid) and is counted in data-quality.json.
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT ingest_trim(PSEUDO_HESID) AS patient_id, ingest_trim(EC_IDENT) AS attendance_id,
         ingest_hes_date(ARRIVAL_DATE, $placeholder_dates) AS arrival_date,
         ltrim(ingest_trim(ATTENDANCE_CATEGORY), '0') AS ecds_category,
         ingest_code2(DEPARTMENT_TYPE) AS department_type,
         nullif(ingest_trim(DISCHARGE_DESTINATION), '') AS discharge_destination,
         nullif(ingest_trim(DISCHARGE_STATUS), '') AS discharge_status,
         ingest_hes_date(DECIDED_TO_ADMIT_DATE, $placeholder_dates) AS decided_to_admit_date,
         try_cast(ingest_trim(AGE_AT_ARRIVAL) AS DOUBLE) AS age,
         upper(ingest_trim(STATED_GENDER)) AS sex_code,
         ingest_hes_practice(GP_PRACTICE_CODE, $no_practice) AS practice_code,
         nullif(ingest_trim(LSOA_11), '') AS lsoa_code,
         nullif(ingest_trim(PROVIDER_CODE), '') AS provider_code,
         ingest_hrg(HEALTH_RESOURCE_GROUP) AS hrg, FINAL_PRICE AS cost
  FROM _in
),
checked AS (
  SELECT *, CASE
    -- National data opt-out: the row is excluded (counted, never written to rejects or any table).
    WHEN patient_id IN (SELECT patient_id FROM _opt_outs) THEN 'opted_out'
    WHEN ingest_blank(patient_id) THEN 'missing_required: PSEUDO_HESID'
    WHEN ingest_blank(attendance_id) THEN 'missing_required: EC_IDENT'
    WHEN arrival_date IS NULL THEN 'missing_required: ARRIVAL_DATE'
    WHEN ingest_blank(ecds_category) THEN 'missing_required: ATTENDANCE_CATEGORY'
    WHEN department_type IS NULL THEN 'missing_required: DEPARTMENT_TYPE'
    WHEN ingest_date_reason(arrival_date, 'ARRIVAL_DATE', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(arrival_date, 'ARRIVAL_DATE', $extract_date::DATE)
    WHEN NOT list_contains($ecds_categories, ecds_category) THEN 'unknown_code: ATTENDANCE_CATEGORY'
    WHEN NOT list_contains($department_types, department_type) THEN 'unknown_code: DEPARTMENT_TYPE'
    WHEN NOT ingest_blank(sex_code) AND NOT list_contains($sex_codes, sex_code) THEN 'unknown_code: STATED_GENDER'
    WHEN practice_code IS NOT NULL AND NOT ingest_safe_code(practice_code) THEN 'unsafe_practice_code'
    WHEN cost < 0 THEN 'negative_cost'
    WHEN cost > $max_cost THEN 'absurd_cost'
  END AS _reason
  FROM typed
)
SELECT * FROM checked;

-- Duplicate keys: the first valid row in file order (rowid order) loads; later valid ones do not.
UPDATE _checked SET _reason = 'duplicate_key'
WHERE rowid IN (SELECT rowid FROM (
  SELECT rowid, row_number() OVER (PARTITION BY attendance_id ORDER BY rowid) AS n FROM _checked WHERE _reason IS NULL
) WHERE n > 1);
