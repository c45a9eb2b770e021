-- ingest/insert_ae: replaces the staged A&E attendances with the rows that passed.
-- registered is provisional here; ingest/registered_flags recomputes it after every change.
DELETE FROM ae_attendances;
INSERT INTO ae_attendances (attendance_id, patient_id, arrival_date, attendance_category, provider_code, cost, registered)
SELECT attendance_id, patient_id, arrival_date, attendance_category, provider_code, coalesce(cost, 0), false
FROM _checked WHERE _reason IS NULL ORDER BY _ord;
