-- segment/segmentation: Symphony's table: people and previous-year cost per tier, with shares of
-- the population and of cost (0-100); every tier listed even when empty.
WITH tier_list(tier, tier_order) AS (
  VALUES ('complex', 1), ('less_complex', 2), ('mainly_healthy', 3)
),
per_tier AS (
  SELECT t.tier, count(*) AS people, fsum(coalesce(f.cost_365d, 0)) AS cost
  FROM tiers t
  JOIN patient_features f USING (patient_id)
  GROUP BY t.tier
),
totals AS (
  SELECT sum(people) AS people, fsum(cost) AS cost FROM per_tier
)
SELECT
  l.tier,
  coalesce(p.people, 0) AS people,
  round(100.0 * coalesce(p.people, 0) / nullif(tot.people, 0), 1) AS pct_population,
  round(coalesce(p.cost, 0), 2) AS cost,
  round(100.0 * coalesce(p.cost, 0) / nullif(tot.cost, 0), 1) AS pct_cost
FROM tier_list l
LEFT JOIN per_tier p USING (tier)
CROSS JOIN totals tot
ORDER BY l.tier_order
