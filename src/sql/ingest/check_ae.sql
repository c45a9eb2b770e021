-- ingest/check_ae: one pass over the typed native A&E extract (_in), naming the first failed
-- check of every row in _reason (NULL = loads; duplicates: first valid row wins).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT _ord, trim(attendance_id) AS attendance_id, trim(patient_id) AS patient_id, arrival_date,
         upper(trim(attendance_category)) AS attendance_category,
         nullif(trim(provider_code), '') AS provider_code, cost
  FROM _in
),
checked AS (
  SELECT *, CASE
    WHEN ingest_blank(attendance_id) THEN 'missing_required: attendance_id'
    WHEN ingest_blank(patient_id) THEN 'missing_required: patient_id'
    WHEN arrival_date IS NULL THEN 'missing_required: arrival_date'
    WHEN ingest_blank(attendance_category) THEN 'missing_required: attendance_category'
    WHEN ingest_date_reason(arrival_date, 'arrival_date', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(arrival_date, 'arrival_date', $extract_date::DATE)
    WHEN NOT list_contains($attendance_categories, attendance_category) THEN 'unknown_code: attendance_category'
    WHEN cost < 0 THEN 'negative_cost'
    WHEN cost > $max_cost THEN 'absurd_cost'
  END AS _reason
  FROM typed
)
SELECT * EXCLUDE (_reason),
  CASE WHEN _reason IS NULL AND row_number() OVER (PARTITION BY attendance_id, _reason IS NULL ORDER BY _ord) > 1
       THEN 'duplicate_key' ELSE _reason END AS _reason
FROM checked;
