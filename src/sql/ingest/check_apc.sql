-- ingest/check_apc: one pass over the typed native APC extract (_in): normalise diagnoses and
-- name the first failed check of every row in _reason (NULL = loads; duplicates: first valid row wins).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT ingest_trim(spell_id) AS spell_id, ingest_trim(patient_id) AS patient_id,
         admission_date, discharge_date,
         upper(ingest_trim(admission_method)) AS admission_method,
         upper(ingest_trim(patient_classification)) AS patient_classification,
         ingest_icd_norm(primary_diagnosis) AS primary_diagnosis,
         -- Canonical lists (the usual case) split as they are: the per-code lambda costs ~1 s per million spells.
         CASE WHEN secondary_diagnoses IS NULL OR secondary_diagnoses = '' THEN []
              WHEN regexp_full_match(secondary_diagnoses, '[A-Z][0-9]{2}[0-9A-Z]?(;[A-Z][0-9]{2}[0-9A-Z]?)*')
                THEN string_split(secondary_diagnoses, ';')
              ELSE list_filter(list_transform(string_split(secondary_diagnoses, ';'), x -> ingest_icd_norm(x)), x -> x IS NOT NULL)
         END AS secondary,
         nullif(ingest_trim(provider_code), '') AS provider_code, cost, ingest_hrg(hrg) AS hrg
  FROM _in
),
checked AS (
  SELECT *, CASE
    -- National data opt-out: the row is excluded (counted, never written to rejects or any table).
    WHEN patient_id IN (SELECT patient_id FROM _opt_outs) THEN 'opted_out'
    WHEN ingest_blank(spell_id) THEN 'missing_required: spell_id'
    WHEN ingest_blank(patient_id) THEN 'missing_required: patient_id'
    WHEN admission_date IS NULL THEN 'missing_required: admission_date'
    WHEN discharge_date IS NULL THEN 'missing_required: discharge_date'
    WHEN ingest_blank(admission_method) THEN 'missing_required: admission_method'
    WHEN ingest_blank(patient_classification) THEN 'missing_required: patient_classification'
    WHEN primary_diagnosis IS NULL THEN 'missing_required: primary_diagnosis'
    WHEN ingest_date_reason(admission_date, 'admission_date', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(admission_date, 'admission_date', $extract_date::DATE)
    WHEN ingest_date_reason(discharge_date, 'discharge_date', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(discharge_date, 'discharge_date', $extract_date::DATE)
    WHEN discharge_date < admission_date THEN 'discharge_before_admission'
    WHEN NOT list_contains($admission_methods, admission_method) THEN 'unknown_admission_method'
    WHEN NOT list_contains($classifications, patient_classification) THEN 'unknown_patient_classification'
    WHEN NOT ingest_is_icd10(primary_diagnosis) THEN 'invalid_icd10: primary_diagnosis'
    WHEN NOT list_bool_and(list_transform(secondary, x -> ingest_is_icd10(x))) THEN 'invalid_icd10: secondary_diagnoses'
    WHEN cost < 0 THEN 'negative_cost'
    WHEN cost > $max_cost THEN 'absurd_cost'
  END AS _reason
  FROM typed
)
SELECT * FROM checked;

-- Duplicate keys: the first valid row in file order (rowid order) loads; later valid ones do not.
-- Ranks only (key, rowid) of the valid rows, not whole rows.
UPDATE _checked SET _reason = 'duplicate_key'
WHERE rowid IN (SELECT rowid FROM (
  SELECT rowid, row_number() OVER (PARTITION BY spell_id ORDER BY rowid) AS n FROM _checked WHERE _reason IS NULL
) WHERE n > 1);
