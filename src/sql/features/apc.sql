-- Features, step 2: one pass over spells admitted strictly before $as_of: admission counts by window,
-- non-elective bed days (truncated at $as_of), cost, last emergency (diagnoses: conditions.sql).
CREATE OR REPLACE TEMP TABLE _f_apc AS
WITH s AS (
  SELECT
    sp.patient_id,
    sp.admission_date,
    sp.discharge_date,
    sp.is_emergency,
    sp.is_elective,
    sp.is_day_case,
    sp.patient_classification,
    sp.cost,
    ($as_of::DATE - sp.admission_date) AS days_before  -- 1 = the day before $as_of
  FROM spells sp
  WHERE sp.admission_date < $as_of::DATE
)
SELECT
  patient_id,
  count(*) FILTER (WHERE is_emergency AND days_before <= 90)::INTEGER AS emergency_90d,
  count(*) FILTER (WHERE is_emergency AND days_before <= 180)::INTEGER AS emergency_180d,
  count(*) FILTER (WHERE is_emergency AND days_before <= 365)::INTEGER AS emergency_365d,
  count(*) FILTER (WHERE is_emergency AND days_before <= 1095)::INTEGER AS emergency_3y,
  count(*) FILTER (WHERE is_elective AND NOT is_day_case AND days_before <= 365)::INTEGER AS elective_365d,
  count(*) FILTER (WHERE is_day_case AND days_before <= 365)::INTEGER AS day_case_365d,
  coalesce(sum(least(discharge_date, $as_of::DATE) - admission_date)
    FILTER (WHERE NOT is_elective AND patient_classification = '1' AND days_before <= 365), 0)::INTEGER AS ne_bed_days_365d,
  coalesce(sum(cost) FILTER (WHERE days_before <= 365), 0)::DOUBLE AS apc_cost_365d,
  max(admission_date) FILTER (WHERE is_emergency) AS last_emergency_date
FROM s
GROUP BY patient_id;
