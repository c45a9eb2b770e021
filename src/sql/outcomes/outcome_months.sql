-- outcome_months: the calendar months the outcome metrics cover, $first_month to $last_month.
-- One row per month: month (first day), next_month (first day of the following month).
CREATE OR REPLACE TABLE outcome_months AS
WITH bounds AS (
  SELECT CAST($first_month AS DATE) AS first_month, CAST($last_month AS DATE) AS last_month
)
SELECT CAST(m AS DATE) AS month, CAST(m + INTERVAL 1 MONTH AS DATE) AS next_month
FROM bounds, range(first_month, last_month + INTERVAL 1 DAY, INTERVAL 1 MONTH) AS t(m)
ORDER BY month;
