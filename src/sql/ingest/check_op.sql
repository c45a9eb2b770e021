-- ingest/check_op: one pass over the typed native outpatient extract (_in), naming the first
-- failed check of every row in _reason (NULL = loads; duplicates: first valid row wins).
CREATE OR REPLACE TEMP TABLE _checked AS
WITH typed AS (
  SELECT ingest_trim(appointment_id) AS appointment_id, ingest_trim(patient_id) AS patient_id, appointment_date,
         upper(ingest_trim(attended)) AS attended, upper(ingest_trim(first_attendance)) AS first_attendance,
         nullif(ingest_trim(specialty), '') AS specialty, nullif(ingest_trim(provider_code), '') AS provider_code, cost,
         ingest_hrg(hrg) AS hrg
  FROM _in
),
checked AS (
  SELECT *, CASE
    -- National data opt-out: the row is excluded (counted, never written to rejects or any table).
    WHEN patient_id IN (SELECT patient_id FROM _opt_outs) THEN 'opted_out'
    WHEN ingest_blank(appointment_id) THEN 'missing_required: appointment_id'
    WHEN ingest_blank(patient_id) THEN 'missing_required: patient_id'
    WHEN appointment_date IS NULL THEN 'missing_required: appointment_date'
    WHEN ingest_blank(attended) THEN 'missing_required: attended'
    WHEN ingest_blank(first_attendance) THEN 'missing_required: first_attendance'
    WHEN specialty IS NULL AND $specialty_required THEN 'missing_required: specialty'
    WHEN ingest_date_reason(appointment_date, 'appointment_date', $extract_date::DATE) IS NOT NULL
      THEN ingest_date_reason(appointment_date, 'appointment_date', $extract_date::DATE)
    WHEN NOT list_contains($attended_codes, attended) THEN 'unknown_code: attended'
    WHEN NOT list_contains($first_attendance_codes, first_attendance) THEN 'unknown_code: first_attendance'
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
  SELECT rowid, row_number() OVER (PARTITION BY appointment_id ORDER BY rowid) AS n FROM _checked WHERE _reason IS NULL
) WHERE n > 1);
