-- registers/tier_rows: every practice's complex and less-complex caseloads rendered in one pass (macros:
-- registers/cells), one row per practice: the CSV lines and the xlsx sheet rows (row 1, the header, is written by
-- the caller), ordered by tier, then complexity (complexity_rank restarts at 1 in each practice).
WITH tier_order(tier, tier_level) AS (
  VALUES ('complex', 1), ('less_complex', 2)
),
caseload AS (
  SELECT
    l.practice_code,
    l.tier,
    CAST(row_number() OVER (PARTITION BY l.practice_code ORDER BY o.tier_level, l.complexity_rank) AS INTEGER) AS complexity_rank,
    l.patient_id,
    l.age_band,
    l.sex,
    l.condition_count,
    l.conditions,
    l.risk_score,
    l.band AS risk_band,
    l.cost_12m,
    l.emergency_admissions_12m,
    l.bed_days_12m
  FROM _register_list l
  JOIN tier_order o ON o.tier = l.tier
),
caseload_rows AS (
  -- r: the xlsx row (row 1 is the header)
  SELECT *, complexity_rank + 1 AS r FROM caseload
)
SELECT
  practice_code,
  count(*) AS row_count,
  encode(string_agg(concat_ws(',',
    csv_text(tier), csv_number(complexity_rank), csv_text(patient_id), csv_text(age_band), csv_text(sex),
    csv_number(condition_count), csv_text(conditions), csv_text(printf('%.1f', risk_score)), csv_text(risk_band),
    csv_number(cost_12m), csv_number(emergency_admissions_12m), csv_number(bed_days_12m)
  ) || chr(10), '' ORDER BY r)) AS csv,
  encode(string_agg(concat('<row r="', r, '">',
    xlsx_text('A' || r, tier, ''), xlsx_number('B' || r, complexity_rank, ''), xlsx_text('C' || r, patient_id, ''),
    xlsx_text('D' || r, age_band, ''), xlsx_text('E' || r, sex, ''), xlsx_number('F' || r, condition_count, ''),
    xlsx_text('G' || r, conditions, ''), xlsx_number('H' || r, CAST(printf('%.1f', risk_score) AS DOUBLE), ' s="2"'),
    xlsx_text('I' || r, risk_band, ''), xlsx_number('J' || r, cost_12m, ' s="3"'),
    xlsx_number('K' || r, emergency_admissions_12m, ''), xlsx_number('L' || r, bed_days_12m, ''), '</row>'), '' ORDER BY r)) AS sheet_rows
FROM caseload_rows
GROUP BY practice_code
ORDER BY practice_code
