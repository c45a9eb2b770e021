-- ingest/insert_ae: replaces the staged A&E attendances with the rows that passed; an attendance without
-- a cost is costed (ingest/costing: HRG, else by department type). registered: against the registrations
-- loaded before (plan order); ingest/registered_flags fixes it if registrations change later.
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
SELECT attendance_id, patient_id, arrival_date, attendance_category, department_type,
       CASE admitted WHEN 'Y' THEN true WHEN 'N' THEN false END, provider_code,
       coalesce(cost, hrg_cost, pod_cost, 0), cost_method(cost, hrg_cost, pod_cost),
       patient_id IN (SELECT patient_id FROM registrations)
FROM priced ORDER BY _ord;
