-- ingest/insert_hes_op: replaces the staged outpatient appointments (HES has no costs: 0) and the
-- outpatient part of hes_patient_activity.
DELETE FROM op_appointments;
INSERT INTO op_appointments (appointment_id, patient_id, appointment_date, attended, did_not_attend, is_first, specialty, provider_code, cost, registered)
SELECT appointment_id, patient_id, appointment_date, attended IN ('5', '6'), attended = '3',
       first_attendance IN ('1', '3'), specialty, provider_code, 0, false
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
DELETE FROM hes_patient_activity WHERE extract = 'op';
INSERT INTO hes_patient_activity (extract, patient_id, activity_date, practice_code, sex, year_of_birth, lsoa_code, date_of_death)
SELECT 'op', patient_id, appointment_date, practice_code, CASE sex_code WHEN '1' THEN 'M' WHEN '2' THEN 'F' END,
       CASE WHEN age BETWEEN 7001 AND 7007 THEN year(appointment_date)
            WHEN age BETWEEN 0 AND 130 THEN year(appointment_date) - CAST(floor(age) AS INTEGER) END,
       lsoa_code, NULL
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
