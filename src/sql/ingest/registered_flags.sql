-- ingest/registered_flags: after registrations changed (native) or any HES extract changed (HES
-- registrations are derived from activity), corrects `registered` on every activity table
-- (activity for a never-registered patient is kept, flagged false, and counted). Only rows whose flag
-- is wrong are updated: native inserts already flag against the registrations loaded before them.
UPDATE spells SET registered = NOT registered
WHERE registered <> (patient_id IN (SELECT patient_id FROM registrations));
UPDATE ae_attendances SET registered = NOT registered
WHERE registered <> (patient_id IN (SELECT patient_id FROM registrations));
UPDATE op_appointments SET registered = NOT registered
WHERE registered <> (patient_id IN (SELECT patient_id FROM registrations));
