-- ingest/insert_op: replaces the staged outpatient appointments with the rows that passed.
-- registered: against the registrations loaded before (plan order); ingest/registered_flags fixes it
-- if registrations change later.
DELETE FROM op_appointments;
INSERT INTO op_appointments (appointment_id, patient_id, appointment_date, attended, did_not_attend, is_first, specialty, provider_code, cost, registered)
SELECT appointment_id, patient_id, appointment_date, attended IN ('5', '6'), attended = '3',
       first_attendance IN ('1', '3'), specialty, provider_code, coalesce(cost, 0),
       patient_id IN (SELECT patient_id FROM registrations)
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
