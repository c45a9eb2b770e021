-- Model evaluation, PPV and sensitivity per scorer from _cut_input(scorer, y, s 0–100, tiebreak):
-- the top k% (ranked by score, ties broken by md5 of the pseudonym) and everyone at or above a score.
CREATE OR REPLACE TEMP TABLE _cut_result AS
WITH ordered AS (
  SELECT
    scorer,
    y,
    s,
    row_number() OVER (PARTITION BY scorer ORDER BY s DESC, tiebreak) AS pos
  FROM _cut_input
), totals AS (
  SELECT scorer, count(*) AS n, sum(y) AS events FROM _cut_input GROUP BY scorer
), cuts AS (
  SELECT * FROM (VALUES
    ('top_pct', 0.5), ('top_pct', 1.0), ('top_pct', 2.0), ('top_pct', 5.0), ('top_pct', 20.0),
    ('score_at_least', 50.0), ('score_at_least', 70.0), ('score_at_least', 80.0)
  ) AS c(kind, value)
), flagged AS (
  SELECT t.scorer, c.kind, c.value, t.n, t.events, o.y
  FROM totals t
  CROSS JOIN cuts c
  LEFT JOIN ordered o
    ON o.scorer = t.scorer
   AND ((c.kind = 'top_pct' AND o.pos <= ceil(t.n * c.value / 100)) OR (c.kind = 'score_at_least' AND o.s >= c.value))
)
SELECT
  scorer,
  kind,
  value,
  count(y) AS flagged,
  coalesce(sum(y), 0) AS true_positives,
  CASE WHEN count(y) > 0 THEN coalesce(sum(y), 0) / count(y) END AS ppv,
  CASE WHEN max(events) > 0 THEN coalesce(sum(y), 0) / max(events) END AS sensitivity
FROM flagged
GROUP BY scorer, kind, value
ORDER BY scorer, kind DESC, value;
