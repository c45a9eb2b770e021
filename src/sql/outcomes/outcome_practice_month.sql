-- outcome_practice_month: every metric's monthly total per practice and baseline tier (tier NULL when the patient
-- has none), for the months from $first_month to before $end_exclusive; activity attributed to the practice the
-- patient was registered with on the day (no registration covering the day: practice and tier NULL, in no group).

-- _registration_segments: each patient's registration history as date ranges with one winning registrations row
-- each, for two rules: 'activity' (the day of death still counts: date_of_death >= the date) and 'list' (registered
-- and alive: date_of_death > the date). Of the rows covering a date the latest registration_start wins, then
-- practice_code. Every date's registration is then a range lookup, with no tie-break over events or patient-months.
-- A table rather than a CTE so that the planner knows its size and builds the activity join's hash table on it,
-- not on the ~25M events.
-- NHS Digital's readmission indicator (I02040) excludes admissions for cancer and obstetrics, as they may be part
-- of the patient's care plan; from the staged fields: primary diagnosis C00-C97 (malignant neoplasms) or O00-O99
-- (pregnancy and childbirth), maternity admission methods 31/32, or CLASSPAT 5 (mothers and babies).
CREATE OR REPLACE TEMP MACRO outcome_care_plan_admission(primary_diagnosis, admission_method, patient_classification) AS
  coalesce(regexp_matches(primary_diagnosis, '^(C[0-8][0-9]|C9[0-7]|O[0-9][0-9])'), false)
  OR admission_method IN ('31', '32') OR patient_classification = '5';

CREATE OR REPLACE TEMP TABLE _registration_segments AS
WITH several_rows AS (
  SELECT patient_id FROM registrations GROUP BY patient_id HAVING count(*) > 1
),
registration_rows AS (
  SELECT r.patient_id, r.practice_code, r.registration_start, r.year_of_birth, r.date_of_death, t.tier, rule.rule, rule.valid_to,
         r.patient_id IN (SELECT patient_id FROM several_rows) AS several
  FROM registrations r
  LEFT JOIN outcome_tiers t ON t.patient_id = r.patient_id,
  LATERAL (VALUES
    ('activity', least(coalesce(r.registration_end, DATE '9999-12-31'), coalesce(r.date_of_death, DATE '9999-12-31'))),
    ('list', least(coalesce(r.registration_end, DATE '9999-12-31'), coalesce(r.date_of_death - 1, DATE '9999-12-31')))
  ) AS rule(rule, valid_to)
),
-- Several rows: the rows covering a date change only where one starts or ends, so the winner is constant from one
-- such boundary to the day before the next.
boundaries AS (
  SELECT DISTINCT patient_id, rule, boundary
  FROM registration_rows, LATERAL (VALUES (registration_start), (valid_to + 1)) AS b(boundary)
  WHERE several
),
segments AS (
  SELECT patient_id, rule, boundary AS valid_from,
         lead(boundary) OVER (PARTITION BY patient_id, rule ORDER BY boundary) - 1 AS valid_to
  FROM boundaries
),
several_segments AS (
  SELECT s.patient_id, s.rule, s.valid_from, s.valid_to, r.practice_code, r.year_of_birth, r.date_of_death, r.tier
  FROM segments s
  JOIN registration_rows r
    ON r.patient_id = s.patient_id AND r.rule = s.rule AND r.registration_start <= s.valid_from AND r.valid_to >= s.valid_from
  QUALIFY row_number() OVER (PARTITION BY s.patient_id, s.rule, s.valid_from ORDER BY r.registration_start DESC, r.practice_code) = 1
)
-- Patients with one row (most): the row's own range.
SELECT patient_id, rule, registration_start AS valid_from, valid_to, practice_code, year_of_birth, date_of_death, tier
FROM registration_rows
WHERE NOT several AND valid_to >= registration_start
UNION ALL
SELECT * FROM several_segments;

