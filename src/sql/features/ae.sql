-- Features, step 3: one pass over A&E attendances in the 3 years (1,095 days) before $as_of;
-- the year is arrival on $as_of - 365 up to the day before $as_of.
CREATE OR REPLACE TEMP TABLE _f_ae AS
WITH a AS (
  SELECT ae.patient_id, ae.cost, ae.arrival_date >= $as_of::DATE - 365 AS last_year
  FROM ae_attendances ae
  WHERE ae.arrival_date < $as_of::DATE
    AND ae.arrival_date >= $as_of::DATE - 1095
)
SELECT
  patient_id,
  count(*) FILTER (WHERE last_year)::INTEGER AS ae_365d,
  count(*)::INTEGER AS ae_3y,
  coalesce(sum(cost) FILTER (WHERE last_year), 0)::DOUBLE AS ae_cost_365d
FROM a
GROUP BY patient_id;
