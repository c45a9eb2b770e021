-- Model evaluation, c-statistic per scorer from _auc_input(scorer, y, s): Mann-Whitney with average
-- ranks for tied scores, and the Hanley & McNeil (1982) standard error for a 95% CI.
CREATE OR REPLACE TEMP TABLE _auc_result AS
WITH ranked AS (
  SELECT
    scorer,
    y,
    rank() OVER (PARTITION BY scorer ORDER BY s) + (count(*) OVER (PARTITION BY scorer, s) - 1) / 2.0 AS r
  FROM _auc_input
  WHERE s IS NOT NULL
), sums AS (
  SELECT
    scorer,
    count(*) FILTER (WHERE y = 1)::DOUBLE AS n1,
    count(*) FILTER (WHERE y = 0)::DOUBLE AS n0,
    sum(r) FILTER (WHERE y = 1) AS r1
  FROM ranked
  GROUP BY scorer
), auc AS (
  SELECT scorer, n1, n0, CASE WHEN n1 > 0 AND n0 > 0 THEN (r1 - n1 * (n1 + 1) / 2) / (n1 * n0) END AS auc
  FROM sums
), se AS (
  SELECT
    *,
    sqrt((auc * (1 - auc) + (n1 - 1) * (auc / (2 - auc) - auc * auc)
      + (n0 - 1) * (2 * auc * auc / (1 + auc) - auc * auc)) / (n1 * n0)) AS se
  FROM auc
)
SELECT
  scorer,
  n1::BIGINT AS positives,
  n0::BIGINT AS negatives,
  auc,
  se,
  greatest(auc - 1.959963984540054 * se, 0) AS ci_low,
  least(auc + 1.959963984540054 * se, 1) AS ci_high
FROM se
ORDER BY scorer;