CREATE OR REPLACE TABLE outcome_practice_month AS
-- Activity: one row per event and date that places it, with a column per metric, NULL where the row does not
-- count towards that metric (so a total exists only where something contributed, as for list_size below).
-- Admission-dated spell metrics (counted in the month of admission).
WITH spell_admissions AS (
  SELECT patient_id, admission_date AS attr_date, admission_date AS month_date,
         CASE WHEN is_emergency THEN 1 END AS emergency_admissions,
         CASE WHEN is_emergency AND los_days = 0 THEN 1 END AS zero_day_emergency_admissions,
         CASE WHEN is_elective THEN 1 END AS elective_admissions,
         cost AS total_cost
  FROM spells
  WHERE admission_date >= $first_month::DATE AND admission_date < $end_exclusive::DATE
),
-- Non-elective (ADMIMETH not 11-13) ordinary-admission (CLASSPAT 1) bed days (= length of stay), counted whole
-- in the month of discharge: extracts hold discharged spells only, so a month's count is complete once the
-- data reach its end (splitting nights across months would leave the latest months short by the stays still open).
bed_days AS (
  SELECT patient_id, admission_date AS attr_date, discharge_date AS month_date, los_days AS ne_bed_days_all
  FROM spells
  WHERE NOT is_elective AND patient_classification = '1' AND los_days >= 1
    AND discharge_date >= $first_month::DATE AND discharge_date < $end_exclusive::DATE
),
-- Index discharges for 30-day readmissions: ordinary admissions (any method) but cancer and obstetric ones, counted in
-- the month of discharge; a readmission is an emergency admission, not for cancer or obstetrics, 0-29 days after.
discharges AS (
  SELECT s.patient_id, s.discharge_date AS attr_date, s.discharge_date AS month_date, 1 AS discharges,
         CASE WHEN EXISTS (
           SELECT 1 FROM spells r
           WHERE r.patient_id = s.patient_id AND r.spell_id <> s.spell_id AND r.is_emergency
             AND r.admission_date >= s.discharge_date AND r.admission_date <= s.discharge_date + 29
             AND NOT outcome_care_plan_admission(r.primary_diagnosis, r.admission_method, r.patient_classification)
         ) THEN 1 END AS readmissions_30d
  FROM spells s
  WHERE s.patient_classification = '1' AND s.discharge_date >= $first_month::DATE AND s.discharge_date < $end_exclusive::DATE
    AND NOT outcome_care_plan_admission(s.primary_diagnosis, s.admission_method, s.patient_classification)
),
-- A&E: every attendance; those at a type 1 (major, consultant-led 24-hour) department; those admitted to a bed.
ae AS (
  SELECT patient_id, arrival_date AS attr_date, arrival_date AS month_date, 1 AS ae_attendances,
         CASE WHEN department_type = '01' THEN 1 END AS ae_type1_attendances,
         CASE WHEN admitted THEN 1 END AS ae_admissions, cost AS total_cost
  FROM ae_attendances
  WHERE arrival_date >= $first_month::DATE AND arrival_date < $end_exclusive::DATE
),
op AS (
  SELECT patient_id, appointment_date AS attr_date, appointment_date AS month_date,
         CASE WHEN is_first THEN 1 END AS op_first_attendances,
         CASE WHEN NOT is_first THEN 1 END AS op_followup_attendances,
         cost AS total_cost
  FROM op_appointments
  WHERE attended AND appointment_date >= $first_month::DATE AND appointment_date < $end_exclusive::DATE
),
events AS (
  SELECT * FROM spell_admissions
  UNION ALL BY NAME SELECT * FROM bed_days
  UNION ALL BY NAME SELECT * FROM discharges
  UNION ALL BY NAME SELECT * FROM ae
  UNION ALL BY NAME SELECT * FROM op
),
activity AS (
  SELECT r.practice_code, r.tier, CAST(date_trunc('month', e.month_date) AS DATE) AS month,
         sum(e.emergency_admissions) AS emergency_admissions,
         sum(e.zero_day_emergency_admissions) AS zero_day_emergency_admissions,
         sum(e.elective_admissions) AS elective_admissions,
         sum(e.ne_bed_days_all) AS ne_bed_days_all,
         -- Symphony's measure: adults (age at admission = admission year − year of birth >= 18), stays of 1+ days
         sum(e.ne_bed_days_all) FILTER (WHERE year(e.attr_date) - r.year_of_birth >= 18) AS ne_bed_days_adult_1plus,
         -- a discharge on the day of death is not an index discharge (no discharge method: death date is the proxy)
         sum(e.discharges) FILTER (WHERE r.date_of_death IS DISTINCT FROM e.attr_date) AS discharges,
         sum(e.readmissions_30d) FILTER (WHERE r.date_of_death IS DISTINCT FROM e.attr_date) AS readmissions_30d,
         sum(e.ae_attendances) AS ae_attendances,
         sum(e.ae_type1_attendances) AS ae_type1_attendances,
         sum(e.ae_admissions) AS ae_admissions,
         sum(e.op_first_attendances) AS op_first_attendances,
         sum(e.op_followup_attendances) AS op_followup_attendances,
         sum(e.total_cost) AS total_cost
  FROM events e
  LEFT JOIN _registration_segments r
    ON r.patient_id = e.patient_id AND r.rule = 'activity' AND e.attr_date BETWEEN r.valid_from AND r.valid_to
  GROUP BY ALL
),
-- List size: registered and alive on the first day of the month. A list segment counts in the months whose first
-- day it covers: +1 in the first of them, -1 in the month after the last, then a running sum over the months.
list_months AS (
  SELECT practice_code, tier,
         -- the first 1st of a month on or after valid_from; the month of the last 1st up to valid_to
         greatest(CAST(date_trunc('month', valid_from - 1) + INTERVAL 1 MONTH AS DATE), $first_month::DATE) AS first_month,
         CAST(date_trunc('month', least(valid_to, $end_exclusive::DATE - 1)) AS DATE) AS last_month
  FROM _registration_segments
  WHERE rule = 'list'
),
list_changes AS (
  SELECT practice_code, tier, month, sum(change) AS change
  FROM list_months, LATERAL (VALUES (first_month, 1), (CAST(last_month + INTERVAL 1 MONTH AS DATE), -1)) AS c(month, change)
  WHERE first_month <= last_month
  GROUP BY ALL
),
list_size AS (
  SELECT g.practice_code, g.tier, m.month,
         sum(coalesce(c.change, 0)) OVER (PARTITION BY g.practice_code, g.tier ORDER BY m.month) AS list_size
  FROM (SELECT DISTINCT practice_code, tier FROM list_changes) g
  CROSS JOIN outcome_months m
  LEFT JOIN list_changes c ON c.practice_code = g.practice_code AND c.tier IS NOT DISTINCT FROM g.tier AND c.month = m.month
),
metrics AS (
  UNPIVOT activity ON COLUMNS(* EXCLUDE (practice_code, tier, month)) INTO NAME metric VALUE value
  UNION ALL
  SELECT practice_code, tier, month, 'list_size', list_size FROM list_size WHERE list_size > 0
)
SELECT practice_code, tier, month, metric, CAST(value AS DOUBLE) AS value
FROM metrics
ORDER BY practice_code NULLS LAST, tier NULLS FIRST, month, metric;

DROP TABLE _registration_segments;
