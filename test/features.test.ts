import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildFeatures } from '../src/features/build.js';
import { packageRoot } from '../src/paths.js';
import { Warehouse } from '../src/warehouse/warehouse.js';

const AS_OF = '2024-04-01';

async function fixtureDb(): Promise<Warehouse> {
  const db = await Warehouse.open(':memory:');
  await db.runScript(fs.readFileSync(path.join(packageRoot, 'schemas', 'staged.sql'), 'utf8'));
  await db.runScript(fs.readFileSync(path.join(packageRoot, 'fixtures', 'risk', 'staged.sql'), 'utf8'));
  return db;
}

describe('buildFeatures on the hand-made fixture', () => {
  let db: Warehouse;
  beforeEach(async () => { db = await fixtureDb(); });
  afterEach(() => db.close());

  it('keeps exactly the registered and alive population, one row each, with the winning practice', async () => {
    expect(await buildFeatures(db, AS_OF)).toBe(5);
    const rows = await db.all('SELECT patient_id, practice_code, age, age_band, sex, imd_decile FROM patient_features ORDER BY patient_id');
    expect(rows).toEqual([
      { patient_id: 'p1', practice_code: 'A12345', age: 84, age_band: '75-84', sex: 'F', imd_decile: 2 },
      { patient_id: 'p2', practice_code: 'B67890', age: 14, age_band: '0-17', sex: 'M', imd_decile: null },
      { patient_id: 'p5', practice_code: 'B67890', age: 94, age_band: '85+', sex: 'U', imd_decile: 10 },
      { patient_id: 'p6', practice_code: 'A12345', age: 45, age_band: '45-64', sex: 'F', imd_decile: 3 },
      { patient_id: 'p7', practice_code: 'A12345', age: 44, age_band: '18-44', sex: 'M', imd_decile: 7 },
    ]);
  });

  it('counts activity in the right windows for the busy patient (worked by hand)', async () => {
    await buildFeatures(db, AS_OF);
    const p1 = await db.one('SELECT * EXCLUDE (condition_names) FROM patient_features WHERE patient_id = $id', { id: 'p1' });
    expect(p1).toMatchObject({
      as_of: '2024-04-01',
      // s1 (12 days before) and s7 (2 days before); s2 is 183 days before; s3 812; s8 1,097; s9 on the date
      emergency_90d: 2, emergency_180d: 2, emergency_365d: 3, emergency_3y: 4,
      elective_365d: 1, day_case_365d: 1,
      // s1 5 + s2 2 + s6 (ADMIMETH 81) 3 + s7 truncated at the as-of date 2 = 12
      ne_bed_days_365d: 12,
      // a2 (2023-04-01) is 366 days before: in the 3-year window only
      ae_365d: 2, ae_3y: 3, op_attended_365d: 3, op_attended_3y: 3, op_dna_365d: 1, specialties_365d: 2,
      apc_cost_365d: 11500, ae_cost_365d: 350, op_cost_365d: 320,
      // package 30 days × £10 + residential 10 days (2023-04-02..11) × £100
      social_care_cost_365d: 1300, social_care_active: true,
      cost_365d: 13470,
      last_emergency_date: '2024-03-30',
      cci_mi: true, cci_chf: true, cci_cpd: true, cci_diab: true, cci_diabwc: false, cci_rend: true,
      cci_canc: false, cci_metacanc: true, cci_pud: false, cci_hp: false,
      // 1 + 1 + 1 + 1 + 2 + 6
      charlson_index: 12,
      parr_heart_failure: true, parr_diabetes: true, parr_copd: true, parr_ihd: true, parr_renal_failure: true,
      parr_alcohol: false,
      ltc_af: true, ltc_cancer: true, ltc_chd: true, ltc_ckd: true, ltc_copd: true, ltc_diabetes: true,
      ltc_heart_failure: true, ltc_hypertension: false, ltc_paralysis: false,
      condition_count: 7,
    });
    const { condition_names } = await db.one<{ condition_names: string[] }>(
      "SELECT condition_names FROM patient_features WHERE patient_id = 'p1'");
    expect(condition_names).toEqual(['COPD', 'atrial fibrillation', 'cancer', 'chronic kidney disease',
      'coronary heart disease', 'diabetes', 'heart failure']);
  });

  it('gives zeros, not nulls, to patients without activity, and reads GP registers', async () => {
    await buildFeatures(db, AS_OF);
    const rows = await db.all(`SELECT patient_id, emergency_365d, ne_bed_days_365d, cost_365d, ae_365d, charlson_index,
      condition_count, condition_names, last_emergency_date, social_care_active FROM patient_features
      WHERE patient_id IN ('p2', 'p5', 'p6') ORDER BY patient_id`);
    expect(rows).toEqual([
      { patient_id: 'p2', emergency_365d: 0, ne_bed_days_365d: 0, cost_365d: 0, ae_365d: 0, charlson_index: 0,
        condition_count: 0, condition_names: [], last_emergency_date: null, social_care_active: false },
      { patient_id: 'p5', emergency_365d: 0, ne_bed_days_365d: 0, cost_365d: 0, ae_365d: 0, charlson_index: 0,
        condition_count: 1, condition_names: ['dementia'], last_emergency_date: null, social_care_active: false },
      { patient_id: 'p6', emergency_365d: 0, ne_bed_days_365d: 0, cost_365d: 120, ae_365d: 1, charlson_index: 0,
        condition_count: 0, condition_names: [], last_emergency_date: null, social_care_active: false },
    ]);
  });

  it('applies the Quan hierarchy: complicated diabetes and severe liver disease replace the milder forms', async () => {
    await db.run(`INSERT INTO spells VALUES
      ('h1', 'p7', DATE '2020-01-01', DATE '2020-01-02', '11', '1', 'E112', ['E112', 'E119', 'K730', 'K721'], 'RX1', 0, 1, false, true, false, true, 'given')`);
    await buildFeatures(db, AS_OF);
    const p7 = await db.one(`SELECT cci_diab, cci_diabwc, cci_mld, cci_msld, charlson_index, condition_names
      FROM patient_features WHERE patient_id = 'p7'`);
    expect(p7).toEqual({ cci_diab: false, cci_diabwc: true, cci_mld: false, cci_msld: true, charlson_index: 5,
      condition_names: ['chronic liver disease', 'diabetes'] });
  });
});

