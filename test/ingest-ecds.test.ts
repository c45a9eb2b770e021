import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Warehouse } from '../src/warehouse/warehouse.js';
import { configFor, fixtures, input, load, rejectLines } from './ingest-helpers.js';

// Expected values: fixtures/ingest/ecds/EXPECTED.md, worked out by hand from the published field list.
describe('ingest: ECDS A&E (pipe-delimited, as NHS Digital delivers it)', () => {
  let db: Warehouse;
  beforeEach(async () => { db = await Warehouse.open(); });
  afterEach(() => db.close());

  const config = () => configFor(path.join(fixtures, 'ecds'), { extract_date: '2024-06-30', rejects: { max_share: 1 } },
    { profile: 'hes', layouts: { ae: 'ecds' }, files: { apc: 'hes_apc.csv', ae: 'ecds.txt' } });

  it('loads the fixture unchanged: every bad row rejected with its line and reason', async () => {
    const { summary, outDir } = await load(db, config());
    expect(input(summary, 'ae')).toEqual([22, 11, 11]);
    expect(rejectLines(outDir, 'ae')).toEqual([
      [9, 'missing_required: PSEUDO_HESID'], [10, 'missing_required: ARRIVAL_DATE'], [11, 'type_error: ARRIVAL_DATE'],
      [12, 'unknown_code: DEPARTMENT_TYPE'], [13, 'unknown_code: ATTENDANCE_CATEGORY'], [14, 'future_date: ARRIVAL_DATE'],
      [15, 'duplicate_key'], [16, 'too_few_columns'], [17, 'missing_required: DEPARTMENT_TYPE'],
      [18, 'unknown_code: STATED_GENDER'], [19, 'negative_cost']]);
    // SNOMED CT fields outside the published lists are kept (the attendance still counts) and counted.
    expect(summary.kept_unknown_codes).toEqual([
      { extract: 'ae', column: 'DISCHARGE_DESTINATION', rows: 1 }, { extract: 'ae', column: 'DISCHARGE_STATUS', rows: 1 }]);
    const rejects = fs.readFileSync(path.join(outDir, 'rejects', 'ae.csv'), 'utf8');
    expect(rejects).toContain('ecds.txt,16,too_few_columns,||1064901000000108|||2024-03-06|1048031000000100|||10:15:00|||1||||||1093851000000103|\n');
  });

  it('maps attendance category, department type, admission and cost as the README says', async () => {
    await load(db, config());
    const rows = await db.all(`SELECT right(attendance_id, 2) AS id, patient_id, attendance_category AS cat, department_type AS dept,
        admitted, cost, cost_method FROM ae_attendances ORDER BY attendance_id`);
    const allTypes = 272.97, type1 = 315.93, type2 = 181.59, type3 = 121.68, type4 = 75.14;
    expect(rows).toEqual([
      { id: '01', patient_id: 'T1', cat: '1', dept: '01', admitted: true, cost: type1, cost_method: 'pod' }, // VB03Z: no shipped HRG prices
      { id: '02', patient_id: 'T1', cat: '3', dept: '01', admitted: false, cost: 245.5, cost_method: 'given' }, // FINAL_PRICE
      { id: '03', patient_id: 'T2', cat: '2', dept: '01', admitted: false, cost: type1, cost_method: 'pod' }, // category 04 → planned
      { id: '04', patient_id: 'T3', cat: '1', dept: '03', admitted: false, cost: type3, cost_method: 'pod' },
      { id: '05', patient_id: 'T4', cat: '1', dept: '04', admitted: true, cost: type4, cost_method: 'pod' }, // decided to admit
      { id: '06', patient_id: 'T5', cat: '3', dept: '05', admitted: null, cost: allTypes, cost_method: 'pod' }, // destination not a code
      { id: '07', patient_id: 'T6', cat: '1', dept: '02', admitted: true, cost: type2, cost_method: 'pod' },
      { id: '17', patient_id: 'T8', cat: '1', dept: '01', admitted: false, cost: type1, cost_method: 'pod' },
      { id: '18', patient_id: 'T8', cat: '1', dept: '03', admitted: null, cost: type3, cost_method: 'pod' },
      { id: '19', patient_id: 'T2', cat: '1', dept: '01', admitted: true, cost: type1, cost_method: 'pod' },
      { id: '20', patient_id: 'T2', cat: '1', dept: '03', admitted: null, cost: type3, cost_method: 'pod' },
    ]);
  });

  it('derives registrations from the ECDS rows (HES profile) and the date of death from the discharge status', async () => {
    await load(db, config());
    expect(await db.all('SELECT patient_id, practice_code, year_of_birth, sex FROM registrations ORDER BY 1')).toEqual([
      { patient_id: 'T1', practice_code: 'A81001', year_of_birth: 1945, sex: 'M' },
      { patient_id: 'T2', practice_code: 'B81002', year_of_birth: 1979, sex: 'F' },
      { patient_id: 'T4', practice_code: 'A81001', year_of_birth: 2024, sex: 'M' },
      { patient_id: 'T5', practice_code: 'B81002', year_of_birth: 1936, sex: 'F' },
      { patient_id: 'T6', practice_code: 'A81001', year_of_birth: 1964, sex: 'U' },
      { patient_id: 'T8', practice_code: 'B81002', year_of_birth: 1991, sex: 'F' },
    ]);
    expect(await db.all('SELECT patient_id, date_of_death FROM registrations WHERE date_of_death IS NOT NULL')).toEqual([
      { patient_id: 'T5', date_of_death: '2024-03-02' }]);
  });
});
