-- Features, step 4: one pass over outpatient appointments in the 3 years before $as_of: attendances
-- (year and 3 years), did-not-attends, distinct specialties attended and cost (year).
CREATE OR REPLACE TEMP TABLE _f_op AS
WITH o AS (
  SELECT op.patient_id, op.attended, op.did_not_attend, op.specialty, op.cost,
    op.appointment_date >= $as_of::DATE - 365 AS last_year
  FROM op_appointments op
  WHERE op.appointment_date < $as_of::DATE
    AND op.appointment_date >= $as_of::DATE - 1095
)
SELECT
  patient_id,
  count(*) FILTER (WHERE attended AND last_year)::INTEGER AS op_attended_365d,
  count(*) FILTER (WHERE attended)::INTEGER AS op_attended_3y,
  count(*) FILTER (WHERE did_not_attend AND last_year)::INTEGER AS op_dna_365d,
  count(DISTINCT specialty) FILTER (WHERE attended AND last_year)::INTEGER AS specialties_365d,
  coalesce(sum(cost) FILTER (WHERE last_year), 0)::DOUBLE AS op_cost_365d
FROM o
GROUP BY patient_id;