describe('no leakage', () => {
  it('activity on or after the as-of date never changes any feature', async () => {
    const db = await fixtureDb();
    try {
      await buildFeatures(db, AS_OF, 'before_rows');
      // Everything dated on/after the as-of date, for every patient, in every staged table.
      await db.run(`INSERT INTO spells
        SELECT 'x' || patient_id || d::VARCHAR, patient_id, d, d + 3, '21', '1', 'I500', ['I500', 'C787', 'J441'], 'RX1',
               5000, 3, true, false, false, true, 'given'
        FROM (SELECT DISTINCT patient_id FROM registrations), (SELECT unnest([DATE '2024-04-01', DATE '2024-06-30']) AS d)`);
      await db.run(`INSERT INTO ae_attendances
        SELECT 'x' || patient_id, patient_id, DATE '2024-04-01', '1', 'RX1', 300, true, NULL, NULL, 'given' FROM (SELECT DISTINCT patient_id FROM registrations)`);
      await db.run(`INSERT INTO op_appointments
        SELECT 'x' || patient_id, patient_id, DATE '2024-04-01', true, false, true, '999', 'RX1', 300, true, 'given' FROM (SELECT DISTINCT patient_id FROM registrations)`);
      await db.run(`INSERT INTO gp_conditions
        SELECT patient_id, 'stroke', DATE '2024-04-01' FROM (SELECT DISTINCT patient_id FROM registrations)`);
      await db.run(`INSERT INTO social_care
        SELECT patient_id, 'residential', DATE '2024-04-01', NULL, 900 FROM (SELECT DISTINCT patient_id FROM registrations)`);
      await buildFeatures(db, AS_OF, 'after_rows');
      const cols = await db.all<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'before_rows' ORDER BY ordinal_position");
      expect(cols.length).toBeGreaterThan(60);
      const diff = await db.one<{ n: number }>(`SELECT count(*) AS n FROM (
        (SELECT * FROM before_rows EXCEPT ALL SELECT * FROM after_rows)
        UNION ALL (SELECT * FROM after_rows EXCEPT ALL SELECT * FROM before_rows))`);
      expect(diff.n).toBe(0);
      const n = await db.one<{ n: number }>('SELECT count(*) AS n FROM after_rows');
      expect(n.n).toBe(5);
    } finally {
      db.close();
    }
  });
});
