-- Features, step 7: long-term conditions from hospital diagnoses (Charlson/Quan 2005 with its hierarchy,
-- PARR reference conditions) and GP registers, merged into one vocabulary; Charlson index.
CREATE OR REPLACE TEMP TABLE _f_cond AS
WITH codes AS (
  SELECT DISTINCT patient_id, unnest(dx_codes) AS code FROM _f_apc
), charlson_hits AS (
  SELECT c.patient_id, k.condition, k.weight, k.ltc FROM codes c JOIN _codes_charlson k ON k.prefix = left(c.code, 3)
  UNION
  SELECT c.patient_id, k.condition, k.weight, k.ltc FROM codes c JOIN _codes_charlson k ON k.prefix = left(c.code, 4)
), parr_hits AS (
  SELECT c.patient_id, k.condition, k.ltc FROM codes c JOIN _codes_parr k ON k.prefix = left(c.code, 3)
  UNION
  SELECT c.patient_id, k.condition, k.ltc FROM codes c JOIN _codes_parr k ON k.prefix = left(c.code, 4)
), charlson AS (
  SELECT
    patient_id,
    bool_or(condition = 'mi') AS cci_mi,
    bool_or(condition = 'chf') AS cci_chf,
    bool_or(condition = 'pvd') AS cci_pvd,
    bool_or(condition = 'cevd') AS cci_cevd,
    bool_or(condition = 'dementia') AS cci_dementia,
    bool_or(condition = 'cpd') AS cci_cpd,
    bool_or(condition = 'rheumd') AS cci_rheumd,
    bool_or(condition = 'pud') AS cci_pud,
    bool_or(condition = 'mld') AND NOT bool_or(condition = 'msld') AS cci_mld,       -- hierarchy
    bool_or(condition = 'diab') AND NOT bool_or(condition = 'diabwc') AS cci_diab,  -- hierarchy
    bool_or(condition = 'diabwc') AS cci_diabwc,
    bool_or(condition = 'hp') AS cci_hp,
    bool_or(condition = 'rend') AS cci_rend,
    bool_or(condition = 'canc') AND NOT bool_or(condition = 'metacanc') AS cci_canc, -- hierarchy
    bool_or(condition = 'msld') AS cci_msld,
    bool_or(condition = 'metacanc') AS cci_metacanc,
    bool_or(condition = 'aids') AS cci_aids
  FROM charlson_hits
  GROUP BY patient_id
), parr AS (
  SELECT
    patient_id,
    bool_or(condition = 'parr_diabetes') AS parr_diabetes,
    bool_or(condition = 'parr_copd') AS parr_copd,
    bool_or(condition = 'parr_heart_failure') AS parr_heart_failure,
    bool_or(condition = 'parr_ihd') AS parr_ihd,
    bool_or(condition = 'parr_cerebrovascular') AS parr_cerebrovascular,
    bool_or(condition = 'parr_renal_failure') AS parr_renal_failure,
    bool_or(condition = 'parr_pvd') AS parr_pvd,
    bool_or(condition = 'parr_connective_tissue') AS parr_connective_tissue,
    bool_or(condition = 'parr_alcohol') AS parr_alcohol,
    bool_or(condition = 'parr_sickle_cell') AS parr_sickle_cell
  FROM parr_hits
  GROUP BY patient_id
), merged AS (
  SELECT patient_id, ltc FROM charlson_hits WHERE ltc IS NOT NULL
  UNION
  SELECT patient_id, ltc FROM parr_hits WHERE ltc IS NOT NULL
  UNION
  SELECT patient_id, unnest(gp_codes) AS ltc FROM _f_gp
), ltc AS (
  SELECT
    m.patient_id,
    list_sort(list(m.ltc)) AS ltc_codes,
    list_sort(list(v.label)) AS condition_names
  FROM merged m
  JOIN _ltc_vocab v ON v.condition = m.ltc
  GROUP BY m.patient_id
), patients AS (
  SELECT patient_id FROM charlson
  UNION
  SELECT patient_id FROM parr
  UNION
  SELECT patient_id FROM ltc
)
SELECT
  p.patient_id,
  ch.* EXCLUDE (patient_id),
  pa.* EXCLUDE (patient_id),
  l.ltc_codes,
  l.condition_names
FROM patients p
LEFT JOIN charlson ch ON ch.patient_id = p.patient_id
LEFT JOIN parr pa ON pa.patient_id = p.patient_id
LEFT JOIN ltc l ON l.patient_id = p.patient_id;
