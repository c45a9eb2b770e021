-- ingest/check_gp_conditions: one pass over the typed GP condition register extract (_in),
-- naming the first failed check of every row in _reason (NULL = loads).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT ingest_trim(patient_id) AS patient_id, lower(ingest_trim(condition)) AS condition, date_recorded
  FROM _in
)
SELECT *, CASE
  -- National data opt-out: the row is excluded (counted, never written to rejects or any table).
  WHEN patient_id IN (SELECT patient_id FROM _opt_outs) THEN 'opted_out'
  WHEN ingest_blank(patient_id) THEN 'missing_required: patient_id'
  WHEN ingest_blank(condition) THEN 'missing_required: condition'
  WHEN date_recorded IS NULL THEN 'missing_required: date_recorded'
  WHEN ingest_date_reason(date_recorded, 'date_recorded', $extract_date::DATE) IS NOT NULL
    THEN ingest_date_reason(date_recorded, 'date_recorded', $extract_date::DATE)
  WHEN NOT list_contains($conditions, condition) THEN 'unknown_code: condition'
END AS _reason
FROM typed;
