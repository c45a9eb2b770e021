-- ingest/insert_hes_apc: replaces the staged spells with those built from HES episodes (HES has no costs:
-- each spell is costed by ingest/costing), and the APC part of hes_patient_activity (from which
-- registrations and practices are derived).
DELETE FROM spells;
INSERT INTO spells (spell_id, patient_id, admission_date, discharge_date, admission_method, patient_classification,
  primary_diagnosis, diagnoses, provider_code, cost, cost_method, los_days, is_emergency, is_elective, is_day_case, registered)
WITH passed AS (
  SELECT *, discharge_date - admission_date AS los,
         cost_spell_pod(admission_method, patient_classification, discharge_date - admission_date) AS pod
  FROM _hes_spells WHERE _reason IS NULL
),
priced AS (
  SELECT p.*, cost_spell_hrg(p.pod, p.los, h) AS hrg_cost, cost_with_excess(u.unit_cost, p.los, u.trim_days, u.excess_day_cost) AS pod_cost
  FROM passed p
  LEFT JOIN _hrg_prices h ON h.hrg = p.hrg
  LEFT JOIN _unit_costs u ON u.pod = p.pod AND u.specialty IS NULL
)
SELECT spell_id, patient_id, admission_date, discharge_date, admission_method, patient_classification,
       primary_diagnosis, diagnoses, provider_code, coalesce(hrg_cost, pod_cost, 0), cost_method(NULL, hrg_cost, pod_cost), los,
       list_contains(['21','22','23','24','25','2A','2B','2C','2D','28'], admission_method),
       admission_method IN ('11', '12', '13'), patient_classification = '2', false
FROM priced ORDER BY first_ord;
DELETE FROM hes_patient_activity WHERE extract = 'apc';
INSERT INTO hes_patient_activity (extract, patient_id, activity_date, practice_code, sex, year_of_birth, lsoa_code, date_of_death)
SELECT 'apc', patient_id, admission_date, practice_code,
       CASE sex_code WHEN '1' THEN 'M' WHEN '2' THEN 'F' END,
       CASE WHEN regexp_full_match(mydob, '(0[1-9]|1[0-2])(18[89][0-9]|19[0-9]{2}|20[0-9]{2})') THEN CAST(substr(mydob, 3, 4) AS INTEGER)
            WHEN startage BETWEEN 7001 AND 7007 THEN year(admission_date)
            WHEN startage BETWEEN 0 AND 130 THEN year(admission_date) - CAST(floor(startage) AS INTEGER) END,
       lsoa_code,
       CASE WHEN dismeth = '4' THEN greatest(disdate, epiend) END
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
