-- registers/rows: every practice's risk register rendered in one pass (macros: registers/cells), one row per
-- practice: the CSV lines and the xlsx sheet rows (row 1, the header, is written by the caller), in register order
-- (the current register by rank, with its change since the last run, then those who left it), and how many left.
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
),
register_rows AS (
  -- r: the xlsx row (row 1 is the header)
  SELECT *, row_number() OVER (PARTITION BY practice_code ORDER BY section, rank, band_level, patient_id) + 1 AS r
  FROM (SELECT * FROM current_rows UNION ALL BY NAME SELECT * FROM left_rows)
)
SELECT
  practice_code,
  count(*) AS row_count,
  count(*) FILTER (WHERE change = 'left register') AS left_register,
  encode(string_agg(concat_ws(',',
    csv_number(rank), csv_text(patient_id), csv_text(age_band), csv_text(sex), csv_text(printf('%.1f', risk_score)),
    csv_text(risk_band), csv_text(virtual_ward_candidate), csv_text(tier), csv_number(condition_count), csv_text(conditions),
    csv_number(emergency_admissions_12m), csv_number(bed_days_12m), csv_text(CAST(last_emergency_admission AS VARCHAR)),
    csv_number(cost_12m), csv_text(reason_1), csv_text(reason_2), csv_text(reason_3), csv_text(change)
  ) || chr(10), '' ORDER BY r)) AS csv,
  encode(string_agg(concat('<row r="', r, '">',
    xlsx_number('A' || r, rank, ''), xlsx_text('B' || r, patient_id, ''), xlsx_text('C' || r, age_band, ''),
    xlsx_text('D' || r, sex, ''), xlsx_number('E' || r, CAST(printf('%.1f', risk_score) AS DOUBLE), ' s="2"'),
    xlsx_text('F' || r, risk_band, ''), xlsx_text('G' || r, virtual_ward_candidate, ''), xlsx_text('H' || r, tier, ''),
    xlsx_number('I' || r, condition_count, ''), xlsx_text('J' || r, conditions, ''),
    xlsx_number('K' || r, emergency_admissions_12m, ''), xlsx_number('L' || r, bed_days_12m, ''),
    xlsx_text('M' || r, CAST(last_emergency_admission AS VARCHAR), ''), xlsx_number('N' || r, cost_12m, ' s="3"'),
    xlsx_text('O' || r, reason_1, ''), xlsx_text('P' || r, reason_2, ''), xlsx_text('Q' || r, reason_3, ''),
    xlsx_text('R' || r, change, ''), '</row>'), '' ORDER BY r)) AS sheet_rows
FROM register_rows
GROUP BY practice_code
ORDER BY practice_code
