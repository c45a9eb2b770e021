-- ingest/insert_apc: replaces the staged spells with the native APC rows that passed; a spell without a
-- cost is costed (ingest/costing). registered: against the registrations loaded before (plan order);
-- ingest/registered_flags fixes it if registrations change later.
DELETE FROM spells;
INSERT INTO spells (spell_id, patient_id, admission_date, discharge_date, admission_method, patient_classification,
  primary_diagnosis, diagnoses, provider_code, cost, cost_method, los_days, is_emergency, is_elective, is_day_case, registered)
WITH passed AS (
  SELECT rowid AS _ord, *, discharge_date - admission_date AS los,
         cost_spell_pod(admission_method, patient_classification, discharge_date - admission_date) AS pod
  FROM _checked WHERE _reason IS NULL
),
priced AS (
  SELECT p.*, cost_spell_hrg(p.pod, p.los, h) AS hrg_cost, cost_with_excess(u.unit_cost, p.los, u.trim_days, u.excess_day_cost) AS pod_cost
  FROM passed p
  LEFT JOIN _hrg_prices h ON p.cost IS NULL AND h.hrg = p.hrg
  LEFT JOIN _unit_costs u ON p.cost IS NULL AND u.pod = p.pod AND u.specialty IS NULL
)
SELECT spell_id, patient_id, admission_date, discharge_date, admission_method, patient_classification,
       primary_diagnosis, list_concat([primary_diagnosis], secondary), provider_code,
       coalesce(cost, hrg_cost, pod_cost, 0), cost_method(cost, hrg_cost, pod_cost), los,
       list_contains(['21','22','23','24','25','2A','2B','2C','2D','28'], admission_method),
       admission_method IN ('11', '12', '13'), patient_classification = '2',
       patient_id IN (SELECT patient_id FROM registrations)
FROM priced ORDER BY _ord;
