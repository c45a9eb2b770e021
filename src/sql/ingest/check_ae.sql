-- ingest/check_ae: one pass over the typed native A&E extract (_in), naming the first failed
-- check of every row in _reason (NULL = loads; duplicates: first valid row wins).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT ingest_trim(attendance_id) AS attendance_id, ingest_trim(patient_id) AS patient_id, arrival_date,
         upper(ingest_trim(attendance_category)) AS attendance_category,
         nullif(ingest_trim(provider_code), '') AS provider_code, cost,
         ingest_code2(department_type) AS department_type, upper(ingest_trim(admitted)) AS admitted, ingest_hrg(hrg) AS hrg
  FROM _in
),
checked AS (
  SELECT *, CASE
    -- National data opt-out: the row is excluded (counted, never written to rejects or any table).
    WHEN patient_id IN (SELECT patient_id FROM _opt_outs) THEN 'opted_out'
    WHEN ingest_blank(attendance_id) THEN 'missing_required: attendance_id'
    WHEN ingest_blank(patient_id) THEN 'missing_required: patient_id'
    WHEN arrival_date IS NULL THEN 'missing_required: arrival_date'
    WHEN ingest_blank(attendance_category) THEN 'missing_required: attendance_category'
    WHEN ingest_date_reason(arrival_date, 'arrival_date', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(arrival_date, 'arrival_date', $extract_date::DATE)
    WHEN NOT list_contains($attendance_categories, attendance_category) THEN 'unknown_code: attendance_category'
    WHEN department_type IS NOT NULL AND NOT list_contains($department_types, department_type) THEN 'unknown_code: department_type'
    WHEN NOT ingest_blank(admitted) AND NOT list_contains(['Y', 'N'], admitted) THEN 'unknown_code: admitted'
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
  SELECT rowid, row_number() OVER (PARTITION BY attendance_id ORDER BY rowid) AS n FROM _checked WHERE _reason IS NULL
) WHERE n > 1);
