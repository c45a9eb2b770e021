-- ingest/insert_ecds_ae: replaces the staged A&E attendances with the ECDS rows that passed. Attendance
-- category as HES AEATTENDCAT (1 first, 2 planned follow-up, 3 unplanned follow-up); admitted = a discharge
-- destination that is an admission, or a decision to admit (NULL, not known, when the destination is missing
-- or not an ECDS code and there is no decision to admit); cost = FINAL_PRICE, else costed (ingest/costing).
-- In the HES profile the rows also feed hes_patient_activity (registrations are derived from it); a
-- discharge status of dead on arrival / died in the department sets the date of death.
DELETE FROM ae_attendances;
INSERT INTO ae_attendances (attendance_id, patient_id, arrival_date, attendance_category, department_type, admitted,
  provider_code, cost, cost_method, registered)
WITH passed AS (
  SELECT rowid AS _ord, * FROM _checked WHERE _reason IS NULL
),
priced AS (
  SELECT p.*, h.emergency_care AS hrg_cost, u.unit_cost AS pod_cost
  FROM passed p
  LEFT JOIN _hrg_prices h ON p.cost IS NULL AND h.hrg = p.hrg
  LEFT JOIN _ae_unit_costs u ON p.cost IS NULL AND u.department_type IS NOT DISTINCT FROM p.department_type
)
SELECT attendance_id, patient_id, arrival_date, $category_staged[list_position($ecds_categories, ecds_category)], department_type,
       CASE WHEN decided_to_admit_date IS NOT NULL OR list_contains($admitted_destinations, discharge_destination) THEN true
            WHEN list_contains($known_destinations, discharge_destination) THEN false END, provider_code,
       coalesce(cost, hrg_cost, pod_cost, 0), cost_method(cost, hrg_cost, pod_cost),
       NOT $hes_profile AND patient_id IN (SELECT patient_id FROM registrations)
FROM priced ORDER BY _ord;
DELETE FROM hes_patient_activity WHERE extract = 'ae';
INSERT INTO hes_patient_activity (extract, patient_id, activity_date, practice_code, sex, year_of_birth, lsoa_code, date_of_death)
SELECT 'ae', patient_id, arrival_date, practice_code, CASE sex_code WHEN '1' THEN 'M' WHEN '2' THEN 'F' END,
       CASE WHEN age BETWEEN 7001 AND 7007 THEN year(arrival_date)
            WHEN age BETWEEN 0 AND 130 THEN year(arrival_date) - CAST(floor(age) AS INTEGER) END,
       lsoa_code, CASE WHEN list_contains($died_statuses, discharge_status) THEN arrival_date END
FROM _checked WHERE _reason IS NULL AND $hes_profile ORDER BY rowid;
