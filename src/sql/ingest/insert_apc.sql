-- ingest/insert_apc: replaces the staged spells with the native APC rows that passed.
-- registered: against the registrations loaded before (plan order); ingest/registered_flags fixes it
-- if registrations change later.
DELETE FROM spells;
INSERT INTO spells (spell_id, patient_id, admission_date, discharge_date, admission_method, patient_classification,
  primary_diagnosis, diagnoses, provider_code, cost, los_days, is_emergency, is_elective, is_day_case, registered)
SELECT spell_id, patient_id, admission_date, discharge_date, admission_method, patient_classification,
       primary_diagnosis, list_concat([primary_diagnosis], secondary), provider_code,
       coalesce(cost, 0), discharge_date - admission_date,
       list_contains(['21','22','23','24','25','2A','2B','2C','2D','28'], admission_method),
       admission_method IN ('11', '12', '13'), patient_classification = '2',
       patient_id IN (SELECT patient_id FROM registrations)
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
