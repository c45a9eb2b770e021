-- ingest/insert_ae: replaces the staged A&E attendances with the rows that passed.
-- registered: against the registrations loaded before (plan order); ingest/registered_flags fixes it
-- if registrations change later.
DELETE FROM ae_attendances;
INSERT INTO ae_attendances (attendance_id, patient_id, arrival_date, attendance_category, provider_code, cost, registered)
SELECT attendance_id, patient_id, arrival_date, attendance_category, provider_code, coalesce(cost, 0),
       patient_id IN (SELECT patient_id FROM registrations)
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
