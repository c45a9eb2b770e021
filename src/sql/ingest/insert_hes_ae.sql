-- ingest/insert_hes_ae: replaces the staged A&E attendances (HES has no costs: 0) and the A&E part
-- of hes_patient_activity.
DELETE FROM ae_attendances;
INSERT INTO ae_attendances (attendance_id, patient_id, arrival_date, attendance_category, provider_code, cost, registered)
SELECT attendance_id, patient_id, arrival_date, attendance_category, provider_code, 0, false
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
DELETE FROM hes_patient_activity WHERE extract = 'ae';
INSERT INTO hes_patient_activity (extract, patient_id, activity_date, practice_code, sex, year_of_birth, lsoa_code, date_of_death)
SELECT 'ae', patient_id, arrival_date, practice_code, CASE sex_code WHEN '1' THEN 'M' WHEN '2' THEN 'F' END,
       CASE WHEN age BETWEEN 7001 AND 7007 THEN year(arrival_date)
            WHEN age BETWEEN 0 AND 130 THEN year(arrival_date) - CAST(floor(age) AS INTEGER) END,
       lsoa_code, NULL
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
