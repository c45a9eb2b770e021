import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/config.js';
import { packageRoot } from '../src/paths.js';
import { Warehouse, literal } from '../src/warehouse/warehouse.js';
import { configFor, fixtures, input, load, rejectLines } from './ingest-helpers.js';

describe('ingest: HES profile', () => {
  let db: Warehouse;
  beforeEach(async () => { db = await Warehouse.open(); });
  afterEach(() => db.close());

  // Expected values: fixtures/ingest/hes-mini/EXPECTED.md, worked out by hand.
  it('builds spells from episodes, treats placeholders as missing and derives registrations', async () => {
    const config = configFor(path.join(fixtures, 'hes-mini'), { extract_date: '2021-01-01', rejects: { max_share: 1 } }, { profile: 'hes' });
    const { summary, outDir } = await load(db, config);
    expect(input(summary, 'apc')).toEqual([5, 4, 1]);
    expect(input(summary, 'ae')).toEqual([2, 1, 1]);
    expect(rejectLines(outDir, 'apc')).toEqual([[5, 'missing_required: ADMIDATE']]);
    expect(rejectLines(outDir, 'ae')).toEqual([[3, 'missing_required: ARRIVALDATE']]);
    expect(await db.all(`SELECT spell_id, patient_id, admission_date, discharge_date, admission_method, primary_diagnosis,
        diagnoses, los_days, is_emergency, is_day_case, registered FROM spells ORDER BY spell_id`)).toEqual([
      { spell_id: 'E1', patient_id: 'H1', admission_date: '2020-01-01', discharge_date: '2020-01-09', admission_method: '21', primary_diagnosis: 'J441',
        diagnoses: ['J441', 'I500', 'E119'], los_days: 8, is_emergency: true, is_day_case: false, registered: true },
      { spell_id: 'E3', patient_id: 'H2', admission_date: '2020-02-01', discharge_date: '2020-02-01', admission_method: '11', primary_diagnosis: 'K590',
        diagnoses: ['K590'], los_days: 0, is_emergency: false, is_day_case: true, registered: true },
      { spell_id: 'E5', patient_id: 'H4', admission_date: '2020-04-01', discharge_date: '2020-04-03', admission_method: '22', primary_diagnosis: 'R69X',
        diagnoses: ['R69X'], los_days: 2, is_emergency: true, is_day_case: false, registered: false },
    ]);
    expect(await db.all('SELECT patient_id, practice_code, registration_start, year_of_birth, sex FROM registrations ORDER BY 1')).toEqual([
      { patient_id: 'H1', practice_code: 'A81001', registration_start: '2020-01-01', year_of_birth: 1940, sex: 'M' },
      { patient_id: 'H2', practice_code: 'C81003', registration_start: '2020-02-01', year_of_birth: 2020, sex: 'F' },
    ]);
    expect(await db.all('SELECT practice_code, network_code FROM practices ORDER BY 1')).toEqual([
      { practice_code: 'A81001', network_code: 'UNKNOWN' }, { practice_code: 'C81003', network_code: 'UNKNOWN' }]);
    expect(summary.unregistered_activity).toEqual([{ extract: 'apc', rows: 1 }, { extract: 'ae', rows: 0 }]);
  });

  it('loads the NHS Digital artificial HES files unchanged with pipelines/hes-artificial.json', async () => {
    const config = loadConfig(path.join(packageRoot, 'pipelines', 'hes-artificial.json'));
    const { summary, outDir } = await load(db, config);
    expect(summary.inputs.map((i) => [i.file, i.rows_read, i.rows_loaded, i.rows_rejected])).toEqual([
      ['artificial_hes_apc_0102.csv', 2075, 2071, 4],
      ['artificial_hes_ae_0708_truncated.csv', 1000, 1000, 0],
      ['artificial_hes_op_0304_truncated.csv', 1000, 1000, 0],
    ]);
    expect(rejectLines(outDir, 'apc')).toEqual([
      [679, 'invalid_icd10'], [1333, 'invalid_icd10'], [1698, 'invalid_icd10'], [1943, 'missing_required: ADMIDATE']]);
    // Independent count of spells: distinct (PSEUDO_HESID, PROCODE3, ADMIDATE) among the raw
    // episodes, leaving out the rejected episodes (their EPIKEY is the 3rd field of the original line).
    const apcFile = path.join(config.baseDir, config.inputs.dir, config.inputs.files.apc!);
    const rejected = fs.readFileSync(path.join(outDir, 'rejects', 'apc.csv'), 'utf8').trim().split('\n').slice(1)
      .map((l) => l.split(',')[5]);
    expect(rejected).toEqual(['650581308550', '924721999570', '731527632153', '717225288757']);
    const { n } = await db.one<{ n: number }>(`SELECT count(*) AS n FROM (
      SELECT DISTINCT PSEUDO_HESID, PROCODE3, ADMIDATE FROM read_csv(${literal(apcFile)}, all_varchar = true)
      WHERE EPIKEY NOT IN (${rejected.map(literal).join(', ')}))`);
    expect(n).toBe(2071);
    expect(summary.spells).toBe(n);
    expect(await db.one('SELECT count(*) AS n FROM spells')).toEqual({ n: 2071 });
    // Placeholders never reach the staged tables.
    expect(await db.one(`SELECT count(*) AS n FROM spells WHERE admission_date < DATE '1900-01-01' OR discharge_date < DATE '1900-01-01'`)).toEqual({ n: 0 });
    // Every registration's practice is a real practice code (no V81997-9, no '&').
    expect(await db.one(`SELECT count(*) AS n FROM registrations WHERE practice_code IN ('V81997', 'V81998', 'V81999', '&')`)).toEqual({ n: 0 });
  });
});
