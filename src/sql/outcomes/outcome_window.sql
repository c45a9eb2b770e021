-- outcome_window: the months the outcome metrics cover: from the first month with activity to the last
-- complete month, i.e. before the as-of month and not after the last month the data fully cover.
WITH activity AS (
  SELECT min(admission_date) AS first_date, max(discharge_date) AS last_date FROM spells
  UNION ALL SELECT min(arrival_date), max(arrival_date) FROM ae_attendances
  UNION ALL SELECT min(appointment_date), max(appointment_date) FROM op_appointments
),
bounds AS (
  SELECT min(first_date) AS first_date,
         least(max(last_date), CAST($as_of AS DATE) - 1) AS data_end
  FROM activity
)
SELECT CAST(date_trunc('month', first_date) AS DATE) AS first_month,
       CAST(least(date_trunc('month', CAST($as_of AS DATE)), date_trunc('month', data_end + 1)) - INTERVAL 1 MONTH AS DATE) AS last_month,
       data_end
FROM bounds;
