-- ingest/insert_gp_conditions: replaces the staged GP condition registers with the rows that passed.
-- Runs inside the load transaction, so a failed load leaves the previous rows.
DELETE FROM gp_conditions;
INSERT INTO gp_conditions (patient_id, condition, date_recorded)
SELECT patient_id, condition, date_recorded FROM _checked WHERE _reason IS NULL ORDER BY rowid;
