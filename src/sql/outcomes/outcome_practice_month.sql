-- outcome_practice_month: every metric's monthly total per practice and baseline tier (tier NULL when
-- the patient has none), activity attributed to the practice the patient was registered with on the day.
CREATE OR REPLACE TABLE outcome_practice_month AS
WITH months AS (
  SELECT month, next_month FROM outcome_months
),
window_bounds AS (
  SELECT min(month) AS first_month, max(next_month) AS end_exclusive FROM months
),
-- Admission-dated spell metrics (counted in the month of admission).
spell_admissions AS (
  SELECT s.patient_id, s.admission_date AS attr_date, CAST(date_trunc('month', s.admission_date) AS DATE) AS month,
         m.metric, m.value
  FROM spells s, window_bounds b,
       LATERAL (VALUES
         ('emergency_admissions', CASE WHEN s.is_emergency THEN 1.0 END),
         ('zero_day_emergency_admissions', CASE WHEN s.is_emergency AND s.los_days = 0 THEN 1.0 END),
         ('elective_admissions', CASE WHEN s.is_elective THEN 1.0 END),
         ('total_cost', s.cost)
       ) AS m(metric, value)
  WHERE s.admission_date >= b.first_month AND s.admission_date < b.end_exclusive AND m.value IS NOT NULL
),
-- Non-elective (ADMIMETH not 11-13) ordinary-admission (CLASSPAT 1) bed days (= length of stay), counted whole
-- in the month of discharge: extracts hold discharged spells only, so a month's count is complete once the
-- data reach its end (splitting nights across months would leave the latest months short by the stays still open).
bed_days AS (
  SELECT s.patient_id, s.admission_date AS attr_date, CAST(date_trunc('month', s.discharge_date) AS DATE) AS month,
         'ne_bed_days_all' AS metric, CAST(s.los_days AS DOUBLE) AS value
  FROM spells s, window_bounds b
  WHERE NOT s.is_elective AND s.patient_classification = '1' AND s.los_days >= 1
    AND s.discharge_date >= b.first_month AND s.discharge_date < b.end_exclusive
),
-- Index discharges for 30-day readmissions: ordinary admissions (any method), counted in the month of discharge.
discharges AS (
  SELECT s.patient_id, s.discharge_date AS attr_date, CAST(date_trunc('month', s.discharge_date) AS DATE) AS month,
         EXISTS (
           SELECT 1 FROM spells r
           WHERE r.patient_id = s.patient_id AND r.spell_id <> s.spell_id AND r.is_emergency
             AND r.admission_date >= s.discharge_date AND r.admission_date <= s.discharge_date + 29
         ) AS readmitted
  FROM spells s, window_bounds b
  WHERE s.patient_classification = '1' AND s.discharge_date >= b.first_month AND s.discharge_date < b.end_exclusive
),
discharge_metrics AS (
  SELECT patient_id, attr_date, month, 'discharges' AS metric, 1.0 AS value FROM discharges
  UNION ALL
  SELECT patient_id, attr_date, month, 'readmissions_30d', 1.0 FROM discharges WHERE readmitted
),
ae AS (
  SELECT a.patient_id, a.arrival_date AS attr_date, CAST(date_trunc('month', a.arrival_date) AS DATE) AS month,
         m.metric, m.value
  FROM ae_attendances a, window_bounds b,
       LATERAL (VALUES ('ae_attendances', 1.0), ('total_cost', a.cost)) AS m(metric, value)
  WHERE a.arrival_date >= b.first_month AND a.arrival_date < b.end_exclusive
),
op AS (
  SELECT o.patient_id, o.appointment_date AS attr_date, CAST(date_trunc('month', o.appointment_date) AS DATE) AS month,
         m.metric, m.value
  FROM op_appointments o, window_bounds b,
       LATERAL (VALUES
         (CASE WHEN o.is_first THEN 'op_first_attendances' ELSE 'op_followup_attendances' END, 1.0),
         ('total_cost', o.cost)
       ) AS m(metric, value)
  WHERE o.attended AND o.appointment_date >= b.first_month AND o.appointment_date < b.end_exclusive
),
events AS (
  SELECT * FROM spell_admissions UNION ALL SELECT * FROM bed_days UNION ALL SELECT * FROM discharge_metrics
  UNION ALL SELECT * FROM ae UNION ALL SELECT * FROM op
),
-- The registration on the activity date; several qualifying rows: latest registration_start, then practice_code.
-- Activity on the day of death still counts (date_of_death >= the date). Most patients have one registration
-- row: their events take it by a plain equi-join (it applies when the dates qualify). Only the (patient, date)
-- pairs of patients with several rows go through the tie-break window, and are joined back on both keys.
registration_rows AS (
  SELECT *, count(*) OVER (PARTITION BY patient_id) AS n_rows FROM registrations
),
multi_match AS (
  SELECT d.patient_id, d.attr_date, r.practice_code, r.year_of_birth, r.date_of_death
  FROM (SELECT DISTINCT patient_id, attr_date FROM events
        WHERE patient_id IN (SELECT patient_id FROM registration_rows WHERE n_rows > 1)) d
  JOIN registration_rows r ON r.patient_id = d.patient_id
  WHERE r.registration_start <= d.attr_date
    AND coalesce(r.registration_end, DATE '9999-12-31') >= d.attr_date
    AND coalesce(r.date_of_death, DATE '9999-12-31') >= d.attr_date
  QUALIFY row_number() OVER (PARTITION BY d.patient_id, d.attr_date ORDER BY r.registration_start DESC, r.practice_code) = 1
),
attributed AS (
  SELECT e.* EXCLUDE (s_practice, s_year_of_birth, s_date_of_death, s_ok),
         CASE WHEN s_ok THEN s_practice ELSE m.practice_code END AS practice_code,
         CASE WHEN s_ok THEN s_year_of_birth ELSE m.year_of_birth END AS year_of_birth,
         CASE WHEN s_ok THEN s_date_of_death ELSE m.date_of_death END AS date_of_death
  FROM (
    SELECT e.*, s.practice_code AS s_practice, s.year_of_birth AS s_year_of_birth, s.date_of_death AS s_date_of_death,
           coalesce(s.registration_start <= e.attr_date
             AND coalesce(s.registration_end, DATE '9999-12-31') >= e.attr_date
             AND coalesce(s.date_of_death, DATE '9999-12-31') >= e.attr_date, false) AS s_ok
    FROM events e
    LEFT JOIN registration_rows s ON s.patient_id = e.patient_id AND s.n_rows = 1
  ) e
  LEFT JOIN multi_match m ON m.patient_id = e.patient_id AND m.attr_date = e.attr_date
),
contributions AS (
  SELECT patient_id, practice_code, month, metric, value FROM attributed
  -- a discharge on the day of death is not an index discharge (no discharge method: death date is the proxy)
  WHERE NOT (metric IN ('discharges', 'readmissions_30d') AND date_of_death IS NOT NULL AND date_of_death = attr_date)
  UNION ALL
  -- Symphony's measure: adults (age at admission = admission year − year of birth >= 18), stays of 1+ days
  SELECT patient_id, practice_code, month, 'ne_bed_days_adult_1plus', value FROM attributed
  WHERE metric = 'ne_bed_days_all' AND year(attr_date) - year_of_birth >= 18
),
-- List size: registered and alive on the first day of the month (contract rule; one practice per patient).
-- Most patients have one registration row and need no tie-break; only the others go through the window.
registrations_tiered AS (
  SELECT r.patient_id, r.practice_code, r.registration_start,
         coalesce(r.registration_end, DATE '9999-12-31') AS registration_end,
         coalesce(r.date_of_death, DATE '9999-12-31') AS date_of_death,
         t.tier, count(*) OVER (PARTITION BY r.patient_id) AS n_rows
  FROM registrations r
  LEFT JOIN outcome_tiers t ON t.patient_id = r.patient_id
),
list_single AS (
  SELECT r.practice_code, r.tier, m.month, count(*) AS value
  FROM registrations_tiered r
  JOIN months m ON r.registration_start <= m.month AND r.registration_end >= m.month
  WHERE r.n_rows = 1 AND r.date_of_death > m.month
  GROUP BY ALL
),
list_multi AS (
  SELECT r.practice_code, r.tier, m.month
  FROM registrations_tiered r
  JOIN months m ON r.registration_start <= m.month AND r.registration_end >= m.month
  WHERE r.n_rows > 1 AND r.date_of_death > m.month
  QUALIFY row_number() OVER (PARTITION BY r.patient_id, m.month ORDER BY r.registration_start DESC, r.practice_code) = 1
),
list_size AS (
  SELECT practice_code, tier, month, 'list_size' AS metric, sum(value) AS value
  FROM (SELECT * FROM list_single UNION ALL SELECT practice_code, tier, month, 1 FROM list_multi)
  GROUP BY ALL
),
activity AS (
  SELECT a.practice_code, t.tier, a.month, a.metric, sum(a.value) AS value
  FROM contributions a
  LEFT JOIN outcome_tiers t ON t.patient_id = a.patient_id
  GROUP BY ALL
)
SELECT practice_code, tier, month, metric, CAST(value AS DOUBLE) AS value
FROM (SELECT * FROM activity UNION ALL SELECT * FROM list_size) a
ORDER BY practice_code NULLS LAST, tier NULLS FIRST, month, metric;
