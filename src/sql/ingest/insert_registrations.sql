-- ingest/insert_registrations: replaces the staged registrations with the rows that passed.
-- Runs inside the load transaction, so a failed load leaves the previous rows.
DELETE FROM registrations;
INSERT INTO registrations (patient_id, practice_code, registration_start, registration_end, year_of_birth, sex, lsoa_code, imd_decile, date_of_death)
SELECT patient_id, practice_code, registration_start, registration_end, year_of_birth, sex,
       lsoa_code, imd_decile, date_of_death
FROM _checked WHERE _reason IS NULL ORDER BY rowid;
