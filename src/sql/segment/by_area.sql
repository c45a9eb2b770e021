-- segment/by_area: the segmentation table per practice and per network (level = 'practice' |
-- 'network'); every area x tier listed; shares are within the area. Counts are raw here:
-- the stage applies disclosure control to what is published beyond a practice.
WITH tier_list(tier, tier_order) AS (
  VALUES ('complex', 1), ('less_complex', 2), ('mainly_healthy', 3)
),
people AS (
  SELECT
    t.tier,
    t.practice_code,
    coalesce(p.network_code, 'UNKNOWN') AS network_code,
    coalesce(f.cost_365d, 0) AS cost
  FROM tiers t
  JOIN patient_features f USING (patient_id)
  LEFT JOIN practices p ON p.practice_code = t.practice_code
),
areas AS (
  -- practices and networks from the practices table, plus any seen only among the patients
  SELECT 'practice' AS level, practice_code AS area_code, coalesce(max(practice_name), '') AS area_name,
         max(network_code) AS network_code
  FROM (
    SELECT practice_code, practice_name, network_code FROM practices
    UNION ALL
    SELECT DISTINCT practice_code, NULL, network_code FROM people
  )
  GROUP BY practice_code
  UNION ALL
  SELECT 'network', network_code, coalesce(max(network_name), ''), network_code
  FROM (
    SELECT network_code, network_name FROM practices
    UNION ALL
    SELECT DISTINCT network_code, NULL FROM people
  )
  GROUP BY network_code
),
per_cell AS (
  SELECT 'practice' AS level, practice_code AS area_code, tier, count(*) AS people, fsum(cost) AS cost
  FROM people GROUP BY ALL
  UNION ALL
  SELECT 'network', network_code, tier, count(*), fsum(cost)
  FROM people GROUP BY ALL
),
grid AS (
  SELECT a.level, a.area_code, a.area_name, a.network_code, l.tier, l.tier_order,
         coalesce(c.people, 0) AS people, coalesce(c.cost, 0) AS cost
  FROM areas a
  CROSS JOIN tier_list l
  LEFT JOIN per_cell c ON c.level = a.level AND c.area_code = a.area_code AND c.tier = l.tier
)
SELECT
  level,
  area_code,
  area_name,
  network_code,
  tier,
  people,
  round(100.0 * people / nullif(sum(people) OVER (PARTITION BY level, area_code), 0), 1) AS pct_population,
  round(cost, 2) AS cost,
  round(100.0 * cost / nullif(fsum(cost) OVER (PARTITION BY level, area_code), 0), 1) AS pct_cost
FROM grid
ORDER BY level, area_code, tier_order
