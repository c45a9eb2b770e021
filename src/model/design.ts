import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { schemasDir } from '../paths.js';
import { literal } from '../warehouse/warehouse.js';

/**
 * The design matrix: each model term is a fixed SQL expression over a patient_features row.
 * Counts are capped and log1p-transformed (heavy tails, diminishing returns); age band and deprivation
 * quintile are dummies against a reference level; conditions are 0/1 flags. Reference values (all 0)
 * describe a 18–44-year-old man in the least deprived quintile with no activity and no conditions:
 * a reason is a term group whose coefficient × (x − reference) is positive.
 */
export interface Term {
  name: string;
  /** SQL over patient_features columns (static text, never user input). */
  expr: string;
  /** Value for the reference patient. */
  reference: number;
  /** Reason group: terms sharing a group are summed and explained by one phrase. */
  group: string;
  description: string;
}

/** A reason group's phrase, as an SQL expression over patient_features (static text). */
export interface ReasonGroup { group: string; text: string }

const capLog = (col: string, cap: number): string => `ln(1 + least(${col}, ${cap}))::DOUBLE`;
const plural = (col: string, one: string, many: string, tail: string): string =>
  `${col}::VARCHAR || CASE WHEN ${col} = 1 THEN ${literal(one)} ELSE ${literal(many)} END || ${literal(tail)}`;

/** Labels of the merged condition vocabulary (schemas/conditions.csv + schemas/codes/ltc_extra.csv). */
export function conditionVocabulary(): { condition: string; label: string }[] {
  const read = (file: string): { condition: string; label: string }[] =>
    parse(fs.readFileSync(file, 'utf8'), { columns: true, skip_empty_lines: true }) as { condition: string; label: string }[];
  return [...read(path.join(schemasDir, 'conditions.csv')), ...read(path.join(schemasDir, 'codes', 'ltc_extra.csv'))]
    .map(({ condition, label }) => ({ condition, label }));
}

export function modelTerms(): Term[] {
  const t = (name: string, expr: string, group: string, description: string): Term => ({ name, expr, reference: 0, group, description });
  const terms: Term[] = [
    t('age_0_1', '(age <= 1)::DOUBLE', 'age', 'aged 0 or 1 (on top of band 0-17)'),
    t('age_0_17', "(age_band = '0-17')::DOUBLE", 'age', 'age band 0-17 (reference 18-44)'),
    t('age_45_64', "(age_band = '45-64')::DOUBLE", 'age', 'age band 45-64'),
    t('age_65_74', "(age_band = '65-74')::DOUBLE", 'age', 'age band 65-74'),
    t('age_75_84', "(age_band = '75-84')::DOUBLE", 'age', 'age band 75-84'),
    t('age_85_plus', "(age_band = '85+')::DOUBLE", 'age', 'age band 85+'),
    t('female', "(sex = 'F')::DOUBLE", 'sex', 'sex female (reference male or unknown)'),
    t('imd_q1', 'coalesce(imd_decile IN (1, 2), false)::DOUBLE', 'deprivation', 'IMD deciles 1-2, most deprived (reference deciles 9-10)'),
    t('imd_q2', 'coalesce(imd_decile IN (3, 4), false)::DOUBLE', 'deprivation', 'IMD deciles 3-4'),
    t('imd_q3', 'coalesce(imd_decile IN (5, 6), false)::DOUBLE', 'deprivation', 'IMD deciles 5-6'),
    t('imd_q4', 'coalesce(imd_decile IN (7, 8), false)::DOUBLE', 'deprivation', 'IMD deciles 7-8'),
    t('imd_missing', '(imd_decile IS NULL)::DOUBLE', 'deprivation', 'IMD decile not recorded'),
    t('em_90d', capLog('emergency_90d', 5), 'emergency', 'ln(1 + emergency admissions in previous 90 days, capped at 5)'),
    t('em_180d', capLog('emergency_180d', 8), 'emergency', 'ln(1 + emergency admissions in previous 180 days, capped at 8)'),
    t('em_365d', capLog('emergency_365d', 10), 'emergency', 'ln(1 + emergency admissions in previous 365 days, capped at 10)'),
    t('em_3y', capLog('emergency_3y', 20), 'emergency', 'ln(1 + emergency admissions in previous 1,095 days, capped at 20)'),
    t('elective', capLog('elective_365d', 10), 'elective', 'ln(1 + ordinary elective admissions in previous year, capped at 10)'),
    t('day_case', capLog('day_case_365d', 20), 'day_case', 'ln(1 + day-case admissions in previous year, capped at 20)'),
    t('bed_days', capLog('ne_bed_days_365d', 365), 'bed_days', 'ln(1 + non-elective bed days in previous year, capped at 365)'),
    t('ae', capLog('ae_365d', 20), 'ae', 'ln(1 + A&E attendances in previous year, capped at 20)'),
    t('ae_3y', capLog('ae_3y', 40), 'ae', 'ln(1 + A&E attendances in previous 1,095 days, capped at 40)'),
    t('op_attended', capLog('op_attended_365d', 50), 'op_attended', 'ln(1 + outpatient attendances in previous year, capped at 50)'),
    t('op_attended_3y', capLog('op_attended_3y', 100), 'op_attended', 'ln(1 + outpatient attendances in previous 1,095 days, capped at 100)'),
    t('op_dna', capLog('op_dna_365d', 10), 'op_dna', 'ln(1 + outpatient did-not-attends in previous year, capped at 10)'),
    t('specialties', capLog('specialties_365d', 10), 'specialties', 'ln(1 + distinct outpatient specialties attended in previous year, capped at 10)'),
    t('cost', 'ln(1 + least(cost_365d, 200000) / 1000)::DOUBLE', 'cost', 'ln(1 + cost in previous year in £1,000s, capped at £200k)'),
    t('social_care', 'social_care_active::DOUBLE', 'social_care', 'social care service open on the day before as-of'),
    t('conditions_3plus', '(condition_count >= 3)::DOUBLE', 'multimorbidity', '3 or more long-term conditions'),
    t('conditions_5plus', '(condition_count >= 5)::DOUBLE', 'multimorbidity', '5 or more long-term conditions'),
  ];
  for (const { condition, label } of conditionVocabulary()) {
    terms.push(t(`ltc_${condition}`, `ltc_${condition}::DOUBLE`, `ltc_${condition}`, `long-term condition: ${label}`));
  }
  return terms;
}

