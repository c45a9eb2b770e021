-- ingest/registered_flags: recomputes `registered` on every activity table after any extract
-- changed (activity for a never-registered patient is kept, flagged false, and counted).
UPDATE spells SET registered = patient_id IN (SELECT patient_id FROM registrations);
UPDATE ae_attendances SET registered = patient_id IN (SELECT patient_id FROM registrations);
UPDATE op_appointments SET registered = patient_id IN (SELECT patient_id FROM registrations);
