-- Features, step 7: long-term conditions (a flag each, their count and sorted labels) from the diagnoses of spells
-- admitted strictly before $as_of (Charlson/Quan 2005 with its hierarchy, PARR reference conditions) and GP registers.
CREATE OR REPLACE TEMP TABLE _f_cond AS
WITH codes AS (
  SELECT DISTINCT patient_id, unnest(diagnoses) AS code FROM spells WHERE admission_date < $as_of::DATE
), code_map AS (
  -- What each distinct code implies (a code matches on its 3- or 4-character prefix); Charlson and
  -- PARR condition names do not overlap, so one column holds both.
  SELECT DISTINCT c.code, k.condition, k.ltc
  FROM (SELECT DISTINCT code FROM codes) c
  JOIN (SELECT prefix, condition, ltc FROM _codes_charlson UNION ALL SELECT prefix, condition, ltc FROM _codes_parr) k
    ON k.prefix = left(c.code, 3) OR k.prefix = left(c.code, 4)
), hits AS (
  SELECT c.patient_id, m.condition, m.ltc FROM codes c JOIN code_map m ON m.code = c.code
), coded AS (
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
    bool_or(condition = 'aids') AS cci_aids,
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
  FROM hits
  GROUP BY patient_id
), merged AS (
  SELECT patient_id, ltc FROM hits WHERE ltc IS NOT NULL
  UNION
  SELECT patient_id, unnest(gp_codes) AS ltc FROM _f_gp
), ltc AS (
  SELECT
    m.patient_id,
    bool_or(m.ltc = 'af') AS ltc_af,
    bool_or(m.ltc = 'asthma') AS ltc_asthma,
    bool_or(m.ltc = 'cancer') AS ltc_cancer,
    bool_or(m.ltc = 'chd') AS ltc_chd,
    bool_or(m.ltc = 'ckd') AS ltc_ckd,
    bool_or(m.ltc = 'copd') AS ltc_copd,
    bool_or(m.ltc = 'dementia') AS ltc_dementia,
    bool_or(m.ltc = 'depression') AS ltc_depression,
    bool_or(m.ltc = 'diabetes') AS ltc_diabetes,
    bool_or(m.ltc = 'heart_failure') AS ltc_heart_failure,
    bool_or(m.ltc = 'hypertension') AS ltc_hypertension,
    bool_or(m.ltc = 'smi') AS ltc_smi,
    bool_or(m.ltc = 'stroke') AS ltc_stroke,
    bool_or(m.ltc = 'alcohol') AS ltc_alcohol,
    bool_or(m.ltc = 'chronic_lung') AS ltc_chronic_lung,
    bool_or(m.ltc = 'hiv') AS ltc_hiv,
    bool_or(m.ltc = 'liver') AS ltc_liver,
    bool_or(m.ltc = 'paralysis') AS ltc_paralysis,
    bool_or(m.ltc = 'pvd') AS ltc_pvd,
    bool_or(m.ltc = 'rheumatic') AS ltc_rheumatic,
    bool_or(m.ltc = 'sickle_cell') AS ltc_sickle_cell,
    count(*)::INTEGER AS condition_count,
    list_sort(list(v.label)) AS condition_names
  FROM merged m
  JOIN _ltc_vocab v ON v.condition = m.ltc
  GROUP BY m.patient_id
)
SELECT
  coalesce(c.patient_id, l.patient_id) AS patient_id,
  c.* EXCLUDE (patient_id),
  l.* EXCLUDE (patient_id)
FROM coded c
FULL JOIN ltc l ON l.patient_id = c.patient_id;
