-- ingest/insert_op: replaces the staged outpatient appointments with the rows that passed; an attended
-- appointment without a cost is costed (ingest/costing: HRG, else first or follow-up by specialty, else
-- overall); one not attended without a cost costs 0 (method not_attended). registered: against the
-- registrations loaded before (plan order); ingest/registered_flags fixes it if registrations change later.
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
  LEFT JOIN _hrg_prices h ON p.cost IS NULL AND p.was_attended AND h.hrg = p.hrg
  LEFT JOIN _unit_costs us ON p.cost IS NULL AND p.was_attended AND us.pod = p.pod AND us.specialty = p.specialty
  LEFT JOIN _unit_costs u ON p.cost IS NULL AND p.was_attended AND u.pod = p.pod AND u.specialty IS NULL
)
SELECT appointment_id, patient_id, appointment_date, was_attended, attended = '3', first_att, specialty, provider_code,
       coalesce(cost, hrg_cost, pod_cost, 0),
       CASE WHEN cost IS NULL AND NOT was_attended THEN 'not_attended' ELSE cost_method(cost, hrg_cost, pod_cost) END,
       patient_id IN (SELECT patient_id FROM registrations)
FROM priced ORDER BY _ord;
