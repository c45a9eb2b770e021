-- registers/snapshot: replaces the register snapshot for as-of with today's registers (the
-- baseline the next run's change column compares against).
DELETE FROM register_history WHERE as_of = CAST($as_of AS DATE);

INSERT INTO register_history (as_of, practice_code, patient_id, band)
SELECT CAST($as_of AS DATE), practice_code, patient_id, band
FROM _register_list
WHERE band IS NOT NULL
ORDER BY practice_code, rank;

-- Retention: the snapshots of the newest $keep_runs as-of dates (retention.keep_runs, the runs kept on disk);
-- without it the table would grow by a register (~20% of the population) every night.
DELETE FROM register_history
WHERE as_of NOT IN (SELECT DISTINCT as_of FROM register_history ORDER BY as_of DESC LIMIT $keep_runs);
