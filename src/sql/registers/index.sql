-- registers/index: one row per practice (the practices table plus any seen only in risk_scores)
-- with list size, register size, band counts, virtual-ward candidates on the register and tiers.
WITH all_practices AS (
  SELECT practice_code, coalesce(max(practice_name), '') AS practice_name
  FROM (
    SELECT practice_code, practice_name FROM practices
    UNION ALL
    SELECT DISTINCT practice_code, NULL FROM _register_list
  )
  GROUP BY practice_code
)
SELECT
  a.practice_code,
  a.practice_name,
  count(l.patient_id) AS list_size,
  count(l.band) AS register_size,
  count(*) FILTER (WHERE l.band = 'very high') AS very_high,
  count(*) FILTER (WHERE l.band = 'high') AS high,
  count(*) FILTER (WHERE l.band = 'moderate') AS moderate,
  count(*) FILTER (WHERE l.band IS NOT NULL AND l.virtual_ward) AS virtual_ward_candidates,
  count(*) FILTER (WHERE l.tier = 'complex') AS complex,
  count(*) FILTER (WHERE l.tier = 'less_complex') AS less_complex
FROM all_practices a
LEFT JOIN _register_list l ON l.practice_code = a.practice_code
GROUP BY a.practice_code, a.practice_name
ORDER BY a.practice_code
