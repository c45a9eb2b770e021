-- registers/rows: all practices' risk-register rows in one pass, ordered by practice then rank:
-- the current register with its change since the last run, then those who left it.
WITH band_order(band, band_level) AS (
  VALUES ('very high', 1), ('high', 2), ('moderate', 3)
),
on_register AS (
  SELECT * FROM _register_list WHERE band IS NOT NULL
),
current_rows AS (
  SELECT
    c.practice_code,
    0 AS section,
    c.rank,
    c.patient_id,
    c.age_band,
    c.sex,
    c.risk_score,
    c.band AS risk_band,
    CASE WHEN c.virtual_ward THEN 'yes' ELSE 'no' END AS virtual_ward_candidate,
    c.tier,
    c.condition_count,
    c.conditions,
    c.emergency_admissions_12m,
    c.bed_days_12m,
    c.last_emergency_admission,
    c.cost_12m,
    c.reason_1,
    c.reason_2,
    c.reason_3,
    CASE
      WHEN p.patient_id IS NULL THEN 'new'
      WHEN p.band = c.band THEN 'unchanged'
      WHEN bc.band_level < coalesce(bp.band_level, 99) THEN 'moved up from ' || p.band
      ELSE 'moved down from ' || p.band
    END AS change,
    bc.band_level
  FROM on_register c
  JOIN band_order bc ON bc.band = c.band
  LEFT JOIN _register_previous p ON p.practice_code = c.practice_code AND p.patient_id = c.patient_id
  LEFT JOIN band_order bp ON bp.band = p.band
),
left_rows AS (
  -- on this practice's register last run, not now (dropped below the top 20%, moved away, died):
  -- only the id and the previous band, nothing from wherever they are now
  SELECT
    p.practice_code,
    1 AS section,
    CAST(NULL AS INTEGER) AS rank,
    p.patient_id,
    NULL AS age_band,
    NULL AS sex,
    CAST(NULL AS DOUBLE) AS risk_score,
    p.band AS risk_band,
    NULL AS virtual_ward_candidate,
    NULL AS tier,
    CAST(NULL AS INTEGER) AS condition_count,
    NULL AS conditions,
    CAST(NULL AS INTEGER) AS emergency_admissions_12m,
    CAST(NULL AS INTEGER) AS bed_days_12m,
    CAST(NULL AS DATE) AS last_emergency_admission,
    CAST(NULL AS DOUBLE) AS cost_12m,
    NULL AS reason_1,
    NULL AS reason_2,
    NULL AS reason_3,
    'left register' AS change,
    coalesce(b.band_level, 99) AS band_level
  FROM _register_previous p
  LEFT JOIN band_order b ON b.band = p.band
  WHERE NOT EXISTS (
    SELECT 1 FROM on_register c WHERE c.practice_code = p.practice_code AND c.patient_id = p.patient_id
  )
)
SELECT * EXCLUDE (band_level)
FROM (SELECT * FROM current_rows UNION ALL BY NAME SELECT * FROM left_rows)
ORDER BY practice_code, section, rank, band_level, patient_id
