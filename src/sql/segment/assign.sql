-- segment/assign: ranks every patient by complexity (long-term conditions, then last year's cost,
-- then patient_id so ties are stable) and cuts tiers by share ('rank') or condition count ('rule').
CREATE OR REPLACE TEMP TABLE _segment_work AS
WITH ranked AS (
  SELECT
    patient_id,
    practice_code,
    coalesce(condition_count, 0) AS condition_count,
    coalesce(cost_365d, 0) AS cost,
    row_number() OVER (ORDER BY coalesce(condition_count, 0) DESC, coalesce(cost_365d, 0) DESC, patient_id) AS complexity_rank
  FROM _segment_input
),
population AS (
  SELECT count(*) AS n FROM _segment_input
),
shares AS (
  -- Shares scaled to millionths of a percent so the rounding below is exact integer arithmetic.
  SELECT
    CAST(round($complex_pct * 1000000) AS BIGINT) AS complex_micro,
    CAST(round($less_complex_pct * 1000000) AS BIGINT) AS less_micro
),
quotas AS (
  -- round half up of N x pct / 100, i.e. floor((N x micro + 0.5e8) / 1e8)
  SELECT
    (p.n * s.complex_micro + 50000000) // 100000000 AS n_complex,
    least((p.n * s.less_micro + 50000000) // 100000000,
          p.n - (p.n * s.complex_micro + 50000000) // 100000000) AS n_less
  FROM population p, shares s
)
SELECT
  r.patient_id,
  r.practice_code,
  CASE
    WHEN $method = 'rank' THEN
      CASE
        WHEN r.complexity_rank <= q.n_complex THEN 'complex'
        WHEN r.complexity_rank <= q.n_complex + q.n_less THEN 'less_complex'
        ELSE 'mainly_healthy'
      END
    WHEN r.condition_count >= $rule_complex_min THEN 'complex'
    WHEN r.condition_count >= $rule_less_complex_min THEN 'less_complex'
    ELSE 'mainly_healthy'
  END AS tier,
  CAST(r.complexity_rank AS INTEGER) AS complexity_rank,
  r.condition_count,
  r.cost
FROM ranked r, quotas q;
