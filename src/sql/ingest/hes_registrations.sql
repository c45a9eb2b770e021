-- ingest/hes_registrations: HES has no registration or practice file, so derive them from activity:
-- practice = latest known GPPRAC; start = earliest activity; year of birth / sex / LSOA = latest known.
DELETE FROM registrations;
INSERT INTO registrations (patient_id, practice_code, registration_start, registration_end, year_of_birth, sex, lsoa_code, imd_decile, date_of_death)
WITH per_patient AS (
  SELECT patient_id,
         arg_max(practice_code, struct_pack(d := activity_date, e := extract, p := practice_code)) FILTER (WHERE practice_code IS NOT NULL) AS practice_code,
         min(activity_date) AS registration_start,
         arg_max(year_of_birth, struct_pack(d := activity_date, e := extract, y := year_of_birth)) FILTER (WHERE year_of_birth IS NOT NULL) AS year_of_birth,
         arg_max(sex, struct_pack(d := activity_date, e := extract, s := sex)) FILTER (WHERE sex IS NOT NULL) AS sex,
         arg_max(lsoa_code, struct_pack(d := activity_date, e := extract, l := lsoa_code)) FILTER (WHERE lsoa_code IS NOT NULL) AS lsoa_code,
         min(date_of_death) AS date_of_death
  FROM hes_patient_activity
  GROUP BY patient_id
)
SELECT patient_id, practice_code, registration_start, NULL, year_of_birth, coalesce(sex, 'U'), lsoa_code, NULL, date_of_death
FROM per_patient
WHERE practice_code IS NOT NULL AND year_of_birth IS NOT NULL
ORDER BY patient_id;
-- Practices: every derived practice, named by its code, in one 'UNKNOWN' network.
DELETE FROM practices;
INSERT INTO practices (practice_code, practice_name, network_code, network_name, wave, wave_start)
SELECT DISTINCT practice_code, practice_code, 'UNKNOWN', 'Unknown network', NULL::INTEGER, NULL::DATE
FROM registrations ORDER BY practice_code;