/** The phrase for each reason group, in words a GP understands. */
export function reasonGroups(): ReasonGroup[] {
  const groups: ReasonGroup[] = [
    { group: 'age', text: "CASE WHEN age <= 1 THEN 'aged under 2' ELSE 'aged ' || age_band END" },
    { group: 'sex', text: "'female'" },
    { group: 'deprivation', text: "CASE WHEN imd_decile IS NULL THEN 'deprivation not recorded' ELSE 'lives in a more deprived area (IMD decile ' || imd_decile::VARCHAR || ')' END" },
    {
      group: 'emergency',
      text: `CASE WHEN emergency_365d > 0 THEN ${plural('emergency_365d', ' emergency admission', ' emergency admissions', ' in the last 12 months')}
        ELSE ${plural('emergency_3y', ' emergency admission', ' emergency admissions', ' in the last 3 years')} END`,
    },
    { group: 'elective', text: plural('elective_365d', ' planned admission', ' planned admissions', ' in the last 12 months') },
    { group: 'day_case', text: plural('day_case_365d', ' day-case admission', ' day-case admissions', ' in the last 12 months') },
    { group: 'bed_days', text: plural('ne_bed_days_365d', ' day', ' days', ' in hospital after unplanned admissions in the last 12 months') },
    {
      group: 'ae',
      text: `CASE WHEN ae_365d > 0 THEN ${plural('ae_365d', ' A&E attendance', ' A&E attendances', ' in the last 12 months')}
        ELSE ${plural('ae_3y', ' A&E attendance', ' A&E attendances', ' in the last 3 years')} END`,
    },
    {
      group: 'op_attended',
      text: `CASE WHEN op_attended_365d > 0 THEN ${plural('op_attended_365d', ' outpatient appointment', ' outpatient appointments', ' in the last 12 months')}
        ELSE ${plural('op_attended_3y', ' outpatient appointment', ' outpatient appointments', ' in the last 3 years')} END`,
    },
    { group: 'op_dna', text: plural('op_dna_365d', ' missed outpatient appointment', ' missed outpatient appointments', ' in the last 12 months') },
    { group: 'specialties', text: `'seen by ' || ${plural('specialties_365d', ' hospital specialty', ' hospital specialties', ' in the last 12 months')}` },
    { group: 'cost', text: "'£' || format('{:,}', round(cost_365d)::BIGINT) || ' of hospital and social care costs in the last 12 months'" },
    { group: 'social_care', text: "'receiving social care'" },
    { group: 'multimorbidity', text: "condition_count::VARCHAR || ' long-term conditions'" },
  ];
  for (const { condition, label } of conditionVocabulary()) groups.push({ group: `ltc_${condition}`, text: literal(label) });
  return groups;
}
