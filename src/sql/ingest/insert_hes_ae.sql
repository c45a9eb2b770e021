-- ingest/insert_hes_ae: replaces the staged A&E attendances (HES has no costs: each is costed by
-- ingest/costing) and the A&E part of hes_patient_activity. AEATTENDDISP 01 = admitted to a hospital
-- bed, 10 = died in the department (sets the date of death); 99 or empty = not known.
DELETE FROM ae_attendances;
INSERT INTO ae_attendances (attendance_id, patient_id, arrival_date, attendance_category, department_type, admitted,
  provider_code, cost, cost_method, registered)
WITH passed AS (
  SELECT rowid AS _ord, * FROM _checked WHERE _reason IS NULL
),
priced AS (
  SELECT p.*, h.emergency_care AS hrg_cost, u.unit_cost AS pod_cost
  FROM passed p
  LEFT JOIN _hrg_prices h ON h.hrg = p.hrg
  LEFT JOIN _ae_unit_costs u ON u.department_type IS NOT DISTINCT FROM p.department_type
)
SELECT attendance_id, patient_id, arrival_date, attendance_category, department_type,
       CASE WHEN disposal IS NULL OR disposal = '99' THEN NULL ELSE disposal = '01' END, provider_code,
       coalesce(hrg_cost, pod_cost, 0), cost_method(NULL, hrg_cost, pod_cost), false
FROM priced ORDER BY _ord;
DELETE FROM hes_patient_activity WHERE extract = 'ae';
INSERT INTO hes_patient_activity (extract, patient_id, activity_date, practice_code, sex, year_of_birth, lsoa_code, date_of_death)
SELECT 'ae', patient_id, arrival_date, practice_code, CASE sex_code WHEN '1' THEN 'M' WHEN '2' THEN 'F' END,
       CASE WHEN age BETWEEN 7001 AND 7007 THEN year(arrival_date)
            WHEN age BETWEEN 0 AND 130 THEN year(arrival_date) - CAST(floor(age) AS INTEGER) END,
       lsoa_code, CASE WHEN disposal = '10' THEN arrival_date END
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
