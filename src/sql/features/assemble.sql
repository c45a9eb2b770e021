-- Features, step 8: one row per registered patient with every feature (zeros where no activity);
-- column names are the contract read by the model, tiers and registers.
CREATE OR REPLACE TEMP TABLE _features_build AS
WITH joined AS (
  SELECT p.*, a.* EXCLUDE (patient_id), e.* EXCLUDE (patient_id), o.* EXCLUDE (patient_id),
    s.* EXCLUDE (patient_id), c.* EXCLUDE (patient_id)
  FROM _f_pop p
  LEFT JOIN _f_apc a ON a.patient_id = p.patient_id
  LEFT JOIN _f_ae e ON e.patient_id = p.patient_id
  LEFT JOIN _f_op o ON o.patient_id = p.patient_id
  LEFT JOIN _f_sc s ON s.patient_id = p.patient_id
  LEFT JOIN _f_cond c ON c.patient_id = p.patient_id
)
SELECT
  patient_id,
  practice_code,
  $as_of::DATE AS as_of,
  age,
  age_band,
  sex,
  imd_decile,
  coalesce(emergency_90d, 0)::INTEGER AS emergency_90d,
  coalesce(emergency_180d, 0)::INTEGER AS emergency_180d,
  coalesce(emergency_365d, 0)::INTEGER AS emergency_365d,
  coalesce(emergency_3y, 0)::INTEGER AS emergency_3y,
  coalesce(elective_365d, 0)::INTEGER AS elective_365d,
  coalesce(day_case_365d, 0)::INTEGER AS day_case_365d,
  coalesce(ne_bed_days_365d, 0)::INTEGER AS ne_bed_days_365d,
  coalesce(ae_365d, 0)::INTEGER AS ae_365d,
  coalesce(ae_3y, 0)::INTEGER AS ae_3y,
  coalesce(op_attended_365d, 0)::INTEGER AS op_attended_365d,
  coalesce(op_attended_3y, 0)::INTEGER AS op_attended_3y,
  coalesce(op_dna_365d, 0)::INTEGER AS op_dna_365d,
  coalesce(specialties_365d, 0)::INTEGER AS specialties_365d,
  coalesce(apc_cost_365d, 0)::DOUBLE AS apc_cost_365d,
  coalesce(ae_cost_365d, 0)::DOUBLE AS ae_cost_365d,
  coalesce(op_cost_365d, 0)::DOUBLE AS op_cost_365d,
  coalesce(social_care_cost_365d, 0)::DOUBLE AS social_care_cost_365d,
  (coalesce(apc_cost_365d, 0) + coalesce(ae_cost_365d, 0) + coalesce(op_cost_365d, 0)
    + coalesce(social_care_cost_365d, 0))::DOUBLE AS cost_365d,
  coalesce(social_care_active, false) AS social_care_active,
  last_emergency_date,
  coalesce(cci_mi, false) AS cci_mi,
  coalesce(cci_chf, false) AS cci_chf,
  coalesce(cci_pvd, false) AS cci_pvd,
  coalesce(cci_cevd, false) AS cci_cevd,
  coalesce(cci_dementia, false) AS cci_dementia,
  coalesce(cci_cpd, false) AS cci_cpd,
  coalesce(cci_rheumd, false) AS cci_rheumd,
  coalesce(cci_pud, false) AS cci_pud,
  coalesce(cci_mld, false) AS cci_mld,
  coalesce(cci_diab, false) AS cci_diab,
  coalesce(cci_diabwc, false) AS cci_diabwc,
  coalesce(cci_hp, false) AS cci_hp,
  coalesce(cci_rend, false) AS cci_rend,
  coalesce(cci_canc, false) AS cci_canc,
  coalesce(cci_msld, false) AS cci_msld,
  coalesce(cci_metacanc, false) AS cci_metacanc,
  coalesce(cci_aids, false) AS cci_aids,
  (1 * coalesce(cci_mi, false)::INTEGER + 1 * coalesce(cci_chf, false)::INTEGER + 1 * coalesce(cci_pvd, false)::INTEGER + 1 * coalesce(cci_cevd, false)::INTEGER + 1 * coalesce(cci_dementia, false)::INTEGER + 1 * coalesce(cci_cpd, false)::INTEGER + 1 * coalesce(cci_rheumd, false)::INTEGER + 1 * coalesce(cci_pud, false)::INTEGER + 1 * coalesce(cci_mld, false)::INTEGER + 1 * coalesce(cci_diab, false)::INTEGER +
    2 * coalesce(cci_diabwc, false)::INTEGER + 2 * coalesce(cci_hp, false)::INTEGER + 2 * coalesce(cci_rend, false)::INTEGER + 2 * coalesce(cci_canc, false)::INTEGER +
    3 * coalesce(cci_msld, false)::INTEGER + 6 * coalesce(cci_metacanc, false)::INTEGER + 6 * coalesce(cci_aids, false)::INTEGER)::INTEGER AS charlson_index,
  coalesce(parr_diabetes, false) AS parr_diabetes,
  coalesce(parr_copd, false) AS parr_copd,
  coalesce(parr_heart_failure, false) AS parr_heart_failure,
  coalesce(parr_ihd, false) AS parr_ihd,
  coalesce(parr_cerebrovascular, false) AS parr_cerebrovascular,
  coalesce(parr_renal_failure, false) AS parr_renal_failure,
  coalesce(parr_pvd, false) AS parr_pvd,
  coalesce(parr_connective_tissue, false) AS parr_connective_tissue,
  coalesce(parr_alcohol, false) AS parr_alcohol,
  coalesce(parr_sickle_cell, false) AS parr_sickle_cell,
  coalesce(list_contains(ltc_codes, 'af'), false) AS ltc_af,
  coalesce(list_contains(ltc_codes, 'asthma'), false) AS ltc_asthma,
  coalesce(list_contains(ltc_codes, 'cancer'), false) AS ltc_cancer,
  coalesce(list_contains(ltc_codes, 'chd'), false) AS ltc_chd,
  coalesce(list_contains(ltc_codes, 'ckd'), false) AS ltc_ckd,
  coalesce(list_contains(ltc_codes, 'copd'), false) AS ltc_copd,
  coalesce(list_contains(ltc_codes, 'dementia'), false) AS ltc_dementia,
  coalesce(list_contains(ltc_codes, 'depression'), false) AS ltc_depression,
  coalesce(list_contains(ltc_codes, 'diabetes'), false) AS ltc_diabetes,
  coalesce(list_contains(ltc_codes, 'heart_failure'), false) AS ltc_heart_failure,
  coalesce(list_contains(ltc_codes, 'hypertension'), false) AS ltc_hypertension,
  coalesce(list_contains(ltc_codes, 'smi'), false) AS ltc_smi,
  coalesce(list_contains(ltc_codes, 'stroke'), false) AS ltc_stroke,
  coalesce(list_contains(ltc_codes, 'alcohol'), false) AS ltc_alcohol,
  coalesce(list_contains(ltc_codes, 'chronic_lung'), false) AS ltc_chronic_lung,
  coalesce(list_contains(ltc_codes, 'hiv'), false) AS ltc_hiv,
  coalesce(list_contains(ltc_codes, 'liver'), false) AS ltc_liver,
  coalesce(list_contains(ltc_codes, 'paralysis'), false) AS ltc_paralysis,
  coalesce(list_contains(ltc_codes, 'pvd'), false) AS ltc_pvd,
  coalesce(list_contains(ltc_codes, 'rheumatic'), false) AS ltc_rheumatic,
  coalesce(list_contains(ltc_codes, 'sickle_cell'), false) AS ltc_sickle_cell,
  coalesce(len(ltc_codes), 0)::INTEGER AS condition_count,
  coalesce(condition_names, []::VARCHAR[]) AS condition_names
FROM joined
ORDER BY patient_id;

DROP TABLE IF EXISTS _f_pop;
DROP TABLE IF EXISTS _f_apc;
DROP TABLE IF EXISTS _f_ae;
DROP TABLE IF EXISTS _f_op;
DROP TABLE IF EXISTS _f_sc;
DROP TABLE IF EXISTS _f_gp;
DROP TABLE IF EXISTS _f_cond;
