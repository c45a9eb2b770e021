-- outcome_unattributed: activity whose patient was not registered (and alive) on the activity date,
-- so it is in no group; reported in the stage summary and the log.
WITH u AS (SELECT metric, value FROM outcome_practice_month WHERE practice_code IS NULL AND metric <> 'total_cost')
SELECT metric, sum(value) AS value FROM u GROUP BY metric ORDER BY metric;
