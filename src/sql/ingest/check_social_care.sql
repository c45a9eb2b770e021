-- ingest/check_social_care: one pass over the typed social care extract (_in), naming the first
-- failed check of every row in _reason (NULL = loads).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT ingest_trim(patient_id) AS patient_id, lower(ingest_trim(service_type)) AS service_type,
         start_date, end_date, weekly_cost
  FROM _in
)
SELECT *, CASE
  -- National data opt-out: the row is excluded (counted, never written to rejects or any table).
  WHEN patient_id IN (SELECT patient_id FROM _opt_outs) THEN 'opted_out'
  WHEN ingest_blank(patient_id) THEN 'missing_required: patient_id'
  WHEN ingest_blank(service_type) THEN 'missing_required: service_type'
  WHEN start_date IS NULL THEN 'missing_required: start_date'
  WHEN weekly_cost IS NULL THEN 'missing_required: weekly_cost'
  WHEN ingest_date_reason(start_date, 'start_date', $extract_date::DATE) IS NOT NULL
    THEN ingest_date_reason(start_date, 'start_date', $extract_date::DATE)
  WHEN end_date < DATE '1900-01-01' THEN 'date_before_1900: end_date'
  WHEN end_date < start_date THEN 'end_before_start: end_date'
  WHEN NOT list_contains($service_types, service_type) THEN 'unknown_code: service_type'
  WHEN weekly_cost < 0 THEN 'negative_cost'
  WHEN weekly_cost > $max_cost THEN 'absurd_cost'
END AS _reason
FROM typed;
