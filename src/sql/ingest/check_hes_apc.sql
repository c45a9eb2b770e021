-- ingest/check_hes_apc: one pass over typed HES APC episodes (_in): placeholders to NULL, codes
-- normalised, first failed episode check in _reason (duplicates by EPIKEY: first valid row wins).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT ingest_trim(PSEUDO_HESID) AS patient_id, ingest_trim(EPIKEY) AS epikey,
         ingest_hes_date(ADMIDATE, $placeholder_dates) AS admission_date,
         ingest_hes_date(DISDATE, $placeholder_dates) AS disdate,
         ingest_hes_date(EPISTART, $placeholder_dates) AS epistart,
         ingest_hes_date(EPIEND, $placeholder_dates) AS epiend,
         try_cast(ingest_trim(EPIORDER) AS INTEGER) AS epiorder,
         upper(ingest_trim(ADMIMETH)) AS admission_method, upper(ingest_trim(CLASSPAT)) AS patient_classification,
         ingest_trim(DISMETH) AS dismeth,
         list_filter([ingest_icd_norm(DIAG_4_01), ingest_icd_norm(DIAG_4_02), ingest_icd_norm(DIAG_4_03),
           ingest_icd_norm(DIAG_4_04), ingest_icd_norm(DIAG_4_05), ingest_icd_norm(DIAG_4_06),
           ingest_icd_norm(DIAG_4_07), ingest_icd_norm(DIAG_4_08), ingest_icd_norm(DIAG_4_09),
           ingest_icd_norm(DIAG_4_10), ingest_icd_norm(DIAG_4_11), ingest_icd_norm(DIAG_4_12),
           ingest_icd_norm(DIAG_4_13), ingest_icd_norm(DIAG_4_14), ingest_icd_norm(DIAG_4_15),
           ingest_icd_norm(DIAG_4_16), ingest_icd_norm(DIAG_4_17), ingest_icd_norm(DIAG_4_18),
           ingest_icd_norm(DIAG_4_19), ingest_icd_norm(DIAG_4_20)], x -> x IS NOT NULL) AS diagnoses,
         ingest_icd_norm(DIAG_4_01) AS primary_diagnosis,
         nullif(ingest_trim(PROCODE3), '') AS provider_code,
         ingest_hes_practice(GPPRAC, $no_practice) AS practice_code,
         upper(ingest_trim(SEX)) AS sex_code, ingest_trim(MYDOB) AS mydob,
         try_cast(ingest_trim(STARTAGE) AS DOUBLE) AS startage, nullif(ingest_trim(LSOA11), '') AS lsoa_code,
         coalesce(ingest_hrg(SUSCOREHRG), ingest_hrg(SUSHRG)) AS hrg
  FROM _in
),
checked AS (
  SELECT *, CASE
    -- National data opt-out: the row is excluded (counted, never written to rejects or any table).
    WHEN patient_id IN (SELECT patient_id FROM _opt_outs) THEN 'opted_out'
    WHEN ingest_blank(patient_id) THEN 'missing_required: PSEUDO_HESID'
    WHEN ingest_blank(epikey) THEN 'missing_required: EPIKEY'
    WHEN admission_date IS NULL THEN 'missing_required: ADMIDATE'
    WHEN ingest_blank(admission_method) THEN 'missing_required: ADMIMETH'
    WHEN ingest_blank(patient_classification) THEN 'missing_required: CLASSPAT'
    WHEN ingest_date_reason(admission_date, 'ADMIDATE', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(admission_date, 'ADMIDATE', $extract_date::DATE)
    WHEN ingest_date_reason(disdate, 'DISDATE', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(disdate, 'DISDATE', $extract_date::DATE)
    WHEN ingest_date_reason(epiend, 'EPIEND', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(epiend, 'EPIEND', $extract_date::DATE)
    WHEN disdate < admission_date THEN 'discharge_before_admission'
    WHEN NOT list_contains($admission_methods, admission_method) THEN 'unknown_admission_method'
    WHEN NOT list_contains($classifications, patient_classification) THEN 'unknown_patient_classification'
    WHEN NOT list_bool_and(list_transform(diagnoses, x -> ingest_is_icd10(x))) THEN 'invalid_icd10'
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
  SELECT rowid, row_number() OVER (PARTITION BY epikey ORDER BY rowid) AS n FROM _checked WHERE _reason IS NULL
) WHERE n > 1);

-- Spells: episodes of a patient at a provider sharing ADMIDATE, EPIORDER 1 first (_ord: file order).
CREATE OR REPLACE TEMP TABLE _hes_spells AS
WITH episodes AS (
  SELECT *, rowid AS _ord,
         row_number() OVER (PARTITION BY patient_id, coalesce(provider_code, ''), admission_date
                            ORDER BY epiorder NULLS LAST, epistart NULLS LAST, rowid) AS pos
  FROM _checked WHERE _reason IS NULL
),
grouped AS (
  SELECT patient_id, provider_code, admission_date,
         arg_min(epikey, pos) AS spell_id,
         arg_min(admission_method, pos) AS admission_method,
         arg_min(patient_classification, pos) AS patient_classification,
         arg_min(primary_diagnosis, pos) AS primary_diagnosis,
         -- SUSCOREHRG is the spell's HRG; else the first episode's SUSHRG
         arg_min(hrg, pos) FILTER (WHERE hrg IS NOT NULL) AS hrg,
         flatten(list(diagnoses ORDER BY pos)) AS all_diagnoses,
         max(greatest(disdate, epiend)) AS discharge_date,
         min(_ord) AS first_ord,
         list(_ord) AS episode_ords
  FROM episodes
  GROUP BY patient_id, provider_code, admission_date
)
SELECT *, list_filter(all_diagnoses, (x, i) -> list_position(all_diagnoses, x) = i) AS diagnoses,
  CASE WHEN discharge_date IS NULL THEN 'missing_required: DISDATE'
       WHEN discharge_date < admission_date THEN 'discharge_before_admission' END AS _reason
FROM grouped;

-- A spell that fails rejects every one of its episodes.
UPDATE _checked SET _reason = s._reason
FROM (SELECT unnest(episode_ords) AS ord, _reason FROM _hes_spells WHERE _reason IS NOT NULL) s
WHERE _checked.rowid = s.ord;
