-- ingest/insert_social_care: replaces the staged social care services with the rows that passed.
-- Runs inside the load transaction, so a failed load leaves the previous rows.
DELETE FROM social_care;
INSERT INTO social_care (patient_id, service_type, start_date, end_date, weekly_cost)
SELECT patient_id, service_type, start_date, end_date, weekly_cost FROM _checked WHERE _reason IS NULL ORDER BY rowid;
