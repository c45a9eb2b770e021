-- ingest/insert_hes_op: replaces the staged outpatient appointments (HES has no costs: an attended appointment
-- is costed by ingest/costing, one not attended costs 0) and the outpatient part of hes_patient_activity.
DELETE FROM op_appointments;
INSERT INTO op_appointments (appointment_id, patient_id, appointment_date, attended, did_not_attend, is_first, specialty, provider_code,
  cost, cost_method, registered)
WITH passed AS (
  SELECT rowid AS _ord, *, attended IN ('5', '6') AS was_attended, first_attendance IN ('1', '3') AS first_att,
         CASE WHEN first_attendance IN ('1', '3') THEN 'op_first' ELSE 'op_follow_up' END AS pod
  FROM _checked WHERE _reason IS NULL
),
priced AS (
  SELECT p.*, h.outpatient AS hrg_cost, coalesce(us.unit_cost, u.unit_cost) AS pod_cost
  FROM passed p
  LEFT JOIN _hrg_prices h ON p.was_attended AND h.hrg = p.hrg
  LEFT JOIN _unit_costs us ON p.was_attended AND us.pod = p.pod AND us.specialty = p.specialty
  LEFT JOIN _unit_costs u ON p.was_attended AND u.pod = p.pod AND u.specialty IS NULL
)
SELECT appointment_id, patient_id, appointment_date, was_attended, attended = '3', first_att, specialty, provider_code,
       coalesce(hrg_cost, pod_cost, 0), CASE WHEN was_attended THEN cost_method(NULL, hrg_cost, pod_cost) ELSE 'not_attended' END, false
FROM priced ORDER BY _ord;
DELETE FROM hes_patient_activity WHERE extract = 'op';
INSERT INTO hes_patient_activity (extract, patient_id, activity_date, practice_code, sex, year_of_birth, lsoa_code, date_of_death)
SELECT 'op', patient_id, appointment_date, practice_code, CASE sex_code WHEN '1' THEN 'M' WHEN '2' THEN 'F' END,
       CASE WHEN age BETWEEN 7001 AND 7007 THEN year(appointment_date)
            WHEN age BETWEEN 0 AND 130 THEN year(appointment_date) - CAST(floor(age) AS INTEGER) END,
       lsoa_code, NULL
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
